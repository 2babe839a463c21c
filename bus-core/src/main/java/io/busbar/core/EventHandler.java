package io.busbar.core;

import io.busbar.core.spi.Delivery;

/**
 * An in-process function target, registered by name with {@link Busbar#registerFunction} and addressed as
 * {@code arn:aws:lambda:<region>:<account>:function:<name>}. It runs on one of the bus's delivery threads.
 *
 * <p>Returning normally means delivered. Throwing makes the attempt a retryable failure ({@code FUNCTION_ERROR}),
 * retried under the target's retry policy; throw {@link PermanentFailure} to skip the retries and go straight to
 * the dead-letter queue. A handler that hangs is timed out by the bus and retried; it must be safe to run more than
 * once for one event (EventBridge delivers at least once).
 */
@FunctionalInterface
public interface EventHandler {

    void handle(Delivery delivery) throws Exception;

    /** Thrown by a handler for a failure that retrying cannot fix. */
    final class PermanentFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public PermanentFailure(String message) {
            super(message);
        }
    }
}
