package io.busbar.targets.lambda;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * The provider's configuration from the bus's target properties, validated once; a bad value is rejected with
 * the property named.
 *
 * @param endpoint the Lambda API's base URL, without a trailing slash ({@code http://localhost:4566})
 * @param timeout  how long one Invoke call may take before it is a retryable {@code TIMEOUT}
 */
record LambdaSettings(String endpoint, Duration timeout) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The settings, or null when no endpoint is configured (the provider then takes no ARN). */
    static LambdaSettings from(Map<String, String> properties) {
        String endpoint = properties.get(LambdaTargetProvider.ENDPOINT_PROPERTY);
        if (endpoint == null) {
            return null;
        }
        return new LambdaSettings(endpoint(endpoint), timeout(properties.get(LambdaTargetProvider.TIMEOUT_PROPERTY)));
    }

    private static String endpoint(String text) {
        String expected = " (expected: an http or https URL with a host and no query, such as http://localhost:4566)";
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(LambdaTargetProvider.ENDPOINT_PROPERTY + ": " + text + expected);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(LambdaTargetProvider.ENDPOINT_PROPERTY + ": " + text + expected);
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static Duration timeout(String text) {
        if (text == null) {
            return DEFAULT_TIMEOUT;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > 86_400_000L) {
            throw new IllegalArgumentException(LambdaTargetProvider.TIMEOUT_PROPERTY + ": " + text
                    + " (expected: a whole number of milliseconds from 1 to 86400000)");
        }
        return Duration.ofMillis(value);
    }
}
