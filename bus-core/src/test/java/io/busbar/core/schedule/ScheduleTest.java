package io.busbar.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void ruleRateFirstFiresOnePeriodAfterCreationAndKeepsItsPhase() {
        Instant created = at("2026-01-01T10:00:37Z");
        Schedule schedule = Schedule.of(ScheduleExpression.parse("rate(5 minutes)"), created);
        assertEquals(Optional.of(at("2026-01-01T10:05:37Z")), schedule.nextAfter(created));
        // A dispatcher that restarts at 10:17 continues on the same grid, not 5 minutes after the restart.
        assertEquals(List.of(at("2026-01-01T10:20:37Z"), at("2026-01-01T10:25:37Z")),
                schedule.next(at("2026-01-01T10:17:00Z"), 2));
        assertEquals(Optional.of(at("2026-01-01T10:10:37Z")), schedule.nextAfter(at("2026-01-01T10:05:37Z")));
    }

    @Test
    void schedulerRateStartsAtItsStartDate() {
        Instant start = at("2026-02-01T09:00:00Z");
        Schedule schedule = Schedule.of(ScheduleExpression.parse("rate(1 hour)", ZoneOffset.UTC), start)
                .withStartDate(start);
        assertEquals(Optional.of(start), schedule.nextAfter(T0));
        assertEquals(Optional.of(start), schedule.nextAfter(start.minusNanos(1)));
        assertEquals(Optional.of(start.plus(Duration.ofHours(1))), schedule.nextAfter(start));
    }

    @Test
    void rateAnchoredBeforeTheStartFiresOnItsGridFromTheStart() {
        Schedule schedule = Schedule.of(ScheduleExpression.parse("rate(1 hour)", ZoneOffset.UTC), T0)
                .withStartDate(at("2026-01-01T02:30:00Z"));
        assertEquals(List.of(at("2026-01-01T03:00:00Z"), at("2026-01-01T04:00:00Z")), schedule.next(T0, 2));
    }

    @Test
    void boundsAreInclusive() {
        Schedule schedule = Schedule.of(ScheduleExpression.parse("cron(0 10 * * ? *)", ZoneOffset.UTC), T0)
                .withStartDate(at("2026-01-05T10:00:00Z"))
                .withEndDate(at("2026-01-07T10:00:00Z"));
        assertEquals(List.of(at("2026-01-05T10:00:00Z"), at("2026-01-06T10:00:00Z"), at("2026-01-07T10:00:00Z")),
                schedule.next(T0, 10));
        assertEquals(Optional.empty(), schedule.nextAfter(at("2026-01-07T10:00:00Z")));
    }

    @Test
    void boundsApplyToZonedCron() {
        Schedule schedule = Schedule.of(ScheduleExpression.parse("cron(0 2 * * ? *)", ZoneId.of("Europe/Berlin")), T0)
                .withEndDate(at("2026-01-03T01:00:00Z"));
        assertEquals(List.of(at("2026-01-01T01:00:00Z"), at("2026-01-02T01:00:00Z"), at("2026-01-03T01:00:00Z")),
                schedule.next(T0, 10));
    }

    @Test
    void endDateInThePastNeverFires() {
        Schedule schedule = Schedule.of(ScheduleExpression.parse("rate(1 minute)"), T0)
                .withEndDate(at("2025-01-01T00:00:00Z"));
        assertEquals(Optional.empty(), schedule.nextAfter(T0));
    }

    @Test
    void endMustFollowStart() {
        Schedule schedule = Schedule.of(ScheduleExpression.parse("rate(1 minute)"), T0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> schedule.withStartDate(T0).withEndDate(T0));
        assertEquals("endDate: 2026-01-01T00:00:00Z (expected: after startDate 2026-01-01T00:00:00Z)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> schedule.withEndDate(T0).withStartDate(T0.plusSeconds(1)));
    }

    @Test
    void atIgnoresStartAndEnd() {
        Schedule schedule = Schedule.of(ScheduleExpression.parse("at(2026-06-01T10:00:00)", ZoneOffset.UTC), T0)
                .withStartDate(at("2026-07-01T00:00:00Z"))
                .withEndDate(at("2026-08-01T00:00:00Z"));
        assertEquals(List.of(at("2026-06-01T10:00:00Z")), schedule.next(T0, 3));
    }

    @Test
    void accessors() {
        ScheduleExpression expression = ScheduleExpression.parse("rate(1 minute)");
        Schedule schedule = Schedule.of(expression, T0).withStartDate(T0);
        assertEquals(expression, schedule.expression());
        assertEquals(T0, schedule.anchor());
        assertEquals(Optional.of(T0), schedule.startDate());
        assertEquals(Optional.empty(), schedule.endDate());
        assertThrows(IllegalArgumentException.class, () -> schedule.next(T0, -1));
    }
}
