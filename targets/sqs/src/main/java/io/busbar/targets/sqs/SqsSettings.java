package io.busbar.targets.sqs;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * The provider's configuration from the bus's target properties, validated once; a bad value is rejected with the
 * property named. Equal settings share one client (one {@link SqsEndpoint}, shared through {@link io.busbar.core.spi.SharedClients}).
 *
 * @param endpoint           the SQS endpoint, without a trailing slash ({@code http://localhost:9324})
 * @param region             the region requests are signed for (the bus's)
 * @param accessKey          the access key id requests are signed with
 * @param secretKey          the secret key requests are signed with
 * @param timeout            how long one SQS call may take before it is a retryable {@code TIMEOUT}
 * @param maxBatchSize       messages per {@code SendMessageBatch}, 1 to 10
 * @param maxConcurrent      requests in flight per queue
 */
record SqsSettings(URI endpoint, String region, String accessKey, String secretKey, Duration timeout,
                   int maxBatchSize, int maxConcurrent) {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_MAX_BATCH = 10;
    static final int DEFAULT_MAX_CONCURRENT = 4;
    /**
     * Signing needs some credentials; local servers (ElasticMQ, LocalStack) accept any. Set the two properties for
     * a server that checks them.
     */
    static final String DUMMY_KEY = "busbar";

    /** The settings, or null when no endpoint is configured (the provider then takes no ARN). */
    static SqsSettings from(Map<String, String> properties, String region) {
        String endpoint = properties.get(SqsTargetProvider.ENDPOINT_PROPERTY);
        if (endpoint == null) {
            return null;
        }
        String access = properties.get(SqsTargetProvider.ACCESS_KEY_PROPERTY);
        String secret = properties.get(SqsTargetProvider.SECRET_KEY_PROPERTY);
        // One without the other is a mistake, not a reason to sign with dummy credentials.
        if (access == null && secret != null) {
            throw new IllegalArgumentException(SqsTargetProvider.ACCESS_KEY_PROPERTY
                    + ": missing (expected: an access key id, since " + SqsTargetProvider.SECRET_KEY_PROPERTY
                    + " is set)");
        }
        if (access != null && secret == null) {
            throw new IllegalArgumentException(SqsTargetProvider.SECRET_KEY_PROPERTY
                    + ": missing (expected: a secret key, since " + SqsTargetProvider.ACCESS_KEY_PROPERTY
                    + " is set)");
        }
        if (access != null && access.isBlank()) {
            throw new IllegalArgumentException(SqsTargetProvider.ACCESS_KEY_PROPERTY + ": blank (expected: an "
                    + "access key id)");
        }
        if (secret != null && secret.isBlank()) {
            throw new IllegalArgumentException(SqsTargetProvider.SECRET_KEY_PROPERTY + ": blank (expected: a "
                    + "secret key)");
        }
        return new SqsSettings(endpoint(endpoint), region,
                access == null ? DUMMY_KEY : access.trim(), secret == null ? DUMMY_KEY : secret,
                Duration.ofMillis(number(properties, SqsTargetProvider.TIMEOUT_PROPERTY, 10_000, 1, 86_400_000L,
                        "a whole number of milliseconds from 1 to 86400000")),
                (int) number(properties, SqsTargetProvider.MAX_BATCH_PROPERTY, DEFAULT_MAX_BATCH, 1, 10,
                        "a whole number from 1 to 10"),
                (int) number(properties, SqsTargetProvider.MAX_CONCURRENT_PROPERTY, DEFAULT_MAX_CONCURRENT, 1, 1000,
                        "a whole number from 1 to 1000"));
    }

    private static URI endpoint(String text) {
        String expected = " (expected: an http or https URL with a host and no path or query, "
                + "such as http://localhost:9324)";
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(SqsTargetProvider.ENDPOINT_PROPERTY + ": " + text + expected);
        }
        String path = uri.getRawPath();
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (path != null && !path.isEmpty() && !path.equals("/"))) {
            throw new IllegalArgumentException(SqsTargetProvider.ENDPOINT_PROPERTY + ": " + text + expected);
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static long number(Map<String, String> properties, String name, long fallback, long min, long max,
                               String expected) {
        String text = properties.get(name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: " + expected + ")");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: " + expected + ")");
        }
        return value;
    }

    /** Keeps the secret out of logs and exception messages. */
    @Override
    public String toString() {
        return "SqsSettings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", timeout=" + timeout + ", maxBatchSize=" + maxBatchSize + ", maxConcurrent=" + maxConcurrent + "]";
    }
}
