package io.busbar.targets.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    @Test
    void readsSecondsDatesAndEventBridgesNegativeStop() {
        assertEquals(new RetryAfter.Value(RetryAfter.Kind.WAIT, Duration.ofSeconds(30)), RetryAfter.parse("30", NOW));
        assertEquals(new RetryAfter.Value(RetryAfter.Kind.WAIT, Duration.ZERO), RetryAfter.parse(" 0 ", NOW));
        assertEquals(RetryAfter.Kind.STOP, RetryAfter.parse("-1", NOW).kind());
        assertEquals(new RetryAfter.Value(RetryAfter.Kind.WAIT, Duration.ofSeconds(90)),
                RetryAfter.parse("Thu, 15 Jan 2026 12:01:30 GMT", NOW));
        assertEquals(new RetryAfter.Value(RetryAfter.Kind.WAIT, Duration.ZERO),
                RetryAfter.parse("Thu, 15 Jan 2026 11:00:00 GMT", NOW), "a date already past");
        assertEquals(RetryAfter.Value.ABSENT, RetryAfter.parse(null, NOW));
        assertEquals(RetryAfter.Value.ABSENT, RetryAfter.parse("soon", NOW));
    }
}
