package io.busbar.targets.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");
    private final RateLimiter limiter = new RateLimiter();

    @Test
    void aSecondsWorthGoesAtOnceThenOnePerInterval() {
        for (int i = 0; i < 4; i++) {
            assertEquals(new RateLimiter.Decision(true, Duration.ZERO), limiter.reserve(4, T0, Duration.ZERO));
        }
        RateLimiter.Decision refused = limiter.reserve(4, T0, Duration.ZERO);
        assertFalse(refused.granted());
        assertEquals(Duration.ofMillis(250), refused.delay());
        // Holding is allowed up to the bound: the next permits are reserved 250 ms apart.
        assertEquals(Duration.ofMillis(250), limiter.reserve(4, T0, Duration.ofSeconds(1)).delay());
        assertEquals(Duration.ofMillis(500), limiter.reserve(4, T0, Duration.ofSeconds(1)).delay());
        assertEquals(Duration.ofMillis(750), limiter.reserve(4, T0.plusMillis(0), Duration.ofSeconds(1)).delay());
        assertFalse(limiter.reserve(4, T0, Duration.ofMillis(999)).granted());
    }

    @Test
    void anIdleBucketRefillsToOneSecondsWorthAndNoMore() {
        for (int i = 0; i < 3; i++) {
            limiter.reserve(3, T0, Duration.ZERO);
        }
        Instant later = T0.plus(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.reserve(3, later, Duration.ZERO).granted());
        }
        assertFalse(limiter.reserve(3, later, Duration.ZERO).granted());
    }

    @Test
    void aSustainedRateIsHeld() {
        int granted = 0;
        Instant t = T0;
        for (int ms = 0; ms < 10_000; ms += 10) {
            if (limiter.reserve(50, t.plusMillis(ms), Duration.ZERO).granted()) {
                granted++;
            }
        }
        // 50 at once, then 50 per second for the remaining 9.99 s.
        assertTrue(granted >= 540 && granted <= 550, "granted " + granted);
    }
}
