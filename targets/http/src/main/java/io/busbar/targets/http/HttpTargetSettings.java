package io.busbar.targets.http;

import java.time.Duration;
import java.util.Map;

/**
 * The provider's configuration, read from the bus's target properties and validated once: a bad value is
 * rejected with the property named, never coerced to a default.
 *
 * @param timeout            how long one HTTP exchange (an invocation or a token request) may take before it is a
 *                           retryable {@code TIMEOUT}; EventBridge's 5 seconds by default
 * @param maxRateLimitDelay  how long a delivery over the destination's rate limit may be held inside the target
 *                           before it is handed back to the bus as a retryable {@code THROTTLING}
 */
record HttpTargetSettings(Duration timeout, Duration maxRateLimitDelay) {
    static final HttpTargetSettings DEFAULTS = new HttpTargetSettings(Duration.ofSeconds(5), Duration.ofSeconds(5));

    static HttpTargetSettings from(Map<String, String> properties) {
        return new HttpTargetSettings(
                millis(properties, ApiDestinationTargetProvider.TIMEOUT_PROPERTY, DEFAULTS.timeout, 1),
                millis(properties, ApiDestinationTargetProvider.MAX_RATE_LIMIT_DELAY_PROPERTY,
                        DEFAULTS.maxRateLimitDelay, 0));
    }

    private static Duration millis(Map<String, String> properties, String name, Duration fallback, long min) {
        String text = properties.get(name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            value = Long.MIN_VALUE;
        }
        // An upper bound of a day keeps Duration arithmetic far from overflow and catches unit mistakes (seconds
        // given as microseconds and the like).
        if (value < min || value > 86_400_000L) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: a whole number of milliseconds from "
                    + min + " to 86400000)");
        }
        return Duration.ofMillis(value);
    }
}
