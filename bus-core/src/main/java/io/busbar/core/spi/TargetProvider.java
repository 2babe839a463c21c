package io.busbar.core.spi;

import java.util.Optional;

/**
 * Plugs a family of targets into the bus, found with {@link java.util.ServiceLoader}: for each target ARN the
 * registry asks the providers in turn and uses the first that accepts it. A provider for SQS answers for
 * {@code arn:aws:sqs:...}, one for API destinations for {@code arn:aws:events:...:api-destination/...}.
 *
 * <p>Implementations must be thread-safe; {@link #create} may be called concurrently.
 */
public interface TargetProvider {

    /**
     * A target for {@code arn}, or empty when this provider does not handle it.
     *
     * @throws IllegalArgumentException when the provider handles the ARN but the target's parameters are invalid;
     *                                  the message names the field
     */
    Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment environment);
}
