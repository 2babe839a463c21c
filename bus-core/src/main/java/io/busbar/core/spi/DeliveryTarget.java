package io.busbar.core.spi;

import java.util.concurrent.CompletionStage;

/**
 * Something that receives deliveries: a function, a queue, an HTTP endpoint, another bus. Created once per target
 * (ARN and parameters) by a {@link TargetProvider}.
 *
 * <p>{@link #deliver} must not block the calling thread for long: it starts the work and completes the stage with
 * the outcome. A stage completed exceptionally, an exception thrown, or a stage still open after the bus's
 * delivery timeout all count as a retryable failure; they never stop the dispatcher.
 */
public interface DeliveryTarget extends AutoCloseable {

    CompletionStage<DeliveryOutcome> deliver(Delivery delivery);

    /** Releases what the target holds (connections, producers); the default holds nothing. */
    @Override
    default void close() {
    }
}
