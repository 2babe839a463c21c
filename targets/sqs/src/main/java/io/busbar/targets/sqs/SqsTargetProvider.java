package io.busbar.targets.sqs;

import io.busbar.core.spi.SharedClients;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.util.Optional;

/**
 * Targets for SQS queues, {@code arn:aws:sqs:<region>:<account>:<queue>}, sent with the AWS SDK's asynchronous
 * {@code SqsAsyncClient} (Netty) to a configured SQS-compatible endpoint (ElasticMQ, LocalStack, or AWS itself).
 * Found by {@link java.util.ServiceLoader}.
 *
 * <p>The bus's built-in provider is asked first and keeps the in-memory queues of the bus ({@code Busbar.queue});
 * this provider takes the other SQS ARNs, and only when {@value #ENDPOINT_PROPERTY} is set: without it an
 * unclaimed queue ARN stays unresolved and the bus fails its deliveries with {@code NO_RESOURCE}, as for any ARN
 * no provider takes. The same applies to dead-letter queues: a {@code DeadLetterConfig} naming such a queue sends
 * its letters there, with EventBridge's message attributes ({@code RULE_ARN}, {@code TARGET_ARN},
 * {@code ERROR_CODE}, {@code ERROR_MESSAGE}, {@code EXHAUSTED_RETRY_CONDITION}, {@code RETRY_ATTEMPTS}).
 *
 * <p>Properties (the bus builder's {@code property(name, value)}), validated when a target is created; a bad value
 * fails that target's deliveries with {@code INVALID_PARAMETER} and a message naming the property:
 * <ul>
 *   <li>{@value #ENDPOINT_PROPERTY}: the SQS endpoint's base URL, such as {@code http://localhost:9324};</li>
 *   <li>{@value #ACCESS_KEY_PROPERTY} and {@value #SECRET_KEY_PROPERTY}: static credentials, both or neither;
 *       without them requests are signed with dummy credentials, which local servers accept;</li>
 *   <li>{@value #TIMEOUT_PROPERTY}: milliseconds one SQS call may take (default 10000), kept below the bus's
 *       delivery timeout so that a slow call ends as this provider's {@code TIMEOUT};</li>
 *   <li>{@value #MAX_BATCH_PROPERTY}: messages per {@code SendMessageBatch}, 1 to 10 (default 10; 1 turns batching
 *       off);</li>
 *   <li>{@value #MAX_CONCURRENT_PROPERTY}: requests in flight per queue, 1 to 1000 (default 4).</li>
 * </ul>
 * The region is the bus's. The queue's URL is found with {@code GetQueueUrl} (with the ARN's account as the
 * owner when it is not the bus's) and cached until the queue is reported missing.
 *
 * <p>Batching: a delivery is sent at once while fewer than {@value #MAX_CONCURRENT_PROPERTY} requests are in flight
 * for its queue; deliveries that arrive while that many are in flight wait and leave together, up to ten in one
 * {@code SendMessageBatch} (and at most 256 KiB), as soon as a request comes back. An idle queue adds no latency;
 * a busy one needs fewer requests.
 *
 * <p>FIFO queues (names ending in {@code .fifo}) need {@code SqsParameters.MessageGroupId}; the deduplication id is
 * the event id unless the queue has content-based deduplication, so a retried delivery is stored once. Note that
 * this also makes one event delivered to one FIFO queue by two targets a single message within SQS's five-minute
 * deduplication window, unless the queue deduplicates by content. On standard queues {@code MessageGroupId} is
 * ignored.
 *
 * <p>Outcomes are listed in {@link SqsOutcomes}. The SDK's own retries are off: the bus retries under the target's
 * {@code RetryPolicy}, with back-off, and counts every attempt.
 *
 * <p>Thread-safe. Targets for one endpoint share one client, closed with the last of them.
 */
public final class SqsTargetProvider implements TargetProvider {
    /** The SQS endpoint's base URL; without it this provider takes no ARN. */
    public static final String ENDPOINT_PROPERTY = "busbar.sqs.endpoint";
    /** The access key id of static credentials; needs {@value #SECRET_KEY_PROPERTY}. */
    public static final String ACCESS_KEY_PROPERTY = "busbar.sqs.accessKey";
    /** The secret access key of static credentials; needs {@value #ACCESS_KEY_PROPERTY}. */
    public static final String SECRET_KEY_PROPERTY = "busbar.sqs.secretKey";
    /** Milliseconds one SQS call may take before it is a retryable {@code TIMEOUT} (default 10000). */
    public static final String TIMEOUT_PROPERTY = "busbar.sqs.timeoutMillis";
    /** Messages per {@code SendMessageBatch}, 1 to 10 (default 10). */
    public static final String MAX_BATCH_PROPERTY = "busbar.sqs.maxBatchSize";
    /** Requests in flight per queue, 1 to 1000 (default 4). */
    public static final String MAX_CONCURRENT_PROPERTY = "busbar.sqs.maxConcurrentRequests";

    /** One endpoint (SDK client, queue-URL cache, batching) per distinct settings, shared by their targets. */
    private final SharedClients<SqsSettings, SqsEndpoint> endpoints =
            new SharedClients<>(SqsEndpoint::new, SqsEndpoint::close);

    /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
    public SqsTargetProvider() {
    }

    /**
     * A queue target for an SQS ARN when an endpoint is configured; empty for other ARNs or without an endpoint.
     *
     * @throws IllegalArgumentException naming the field, when the queue name, {@code SqsParameters} or a property
     *                                  is invalid
     */
    @Override
    public Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment environment) {
        if (!QueueArn.isQueueArn(spec.arn())) {
            return Optional.empty();
        }
        SqsSettings settings = SqsSettings.from(environment.properties(), environment.region());
        if (settings == null) {
            return Optional.empty();
        }
        QueueArn queue = QueueArn.parse(spec.arn());
        SqsParameters parameters = SqsParameters.parse(spec.parameters().get(SqsParameters.MEMBER));
        if (queue.fifo() && parameters.messageGroupId() == null) {
            throw new IllegalArgumentException(SqsParameters.MEMBER + ".MessageGroupId: missing (expected: a group id"
                    + " for FIFO queue " + queue.name() + ")");
        }
        String owner = queue.account().isEmpty() || queue.account().equals(environment.account()) ? null
                : queue.account();
        return Optional.of(new SqsTarget(spec.arn(), queue, owner, parameters, endpoints.acquire(settings)));
    }
}
