package io.busbar.targets.http;

import java.time.Duration;
import java.time.Instant;

/**
 * One API destination's {@code InvocationRateLimitPerSecond}, as a token bucket that holds one second's worth of
 * permits, read on the injected clock.
 *
 * <p>Implementation notes: the bucket is kept in its GCRA form, one number: the theoretical arrival time
 * {@code tat} of the next permit. With {@code T = 1 s / rate} and burst tolerance {@code tau = 1 s - T}, a request
 * at {@code now} may go at {@code max(now, max(tat, now) - tau)}; taking it moves {@code tat} on by {@code T}. So
 * {@code rate} requests go at once from idle, then one every {@code T}. A request may reserve a permit in the
 * future (the caller then waits that long) but only up to a bound; beyond it nothing is taken and the caller is
 * told how long it would have had to wait. The rate is passed at each call, so an updated destination takes effect
 * at once. O(1) per call under a lock held for a few arithmetic operations. Thread-safe.
 */
final class RateLimiter {
    private static final long SECOND = 1_000_000_000L;

    /**
     * @param granted whether a permit was taken
     * @param delay   when granted, how long to wait before using it (zero: now); otherwise how long until one
     *                would be free
     */
    record Decision(boolean granted, Duration delay) {
    }

    private long tat = Long.MIN_VALUE;

    synchronized Decision reserve(int ratePerSecond, Instant now, Duration maxWait) {
        long t = now.getEpochSecond() * SECOND + now.getNano();
        long interval = Math.max(1, SECOND / ratePerSecond);
        long tau = SECOND - interval;
        long next = Math.max(tat, t);
        long at = Math.max(t, next - tau);
        long wait = at - t;
        if (wait > maxWait.toNanos()) {
            return new Decision(false, Duration.ofNanos(wait));
        }
        tat = next + interval;
        return new Decision(true, Duration.ofNanos(wait));
    }
}
