package io.busbar.core.schedule;

/**
 * Which API an expression was written for. The two accept slightly different grammars (spec 7.1, SCHEDULER 2.1-2.2):
 * rules know no {@code at()} and insist on the singular unit exactly when the rate value is 1; Scheduler accepts
 * {@code at()} and either unit for any value.
 */
enum Dialect {
    /** PutRule {@code ScheduleExpression}: UTC, {@code rate} and {@code cron}. */
    RULE,
    /** EventBridge Scheduler {@code CreateSchedule}: any zone, {@code at}, {@code rate} and {@code cron}. */
    SCHEDULER
}
