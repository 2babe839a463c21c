package io.busbar.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NEW_YEAR_2026 = Instant.parse("2026-01-01T00:00:00Z");

    private static List<Instant> next(String expression, String from, int count) {
        return ScheduleExpression.parse(expression).next(Instant.parse(from), count);
    }

    private static List<Instant> next(String expression, ZoneId zone, String from, int count) {
        return ScheduleExpression.parse(expression, zone).next(Instant.parse(from), count);
    }

    private static List<Instant> instants(String... texts) {
        return Arrays.stream(texts).map(Instant::parse).collect(Collectors.toList());
    }

    @Nested
    class DaylightSaving {
        @Test
        void springForwardSkipsTheMissingLocalTimeInNewYork() {
            // 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 does not exist that day.
            assertEquals(instants("2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"),
                    next("cron(30 2 * * ? *)", NEW_YORK, "2026-03-07T00:00:00Z", 3));
        }

        @Test
        void fallBackFiresOnceAtTheFirstOccurrenceInNewYork() {
            // 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice and fires at the first (EDT, 05:30Z).
            assertEquals(instants("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
                    next("cron(30 1 * * ? *)", NEW_YORK, "2026-10-31T00:00:00Z", 3));
        }

        @Test
        void repeatedHourFiresOnlyInItsFirstPass() {
            assertEquals(instants("2026-11-01T05:00:00Z", "2026-11-01T05:15:00Z", "2026-11-01T05:30:00Z",
                            "2026-11-01T05:45:00Z", "2026-11-01T07:00:00Z", "2026-11-01T07:15:00Z"),
                    next("cron(0/15 * * * ? *)", NEW_YORK, "2026-11-01T04:50:00Z", 6));
        }

        @Test
        void searchFromTheSecondPassOfAnOverlapResumesAfterIt() {
            // 06:10Z = 01:10 EST, the second 01:10 of the day: 01:15..01:45 already fired in the EDT pass.
            assertEquals(instants("2026-11-01T07:00:00Z", "2026-11-01T07:15:00Z"),
                    next("cron(0/15 * * * ? *)", NEW_YORK, "2026-11-01T06:10:00Z", 2));
            assertEquals(instants("2026-11-02T06:30:00Z"),
                    next("cron(30 1 * * ? *)", NEW_YORK, "2026-11-01T06:10:00Z", 1));
        }

        @Test
        void hourlyAcrossBerlinsTransitions() {
            // 2026-03-29 02:00 CET -> 03:00 CEST: 01:00 CET (00:00Z), then 03:00 CEST (01:00Z); no 02:00.
            assertEquals(instants("2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"),
                    next("cron(0 * * * ? *)", BERLIN, "2026-03-28T23:30:00Z", 3));
            // 2026-10-25 03:00 CEST -> 02:00 CET: 02:00 CEST (00:00Z) fires, the repeated 02:00 CET (01:00Z) not.
            assertEquals(instants("2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"),
                    next("cron(0 * * * ? *)", BERLIN, "2026-10-24T23:30:00Z", 3));
        }

        @Test
        void gapSkipDoesNotShiftToTheNextValidTime() {
            // 02:30 daily in Berlin: 28 March 01:30Z, 29 March skipped, 30 March 00:30Z (CEST).
            assertEquals(instants("2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z"),
                    next("cron(30 2 * * ? *)", BERLIN, "2026-03-28T00:00:00Z", 2));
        }

        @Test
        void halfHourDstOnLordHowe() {
            // Australia/Lord_Howe moves by 30 minutes. Spring, 2026-10-04 02:00 +10:30 -> 02:30 +11:00: the local
            // quarter hours 02:00 and 02:15 do not exist.
            ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
            assertEquals(instants("2026-10-03T15:00:00Z", "2026-10-03T15:15:00Z", "2026-10-03T15:30:00Z",
                    "2026-10-03T15:45:00Z"), next("cron(0/15 * * * ? *)", lordHowe, "2026-10-03T14:55:00Z", 4));
            // Autumn, 2026-04-05 02:00 +11:00 -> 01:30 +10:30: the repeated 01:30 and 01:45 fire once.
            assertEquals(instants("2026-04-04T14:15:00Z", "2026-04-04T14:30:00Z", "2026-04-04T14:45:00Z",
                    "2026-04-04T15:30:00Z"), next("cron(0/15 * * * ? *)", lordHowe, "2026-04-04T14:10:00Z", 4));
        }

        @Test
        void rateDaysAreTwentyFourHoursAcrossDst() {
            ScheduleExpression daily = ScheduleExpression.parse("rate(1 day)", NEW_YORK);
            Schedule schedule = Schedule.of(daily, Instant.parse("2026-03-07T17:00:00Z")); // noon EST
            assertEquals(instants("2026-03-08T17:00:00Z", "2026-03-09T17:00:00Z"), // 13:00 EDT after the change
                    schedule.next(Instant.parse("2026-03-07T17:00:00Z"), 2));
        }

        @Test
        void utcHasNoTransitions() {
            assertEquals(instants("2026-03-08T02:30:00Z", "2026-03-09T02:30:00Z"),
                    next("cron(30 2 * * ? *)", "2026-03-08T00:00:00Z", 2));
        }
    }

    @Nested
    class SpecialCharacters {
        @Test
        void lastDayOfMonthInLeapAndCommonYears() {
            assertEquals(instants("2028-01-31T00:00:00Z", "2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z",
                    "2028-04-30T00:00:00Z"), next("cron(0 0 L * ? *)", "2028-01-01T00:00:00Z", 4));
        }

        @Test
        void lastDayMinusOffset() {
            assertEquals(instants("2026-01-28T00:00:00Z", "2026-02-25T00:00:00Z"),
                    next("cron(0 0 L-3 * ? *)", NEW_YEAR_2026.toString(), 2));
            // 30 days before the last day exists only in 31-day months.
            assertEquals(instants("2026-01-01T12:00:00Z", "2026-03-01T12:00:00Z", "2026-05-01T12:00:00Z"),
                    next("cron(0 12 L-30 * ? *)", NEW_YEAR_2026.toString(), 3));
        }

        @Test
        void lastWeekdayWhenTheMonthEndsOnAWeekend() {
            // May 2026 ends on a Sunday -> Friday 29; Jan 2026 ends on a Saturday -> Friday 30.
            assertEquals(instants("2026-05-29T00:00:00Z"), next("cron(0 0 LW 5 ? *)", NEW_YEAR_2026.toString(), 1));
            assertEquals(instants("2026-01-30T00:00:00Z"), next("cron(0 0 LW 1 ? *)", NEW_YEAR_2026.toString(), 1));
            // August 2026 ends on a Monday.
            assertEquals(instants("2026-08-31T00:00:00Z"), next("cron(0 0 LW 8 ? *)", NEW_YEAR_2026.toString(), 1));
        }

        @Test
        void nearestWeekdayNeverLeavesTheMonth() {
            // 1 August 2026 is a Saturday: not Friday 31 July but Monday 3 August.
            assertEquals(instants("2026-08-03T09:00:00Z"), next("cron(0 9 1W 8 ? *)", NEW_YEAR_2026.toString(), 1));
            // 31 May 2026 is a Sunday: not Monday 1 June but Friday 29 May.
            assertEquals(instants("2026-05-29T09:00:00Z"), next("cron(0 9 31W 5 ? *)", NEW_YEAR_2026.toString(), 1));
            // 30 months have no 31st: 31W fires in 31-day months only (Jan 31 2026 is a Saturday -> Friday 30).
            assertEquals(instants("2026-01-30T09:00:00Z", "2026-03-31T09:00:00Z", "2026-05-29T09:00:00Z"),
                    next("cron(0 9 31W * ? *)", NEW_YEAR_2026.toString(), 3));
            // A weekday stays put; a Saturday 15th moves back to Friday 14th (August 2026).
            assertEquals(instants("2026-08-14T09:00:00Z", "2026-09-15T09:00:00Z"),
                    next("cron(0 9 15W 8-9 ? *)", NEW_YEAR_2026.toString(), 2));
        }

        @Test
        void nthWeekdayOfTheMonthSkipsMonthsWithoutIt() {
            List<Instant> expected = new ArrayList<>();
            for (LocalDate month = LocalDate.of(2026, 1, 1); expected.size() < 4; month = month.plusMonths(1)) {
                LocalDate fifthFriday = month.with(TemporalAdjusters.dayOfWeekInMonth(5, DayOfWeek.FRIDAY));
                if (fifthFriday.getMonth() == month.getMonth()) {
                    expected.add(fifthFriday.atTime(8, 0).toInstant(ZoneOffset.UTC));
                }
            }
            assertEquals(expected, next("cron(0 8 ? * 6#5 *)", NEW_YEAR_2026.toString(), 4));
            assertEquals(instants("2026-01-13T08:00:00Z", "2026-02-10T08:00:00Z"),
                    next("cron(0 8 ? * TUE#2 *)", NEW_YEAR_2026.toString(), 2));
        }

        @Test
        void lastWeekdayOfTheMonth() {
            // Documentation example: 10:15 on the last Friday of every month.
            assertEquals(instants("2026-01-30T10:15:00Z", "2026-02-27T10:15:00Z", "2026-03-27T10:15:00Z"),
                    next("cron(15 10 ? * 6L *)", NEW_YEAR_2026.toString(), 3));
            // L alone in day-of-week is Saturday (Quartz).
            assertEquals(instants("2026-01-03T00:00:00Z", "2026-01-10T00:00:00Z"),
                    next("cron(0 0 ? * L *)", NEW_YEAR_2026.toString(), 2));
        }

        @Test
        void wrapAroundRanges() {
            assertEquals(instants("2026-01-02T20:00:00Z", "2026-01-02T22:00:00Z", "2026-01-03T00:00:00Z",
                    "2026-01-03T02:00:00Z", "2026-01-03T20:00:00Z"),
                    next("cron(0 20-2/2 * * ? *)", "2026-01-02T03:00:00Z", 5));
            // FRI-MON from Thursday 1 January 2026: Fri 2, Sat 3, Sun 4, Mon 5, then Fri 9.
            assertEquals(instants("2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
                    "2026-01-05T00:00:00Z", "2026-01-09T00:00:00Z"),
                    next("cron(0 0 ? * FRI-MON *)", NEW_YEAR_2026.toString(), 5));
            // 30-2 = 30, 31, 1, 2: February has neither 30 nor 31.
            assertEquals(instants("2026-01-30T00:00:00Z", "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z",
                    "2026-02-02T00:00:00Z", "2026-03-01T00:00:00Z"),
                    next("cron(0 0 30-2 * ? *)", "2026-01-02T12:00:00Z", 5));
            assertEquals(instants("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z",
                    "2027-02-01T00:00:00Z", "2027-11-01T00:00:00Z"),
                    next("cron(0 0 1 NOV-FEB ? *)", "2026-03-01T00:00:00Z", 5));
            assertEquals(instants("2026-01-01T00:58:00Z", "2026-01-01T00:59:00Z", "2026-01-01T01:00:00Z",
                    "2026-01-01T01:01:00Z", "2026-01-01T01:58:00Z"),
                    next("cron(58-1 * * * ? *)", "2026-01-01T00:30:00Z", 5));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "cron(0 0 ? jan,Jul mon 2026) | cron(0 0 ? JAN,JUL MON 2026)",
            "cron(0 0 ? * mon-fri *)      | cron(0 0 ? * 2-6 *)",
            "cron(0 0 l * ? *)            | cron(0 0 L * ? *)",
            "cron(0 0 lw * ? *)           | cron(0 0 LW * ? *)",
            "cron(0 0 15w * ? *)          | cron(0 0 15W * ? *)",
            "cron(0 0 ? * fril *)         | cron(0 0 ? * 6L *)",
            "cron(0 0 ? * Fri#2 *)        | cron(0 0 ? * 6#2 *)",
            "cron(0 0 1 nov-Feb ? *)      | cron(0 0 1 11-2 ? *)",
        })
        void namesAndLettersAreCaseInsensitive(String written, String canonical) {
            assertEquals(next(canonical, NEW_YEAR_2026.toString(), 5), next(written, NEW_YEAR_2026.toString(), 5));
        }

        @Test
        void stepsFromAValueRunToTheEndOfTheField() {
            assertEquals(instants("2026-01-01T00:45:00Z", "2026-01-01T00:55:00Z", "2026-01-01T01:45:00Z"),
                    next("cron(45/10 * * * ? *)", NEW_YEAR_2026.toString(), 3));
            assertEquals(instants("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"),
                    next("cron(0 0 1 */3 ? *)", "2025-12-15T00:00:00Z", 3));
            assertEquals(instants("2026-01-01T00:00:00Z", "2030-01-01T00:00:00Z"),
                    next("cron(0 0 1 1 ? 2026/4)", "2025-12-15T00:00:00Z", 2));
        }
    }

    @Nested
    class Calendar {
        @Test
        void february29SkipsCenturyYearsThatAreNotLeap() {
            assertEquals(instants("2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z", "2108-02-29T00:00:00Z"),
                    next("cron(0 0 29 2 ? *)", "2095-06-01T00:00:00Z", 3));
            assertEquals(instants("2000-02-29T00:00:00Z"), next("cron(0 0 29 2 ? *)", "1999-01-01T00:00:00Z", 1));
        }

        @Test
        void yearBounds() {
            assertEquals(instants("1970-01-01T00:00:00Z", "1970-01-01T00:01:00Z"),
                    next("cron(* * * * ? 1970)", "1960-01-01T00:00:00Z", 2));
            assertEquals(instants("2199-12-31T23:59:00Z"), next("cron(59 23 31 12 ? *)", "2199-01-01T00:00:00Z", 5));
            assertEquals(List.of(), next("cron(* * * * ? *)", "2199-12-31T23:59:00Z", 1));
            assertEquals(Optional.empty(), ScheduleExpression.parse("cron(* * * * ? *)").nextAfter(Instant.MAX));
            assertEquals(Optional.of(Instant.parse("1970-01-01T00:00:00Z")),
                    ScheduleExpression.parse("cron(* * * * ? *)").nextAfter(Instant.MIN));
            LocalDate lastSaturday =
                    LocalDate.of(2199, 1, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY));
            assertEquals(List.of(lastSaturday.atStartOfDay().toInstant(ZoneOffset.UTC)),
                    next("cron(0 0 ? * 7L 2199)", NEW_YEAR_2026.toString(), 1));
        }

        @Test
        void yearsInThePastAreValidButNeverFire() {
            ScheduleExpression past = ScheduleExpression.parse("cron(0/5 5 ? JAN 1-5 2022)");
            assertEquals(Optional.empty(), past.nextAfter(NEW_YEAR_2026));
            // 1-5 = Sunday to Thursday; 1 January 2022 was a Saturday.
            assertEquals(Optional.of(Instant.parse("2022-01-02T05:00:00Z")),
                    past.nextAfter(Instant.parse("2022-01-01T00:00:00Z")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"cron(0 0 31 2 ? *)", "cron(0 0 30 2 ? *)", "cron(0 0 31 4,6,9,11 ? *)",
            "cron(0 0 ? 2 1#5 2026-2027)", "cron(0 0 L-30 2 ? *)", "cron(0 0 31W 4 ? *)", "cron(0 0 29 2 ? 2100)"})
        void expressionsThatNeverFireAnswerEmptyQuickly(String expression) {
            ScheduleExpression never = ScheduleExpression.parse(expression);
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                assertEquals(Optional.empty(), never.nextAfter(NEW_YEAR_2026));
            }
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "too slow: " + expression);
        }

        @ParameterizedTest
        @ValueSource(strings = {"cron(0 0 29 2 ? *)", "cron(0 0 ? * 6L 2199)", "cron(0 0 1 1 ? 2199)",
            "cron(59 23 31 12 ? *)", "cron(0 0 ? 2 1#5 *)"})
        void sparseExpressionsAreFast(String expression) {
            ScheduleExpression sparse = ScheduleExpression.parse(expression);
            Instant from = Instant.parse("2025-03-01T00:00:00Z");
            assertTrue(sparse.nextAfter(from).isPresent());
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                sparse.nextAfter(from);
            }
            // Microseconds per call; the bound is loose for a shared machine.
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "too slow: " + expression);
        }
    }

    @Nested
    class Precision {
        @Test
        void afterIsExclusiveAndFireTimesAreWholeMinutes() {
            assertEquals(instants("2026-01-01T10:01:00Z"), next("cron(* * * * ? *)", "2026-01-01T10:00:00Z", 1));
            assertEquals(instants("2026-01-01T10:01:00Z"), next("cron(* * * * ? *)", "2026-01-01T10:00:59.999Z", 1));
            assertEquals(instants("2026-01-01T10:00:00Z"),
                    next("cron(* * * * ? *)", "2026-01-01T09:59:00.000000001Z", 1));
        }
    }

    @Nested
    class OneTime {
        @Test
        void atIsWallClockTimeInTheZone() {
            ScheduleExpression at = ScheduleExpression.parse("at(2026-03-11T10:21:00)", ZoneId.of("Asia/Kolkata"));
            assertEquals(ScheduleExpression.Kind.AT, at.kind());
            assertEquals(List.of(Instant.parse("2026-03-11T04:51:00Z")), at.next(NEW_YEAR_2026, 3));
            assertEquals(Optional.empty(), at.nextAfter(Instant.parse("2026-03-11T04:51:00Z")));
        }

        @Test
        void atInADstGapShiftsForwardAndInAnOverlapTakesTheFirst() {
            assertEquals(Optional.of(Instant.parse("2026-03-08T07:30:00Z")), // 03:30 EDT
                    ScheduleExpression.parse("at(2026-03-08T02:30:00)", NEW_YORK).nextAfter(NEW_YEAR_2026));
            assertEquals(Optional.of(Instant.parse("2026-11-01T05:30:00Z")), // 01:30 EDT
                    ScheduleExpression.parse("at(2026-11-01T01:30:00)", NEW_YORK).nextAfter(NEW_YEAR_2026));
        }

        @Test
        void atKeepsItsSeconds() {
            assertEquals(Optional.of(Instant.parse("2026-06-01T10:00:30Z")),
                    ScheduleExpression.parse("at(2026-06-01T10:00:30)", ZoneOffset.UTC).nextAfter(NEW_YEAR_2026));
        }

        @Test
        void atInThePastNeverFires() {
            assertEquals(Optional.empty(),
                    ScheduleExpression.parse("at(2020-06-01T10:00:00)", ZoneOffset.UTC).nextAfter(NEW_YEAR_2026));
        }
    }

    @Nested
    class Rates {
        @Test
        void rateCountsFromAfter() {
            assertEquals(instants("2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:15:00Z"),
                    next("rate(5 minutes)", NEW_YEAR_2026.toString(), 3));
            assertEquals(instants("2026-01-01T01:00:00Z"), next("rate(1 hour)", NEW_YEAR_2026.toString(), 1));
            assertEquals(instants("2026-01-03T00:00:00Z"), next("rate(2 days)", NEW_YEAR_2026.toString(), 1));
        }

        @Test
        void schedulerAcceptsEitherUnitForAnyValue() {
            for (String text : List.of("rate(1 minutes)", "rate(10 minute)", "rate(1 hours)", "rate(2 day)")) {
                assertEquals(ScheduleExpression.Kind.RATE, ScheduleExpression.parse(text, ZoneOffset.UTC).kind());
                assertThrows(InvalidScheduleExpressionException.class, () -> ScheduleExpression.parse(text));
            }
        }

        @Test
        void hugeRatesStopInsteadOfOverflowing() {
            ScheduleExpression huge = ScheduleExpression.parse("rate(2147483647 days)");
            assertEquals(Optional.empty(), huge.nextAfter(Instant.MAX.minusSeconds(10)));
            assertTrue(huge.nextAfter(NEW_YEAR_2026).isPresent());
        }
    }

    @Nested
    class Validation {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "cron(71 8 1 * ? *)             | minutes: 71 is outside 0-59",
            "cron(0 24 1 * ? *)             | hours: 24 is outside 0-23",
            "cron(0 0 0 * ? *)              | day-of-month: 0 is outside 1-31",
            "cron(0 0 1 0 ? *)              | month: 0 is outside 1-12",
            "cron(0 0 ? * 0 *)              | day-of-week: 0 is outside 1-7",
            "cron(0 0 1 1 ? 1969)           | year: 1969 is outside 1970-2199",
            "cron(0 0 1 1 ? 2200)           | year: 2200 is outside 1970-2199",
            "cron(0 1 * * * *)              | day-of-month, day-of-week: exactly one of them must be '?' (got '*' and '*')",
            "cron(0 1 ? * ? *)              | day-of-month, day-of-week: exactly one of them must be '?' (got '?' and '?')",
            "cron(0 12 1 * MON *)           | day-of-month, day-of-week: exactly one of them must be '?' (got '1' and 'MON')",
            "cron(7 20 * * NOT *)           | day-of-week: 'NOT' is not a number or a name (expected: 1-7 or SUN-SAT)",
            "cron(0 dummy ? * MON-FRI *)    | hours: 'dummy' is not a number (expected: 0-23)",
            "cron(INVALID)                  | cron: 1 fields (expected: 6, minutes hours day-of-month month day-of-week year)",
            "cron(0 10 * * ?)               | cron: 5 fields (expected: 6, minutes hours day-of-month month day-of-week year)",
            "cron(0 0 10 * * ? *)           | cron: 7 fields (expected: 6, minutes hours day-of-month month day-of-week year)",
            "cron(0  10 * * ? *)            | cron: fields must be separated by exactly one space",
            "cron(0 2 ? * 3#1,6#3 *)        | day-of-week: only one '#' expression is allowed, got '3#1,6#3'",
            "cron(0 2 ? * 3#6 *)            | day-of-week: week number 6 in '3#6' is outside 1-5",
            "cron(0 12 ? * 8L *)            | day-of-week: 8 is outside 1-7",
            "cron(0 12 ? * 2L,6L *)         | day-of-week: '2L,6L' (expected: a single day followed by L, e.g. 6L)",
            "cron(0 0 L,15 * ? *)           | day-of-month: 'L,15' (expected: L, L-n, LW or nW standing alone, or a list of days)",
            "cron(0 0 1W,15 * ? *)          | day-of-month: '1W,15' (expected: L, L-n, LW or nW standing alone, or a list of days)",
            "cron(0 0 L-31 * ? *)           | day-of-month: offset 31 in 'L-31' is outside 1-30",
            "cron(0 0 32W * ? *)            | day-of-month: 32 is outside 1-31",
            "cron(? 0 1 * ? *)              | minutes: '?' is not a number (expected: 0-59)",
            "cron(0/0 * * * ? *)            | minutes: step 0 in '0/0' is outside 1-59",
            "cron(0/60 * * * ? *)           | minutes: step 60 in '0/60' is outside 1-59",
            "cron(1,,2 * * * ? *)           | minutes: empty element in '1,,2'",
            "cron(-5 * * * ? *)             | minutes: '' is not a number (expected: 0-59)",
            "cron(0 0 1 1 ? 2030-2020)      | year: range '2030-2020' runs backwards",
            "cron(0 0 1 JANUARY ? *)        | month: 'JANUARY' is not a number or a name (expected: 1-12 or JAN-DEC)",
            "rate(0 minutes)                | rate: value 0 is not a positive integer",
            "rate(1 minutes)                | rate: value 1 takes the singular unit 'minute'",
            "rate(10 minute)                | rate: value 10 takes the plural unit 'minutes'",
            "rate(10 MINUTES)               | rate: unit 'MINUTES' (expected: minute, minutes, hour, hours, day or days)",
            "rate(99999999999 minutes)      | rate: value 99999999999 is larger than 2147483647",
            "rate()                         | rate: value '' is not a positive integer",
            "at(2026-06-01T10:00:00)        | at: one-time expressions exist only in EventBridge Scheduler, not in rules",
            "CRON(0 10 * * ? *)             | expression: 'CRON(0 10 * * ? *)' (expected: rate(...) or cron(...))",
            "''                             | expression: '' (expected: rate(...) or cron(...))",
        })
        void rejectsWithEventBridgesMessageAndAReason(String expression, String reason) {
            InvalidScheduleExpressionException e = assertThrows(InvalidScheduleExpressionException.class,
                    () -> ScheduleExpression.parse(expression));
            assertEquals("Parameter ScheduleExpression is not valid.", e.getMessage());
            assertEquals(reason, e.reason());
        }

        @ParameterizedTest
        @ValueSource(strings = {"cron(0 10 * * ? *) ", " cron(0 10 * * ? *)", "cron( 0 10 * * ? *)",
            "cron(0 10 * * ? * )", "cron(0\t10 * * ? *)", "cron()", "cron(0 10 * * ? *", "cron 0 10 * * ? *",
            "cron(0 0 ? * FRI-MON/2 2030-)", "cron(0 0 *-5 * ? *)", "cron(0 0 5-* * ? *)", "cron(*/5/2 * * * ? *)",
            "cron(0 0 L-3W * ? *)", "cron(0 0 W * ? *)", "cron(0 0 LL * ? *)", "cron(0 0 ? * #2 *)",
            "cron(0 0 ? * 2# *)", "cron(0 0 ? * LL *)", "cron(0 0 ? * L6 *)", "cron(0 0 ? 13 MON *)",
            "cron(0 0 1 * ? 2026/0)", "cron(0 0 ? * 1/8 *)", "cron(0 0 +1 * ? *)", "cron(0 0 1 * ? 20x6)"})
        void rejectsMalformedCron(String expression) {
            assertThrows(InvalidScheduleExpressionException.class, () -> ScheduleExpression.parse(expression));
            assertThrows(InvalidScheduleExpressionException.class,
                    () -> ScheduleExpression.parse(expression, ZoneOffset.UTC));
        }

        @ParameterizedTest
        @ValueSource(strings = {"at(2026-06-01T10:00:00Z)", "at(2026-06-01T10:00:00+02:00)", "at(2026-06-01T10:00)",
            "at(2026-6-01T10:00:00)", "at(2026-02-30T10:00:00)", "at(2026-06-01T24:00:00)", "at(2026-06-01 10:00:00)",
            "at( 2026-06-01T10:00:00)", "AT(2026-06-01T10:00:00)"})
        void rejectsMalformedAt(String expression) {
            assertThrows(InvalidScheduleExpressionException.class,
                    () -> ScheduleExpression.parse(expression, ZoneOffset.UTC));
        }

        @ParameterizedTest
        @ValueSource(strings = {"cron(0 0 ? * MON/2 *)", "cron(00 05 01 01 ? 2026)", "cron(0 0 1 1 ? 1970,2199)",
            "cron(0 0 1 1-12/3 ? *)", "cron(0 0 ? * 1-7 *)", "cron(0 0 ? * SUN-SAT *)", "cron(0 0 L-1 * ? *)",
            "cron(0 0 1 JAN-3 ? *)", "cron(0 0 ? * 7#5 *)", "cron(0 0 31W * ? *)", "cron(0 0 ? * SAT *)"})
        void acceptsEdgeForms(String expression) {
            assertEquals(ScheduleExpression.Kind.CRON, ScheduleExpression.parse(expression).kind());
        }
    }

    @Test
    void valueSemantics() {
        ScheduleExpression a = ScheduleExpression.parse("cron(0 10 * * ? *)");
        assertEquals("cron(0 10 * * ? *)", a.toString());
        assertEquals(ZoneOffset.UTC, a.zone());
        assertEquals(a, ScheduleExpression.parse("cron(0 10 * * ? *)"));
        assertEquals(a.hashCode(), ScheduleExpression.parse("cron(0 10 * * ? *)").hashCode());
        assertNotEquals(a, ScheduleExpression.parse("cron(0 10 * * ? *)", BERLIN));
        assertThrows(IllegalArgumentException.class, () -> a.next(NEW_YEAR_2026, -1));
        assertEquals(List.of(), a.next(NEW_YEAR_2026, 0));
        assertThrows(NullPointerException.class, () -> ScheduleExpression.parse(null));
        assertThrows(NullPointerException.class, () -> ScheduleExpression.parse("rate(1 day)", null));
    }
}
