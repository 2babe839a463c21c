package io.busbar.core;

import io.busbar.core.schedule.Schedule;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiPredicate;

/**
 * Fires scheduled rules (PutRule with a {@code ScheduleExpression}) on the injected clock.
 *
 * <p>Implementation notes: each scheduled rule has one pending task in {@link DueTasks} at its next fire time, so
 * 100,000 schedules cost nothing while none is due. A task carries the token of the rule version that scheduled it;
 * changing, disabling or deleting the rule replaces or drops the token, so a stale task does nothing and no time
 * fires twice. When the clock has jumped past several fire times, every missed time fires once, in order, with its
 * own scheduled time (EventBridge promises each expected time at least once), up to {@link #MAX_CATCH_UP} per rule
 * at a time; beyond that the oldest are skipped and a warning is logged. A fire whose deliveries were refused (full
 * target queues) is retried a second later rather than dropped. Thread-safe.
 */
final class RuleScheduler {
    static final int MAX_CATCH_UP = 1_000;
    private static final System.Logger LOG = System.getLogger(RuleScheduler.class.getName());

    /** One scheduled rule version. */
    private record Entry(Object token, Schedule schedule) {
    }

    private final Clock clock;
    private final DueTasks due;
    /** Sends a rule's Scheduled Event for the given time; false when the target queues refused it. */
    private final BiPredicate<String, Instant> fire;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    RuleScheduler(Clock clock, DueTasks due, BiPredicate<String, Instant> fire) {
        this.clock = clock;
        this.due = due;
        this.fire = fire;
    }

    /** Starts (or restarts) firing a rule; {@code key} identifies the rule (its ARN). */
    void schedule(String key, Schedule schedule) {
        schedule(key, schedule, clock.instant());
    }

    /**
     * Starts firing a rule with the first fire time after {@code after}: a restart passes the last time fired
     * before it stopped, so the times missed while it was down fire now (as a jump of the clock would).
     */
    void schedule(String key, Schedule schedule, Instant after) {
        Entry e = new Entry(new Object(), schedule);
        entries.put(key, e);
        plan(key, e, after);
    }

    void cancel(String key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    private void plan(String key, Entry e, Instant after) {
        e.schedule().nextAfter(after).ifPresent(t -> due.schedule(t, () -> run(key, e, t)));
    }

    private void run(String key, Entry e, Instant first) {
        Instant now = clock.instant();
        Instant t = first;
        int fired = 0;
        while (t != null && !t.isAfter(now)) {
            if (entries.get(key) != e) {
                return; // the rule changed or went away since this task was planned
            }
            if (fired++ == MAX_CATCH_UP) {
                LOG.log(System.Logger.Level.WARNING, "Rule {0} missed more than {1} fire times; skipping to {2}",
                        key, MAX_CATCH_UP, now);
                plan(key, e, now);
                return;
            }
            Instant scheduled = t.truncatedTo(ChronoUnit.MINUTES);
            if (!fire.test(key, scheduled)) {
                Instant retryFrom = t;
                due.schedule(now.plusSeconds(1), () -> run(key, e, retryFrom));
                return;
            }
            t = e.schedule().nextAfter(t).orElse(null);
        }
        if (t != null) {
            Instant next = t;
            due.schedule(next, () -> run(key, e, next));
        }
    }
}
