package io.busbar.core.spi;

/**
 * How one delivery attempt ended: delivered, failed in a way worth retrying (throttled, timed out, unavailable,
 * HTTP 429 or 5xx), or failed for good (no such resource, no permission, HTTP 4xx), which goes straight to the
 * dead-letter queue (spec 5.6). Immutable.
 *
 * @param status    the kind of ending
 * @param errorCode for failures, EventBridge's code ({@code THROTTLING}, {@code TIMEOUT}, {@code NO_RESOURCE},
 *                  {@code SDK_CLIENT_ERROR}, ...); {@code null} when delivered
 * @param message   for failures, a sentence for people; {@code null} when delivered
 */
public record DeliveryOutcome(Status status, String errorCode, String message) {
    private static final DeliveryOutcome DELIVERED = new DeliveryOutcome(Status.DELIVERED, null, null);

    public enum Status { DELIVERED, RETRYABLE, PERMANENT }

    public static DeliveryOutcome delivered() {
        return DELIVERED;
    }

    public static DeliveryOutcome retryable(String errorCode, String message) {
        return new DeliveryOutcome(Status.RETRYABLE, errorCode, message);
    }

    public static DeliveryOutcome permanent(String errorCode, String message) {
        return new DeliveryOutcome(Status.PERMANENT, errorCode, message);
    }
}
