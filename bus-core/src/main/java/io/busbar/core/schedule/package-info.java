/**
 * EventBridge schedule expressions: parsing {@code rate(...)}, {@code cron(...)} and {@code at(...)} with
 * EventBridge's validation, and computing fire times in a time zone with EventBridge Scheduler's daylight-saving
 * rules (spec 7). {@link io.busbar.core.schedule.ScheduleExpression} is the parsed expression,
 * {@link io.busbar.core.schedule.Schedule} adds a rate's anchor and start/end bounds. Pure computation: no clock,
 * no threads; callers pass the instants.
 */
package io.busbar.core.schedule;
