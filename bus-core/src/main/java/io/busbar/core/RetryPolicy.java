package io.busbar.core;

/**
 * How long and how often a failing delivery is retried (spec 5.6): until {@code maximumRetryAttempts} retries were
 * made or the event is older than {@code maximumEventAgeInSeconds}, whichever comes first.
 *
 * @param maximumRetryAttempts     0 to 185 (default 185)
 * @param maximumEventAgeInSeconds 60 to 86,400 (default 86,400: 24 hours)
 */
public record RetryPolicy(int maximumRetryAttempts, int maximumEventAgeInSeconds) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(185, 86_400);

    public RetryPolicy {
        if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
            throw BusbarException.constraint("retryPolicy.maximumRetryAttempts", String.valueOf(maximumRetryAttempts),
                    "Member must have value between 0 and 185");
        }
        if (maximumEventAgeInSeconds < 60 || maximumEventAgeInSeconds > 86_400) {
            throw BusbarException.constraint("retryPolicy.maximumEventAgeInSeconds",
                    String.valueOf(maximumEventAgeInSeconds), "Member must have value between 60 and 86400");
        }
    }
}
