package io.busbar.targets.sqs;

import io.busbar.core.spi.SharedClients;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import java.util.concurrent.CompletableFuture;

/**
 * One queue target: each delivery becomes one SQS message whose body is the payload and whose String message
 * attributes are the delivery's (a dead letter's {@code ERROR_CODE} and the rest). The queue's URL comes from the
 * endpoint's cache; the message leaves through the queue's {@link QueueSender}, alone or in a batch. Nothing here
 * waits: the stage completes when SQS answers. Thread-safe.
 */
final class SqsTarget implements DeliveryTarget {
    private final String arn;
    private final QueueArn queue;
    private final String owner;
    private final SqsParameters parameters;
    private final SharedClients.Lease<SqsSettings, SqsEndpoint> lease;

    SqsTarget(String arn, QueueArn queue, String owner, SqsParameters parameters,
              SharedClients.Lease<SqsSettings, SqsEndpoint> lease) {
        this.arn = arn;
        this.queue = queue;
        this.owner = owner;
        this.parameters = parameters;
        this.lease = lease;
    }

    SqsEndpoint endpoint() {
        return lease.client();
    }

    @Override
    public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
        SqsEndpoint endpoint = lease.client();
        return endpoint.queue(queue, owner)
                .handle((info, error) -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(SqsOutcomes.ofError(error, arn));
                    }
                    return endpoint.sender(info.url()).send(message(delivery, info))
                            .thenApply(outcome -> {
                                if (SqsOutcomes.NO_RESOURCE.equals(outcome.errorCode())) {
                                    endpoint.forget(queue, owner, info.url()); // deleted since it was looked up
                                }
                                return outcome;
                            });
                })
                .thenCompose(stage -> stage);
    }

    private OutgoingMessage message(Delivery delivery, SqsEndpoint.QueueInfo info) {
        if (!info.fifo()) {
            return OutgoingMessage.of(delivery.payload(), delivery.messageAttributes(), null, null);
        }
        // A retry of the same event carries the same id, so SQS stores it once even if an earlier attempt
        // reached the queue but its answer was lost.
        return OutgoingMessage.of(delivery.payload(), delivery.messageAttributes(), parameters.messageGroupId(),
                info.contentBasedDedup() ? null : delivery.eventId());
    }

    @Override
    public void close() {
        lease.close();
    }

    @Override
    public String toString() {
        return "SqsTarget[" + arn + "]";
    }
}
