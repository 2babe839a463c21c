package io.busbar.core.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: an expression, the anchor a rate counts its periods from, and optional
 * {@code StartDate}/{@code EndDate} bounds (SCHEDULER 2.2, 2.5).
 *
 * <p>A rate fires at {@code anchor + k * period}, k = 0, 1, 2, ...; cron and {@code at} ignore the anchor. Pass the
 * rule's creation time for a scheduled rule (its first fire is one period later, because the creation instant
 * itself is not after the creation instant), and the {@code StartDate}, or the creation time without one, for an
 * EventBridge Scheduler schedule, whose first occurrence is the start itself: ask for
 * {@code nextAfter(start.minusNanos(1))} to include it.
 *
 * <p>A fire time t is eligible when {@code startDate <= t <= endDate} (both inclusive, SCHEDULER 2.5). The bounds do
 * not apply to {@code at} expressions, which fire once whatever they say (SCHEDULER 2.1).
 *
 * <p>Immutable and thread-safe.
 */
public final class Schedule {
    private final ScheduleExpression expression;
    private final Instant anchor;
    private final Instant startDate;
    private final Instant endDate;

    private Schedule(ScheduleExpression expression, Instant anchor, Instant startDate, Instant endDate) {
        this.expression = expression;
        this.anchor = anchor;
        this.startDate = startDate;
        this.endDate = endDate;
    }

    /** An unbounded schedule whose rate, if it is one, counts periods from {@code anchor}. */
    public static Schedule of(ScheduleExpression expression, Instant anchor) {
        return new Schedule(Objects.requireNonNull(expression, "expression"), Objects.requireNonNull(anchor, "anchor"),
                null, null);
    }

    /**
     * This schedule, firing no earlier than {@code startDate}.
     *
     * @throws IllegalArgumentException when the end date is not after {@code startDate}
     */
    public Schedule withStartDate(Instant startDate) {
        Objects.requireNonNull(startDate, "startDate");
        checkOrder(startDate, endDate);
        return new Schedule(expression, anchor, startDate, endDate);
    }

    /**
     * This schedule, firing no later than {@code endDate}. An end date in the past is valid: the schedule then never
     * fires (SCHEDULER 2.5).
     *
     * @throws IllegalArgumentException when {@code endDate} is not after the start date
     */
    public Schedule withEndDate(Instant endDate) {
        Objects.requireNonNull(endDate, "endDate");
        checkOrder(startDate, endDate);
        return new Schedule(expression, anchor, startDate, endDate);
    }

    private static void checkOrder(Instant start, Instant end) {
        if (start != null && end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("endDate: " + end + " (expected: after startDate " + start + ")");
        }
    }

    public ScheduleExpression expression() {
        return expression;
    }

    public Instant anchor() {
        return anchor;
    }

    public Optional<Instant> startDate() {
        return Optional.ofNullable(startDate);
    }

    public Optional<Instant> endDate() {
        return Optional.ofNullable(endDate);
    }

    /** The first eligible fire time strictly after {@code after}, or empty when there is none. */
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        return Optional.ofNullable(next(after));
    }

    /** The first {@code count} eligible fire times strictly after {@code after}, fewer when the schedule ends. */
    public List<Instant> next(Instant after, int count) {
        Objects.requireNonNull(after, "after");
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        List<Instant> out = new ArrayList<>(Math.min(count, 1024));
        Instant cursor = after;
        while (out.size() < count && (cursor = next(cursor)) != null) {
            out.add(cursor);
        }
        return out;
    }

    private Instant next(Instant after) {
        if (expression.kind() == ScheduleExpression.Kind.AT) {
            return expression.next(after, anchor);
        }
        // Searching after the instant just before the start makes the start itself eligible; start > after here,
        // so start - 1 ns >= after and nothing earlier than 'after' can come back.
        Instant from = startDate != null && startDate.isAfter(after) ? startDate.minusNanos(1) : after;
        Instant t = expression.next(from, anchor);
        return t == null || endDate != null && t.isAfter(endDate) ? null : t;
    }
}
