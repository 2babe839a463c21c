package io.busbar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code busbar schedule}: fire times, zones and the refusal of invalid expressions. */
class ScheduleCommandTest {
    @Test
    void printsTheNextFireTimesOnePerLine() {
        BusbarCommandTest.Result r = BusbarCommandTest.run("schedule", "cron(0 12 ? * MON-FRI *)", "--from",
                "2026-01-01T00:00:00Z", "--count", "3");
        assertEquals(0, r.exit(), r.err());
        assertEquals("2026-01-01T12:00:00Z\n2026-01-02T12:00:00Z\n2026-01-05T12:00:00Z\n", r.out());
    }

    @Test
    void aRateStartsAtTheFromInstant() {
        BusbarCommandTest.Result r = BusbarCommandTest.run("schedule", "rate(90 minutes)", "--from",
                "2026-01-01T00:00:00Z", "--count", "2");
        assertEquals("2026-01-01T00:00:00Z\n2026-01-01T01:30:00Z\n", r.out());
    }

    @Test
    void cronAndAtAreReadInTheTimezoneAcrossDst() {
        BusbarCommandTest.Result r = BusbarCommandTest.run("schedule", "cron(30 2 * * ? *)", "--from",
                "2026-03-07T00:00:00Z", "--count", "2", "--timezone", "America/New_York");
        assertEquals("2026-03-07T07:30:00Z\n2026-03-09T06:30:00Z\n", r.out(), "the spring gap is skipped");
        BusbarCommandTest.Result at = BusbarCommandTest.run("schedule", "at(2026-03-11T10:21:00)", "--from",
                "2026-01-01T00:00:00Z", "--timezone", "Asia/Kolkata");
        assertEquals("2026-03-11T04:51:00Z\n", at.out());
    }

    @Test
    void anInvalidExpressionSaysWhyAndFails() {
        BusbarCommandTest.Result r = BusbarCommandTest.run("schedule", "cron(71 8 1 * ? *)");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Parameter ScheduleExpression is not valid. Reason: "), r.err());
        assertEquals("", r.out());
        BusbarCommandTest.Result zone = BusbarCommandTest.run("schedule", "rate(1 hour)", "--timezone", "+02:00");
        assertEquals(2, zone.exit());
        assertTrue(zone.err().contains("ScheduleExpressionTimezone"), zone.err());
        BusbarCommandTest.Result from = BusbarCommandTest.run("schedule", "rate(1 hour)", "--from", "yesterday");
        assertEquals(2, from.exit());
    }
}
