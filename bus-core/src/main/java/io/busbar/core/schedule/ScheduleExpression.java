package io.busbar.core.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed EventBridge schedule expression: {@code rate(value unit)}, {@code cron(minutes hours day-of-month month
 * day-of-week year)} or, for EventBridge Scheduler, {@code at(yyyy-mm-ddThh:mm:ss)} (spec 7, SCHEDULER 2).
 *
 * <p>Fire times have minute precision for {@code cron} (AWS fires somewhere within that minute); {@code at} fires
 * at the instant written, and {@code rate} at {@code anchor + k * period}. Cron fields and {@code at} are read as
 * wall-clock time in the expression's zone: a local time that a spring-forward DST change skips does not fire, and
 * one that a fall-back change repeats fires once, at its first occurrence. Rates ignore the zone: {@code rate(1 day)}
 * is 24 elapsed hours, also across a DST change.
 *
 * <p><b>Rate phase.</b> AWS documents only that a rate's countdown starts when the rule is created (spec 11.22).
 * Busbar fires rates at {@code anchor + k * period}, k = 0, 1, 2, ...; {@link #nextAfter(Instant)} and
 * {@link #next(Instant, int)} take {@code after} itself as the anchor (so the first fire time is one period after
 * it, the assumption the conformance rows state), and {@link Schedule} takes an explicit anchor, which is how a
 * dispatcher keeps the phase across restarts.
 *
 * <p>Immutable and thread-safe. Expressions that can never fire again (a year range in the past, {@code 31 2}) are
 * valid, as in AWS, and simply yield no fire time; the search is bounded and never loops.
 */
public final class ScheduleExpression {

    /** The three forms of expression. */
    public enum Kind {
        /** {@code rate(value unit)}: a fixed period. */
        RATE,
        /** {@code cron(...)}: calendar fields. */
        CRON,
        /** {@code at(...)}: once, EventBridge Scheduler only. */
        AT
    }

    private final String text;
    private final ZoneId zone;
    private final Kind kind;
    private final long periodSeconds;
    private final Cron cron;
    private final ZoneRules rules;
    private final Instant at;

    ScheduleExpression(String text, ZoneId zone, long periodSeconds, Cron cron, LocalDateTime at) {
        this.text = text;
        this.zone = zone;
        this.kind = cron != null ? Kind.CRON : at != null ? Kind.AT : Kind.RATE;
        this.periodSeconds = periodSeconds;
        this.cron = cron;
        this.rules = zone.getRules();
        // A local time in a DST gap moves forward by the gap, an ambiguous one takes the earlier offset (SCHEDULER
        // 2.4): exactly what ZonedDateTime.of does.
        this.at = at == null ? null : ZonedDateTime.of(at, zone).toInstant();
    }

    /**
     * Parses a scheduled rule's {@code ScheduleExpression} (PutRule): {@code rate} or {@code cron}, evaluated in
     * UTC; a rate value of 1 takes the singular unit and any other value the plural.
     *
     * @throws InvalidScheduleExpressionException when EventBridge would reject the expression
     */
    public static ScheduleExpression parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        return ExpressionParser.parse(expression, ZoneOffset.UTC, Dialect.RULE);
    }

    /**
     * Parses an EventBridge Scheduler {@code ScheduleExpression} evaluated in {@code zone} (its
     * {@code ScheduleExpressionTimezone}, UTC by default): {@code at}, {@code rate} or {@code cron}; rate units may be
     * singular or plural for any value (SCHEDULER 2.2). Checking the zone name itself (IANA names only) is the API
     * layer's job.
     *
     * @throws InvalidScheduleExpressionException when the expression is not valid
     */
    public static ScheduleExpression parse(String expression, ZoneId zone) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(zone, "zone");
        return ExpressionParser.parse(expression, zone, Dialect.SCHEDULER);
    }

    public Kind kind() {
        return kind;
    }

    /** The zone cron fields and {@code at} are read in; UTC for rule expressions. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The first fire time strictly after {@code after}, or empty when there is none (an {@code at} in the past, a
     * cron whose years are over). A rate is anchored at {@code after}: the answer is {@code after + period}.
     */
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        return Optional.ofNullable(next(after, after));
    }

    /**
     * The first {@code count} fire times strictly after {@code after}, fewer when the expression stops firing; a
     * rate is anchored at {@code after}.
     */
    public List<Instant> next(Instant after, int count) {
        Objects.requireNonNull(after, "after");
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        List<Instant> out = new ArrayList<>(Math.min(count, 1024));
        Instant cursor = after;
        while (out.size() < count) {
            cursor = next(cursor, after);
            if (cursor == null) {
                break;
            }
            out.add(cursor);
        }
        return out;
    }

    /** The first fire time strictly after {@code after}, a rate counting periods from {@code anchor}; or null. */
    Instant next(Instant after, Instant anchor) {
        switch (kind) {
            case CRON:
                return cron.nextAfter(after, rules);
            case AT:
                return at.isAfter(after) ? at : null;
            default:
                return nextRate(after, anchor);
        }
    }

    private Instant nextRate(Instant after, Instant anchor) {
        if (after.isBefore(anchor)) {
            return anchor;
        }
        // Whole periods elapsed since the anchor, rounded down; the next fire is one more. Periods are whole
        // seconds, so flooring the elapsed time to seconds first does not change the quotient.
        long elapsed = after.getEpochSecond() - anchor.getEpochSecond() - (after.getNano() < anchor.getNano() ? 1 : 0);
        long periods = elapsed / periodSeconds + 1;
        try {
            return anchor.plusSeconds(Math.multiplyExact(periods, periodSeconds));
        } catch (ArithmeticException | DateTimeException e) {
            return null; // beyond Instant.MAX: no more fire times
        }
    }

    /** The expression as written. */
    @Override
    public String toString() {
        return text;
    }

    /** Equal when written the same way and read in the same zone. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleExpression other && other.text.equals(text) && other.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + zone.hashCode();
    }
}
