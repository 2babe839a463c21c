package io.busbar.targets.kafka;

import io.busbar.core.spi.DeliveryOutcome;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * How a record's send ended, in EventBridge's terms (spec 5.6: missing resources and permissions are not retried;
 * unavailability, throttling and timeouts are).
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>the producer's answer</th><th>outcome</th><th>code</th></tr>
 *   <tr><td>acknowledged by all in-sync replicas</td><td>delivered</td><td></td></tr>
 *   <tr><td>{@code TimeoutException} caused by {@code UnknownTopicOrPartitionException}: the topic does not exist
 *       and was not created within {@code max.block.ms} ({@code auto.create.topics.enable=false}, or a producer
 *       not allowed to create it)</td><td>permanent</td><td>{@code NO_RESOURCE}</td></tr>
 *   <tr><td>{@code AuthenticationException} (SASL, SSL), {@code AuthorizationException} (topic, cluster)</td>
 *       <td>permanent</td><td>{@code NO_PERMISSIONS}</td></tr>
 *   <tr><td>{@code RecordTooLargeException}, {@code RecordBatchTooLargeException}, {@code InvalidTopicException},
 *       {@code InvalidRecordException} (such as a record without a key for a compacted topic),
 *       {@code InvalidTimestampException}, {@code PolicyViolationException}, {@code SerializationException},
 *       {@code UnsupportedVersionException}</td><td>permanent</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>{@code ThrottlingQuotaExceededException}</td><td>retryable</td><td>{@code THROTTLING}</td></tr>
 *   <tr><td>any other {@code TimeoutException}: no broker reachable, metadata not fetched, records expired in the
 *       accumulator after {@code delivery.timeout.ms}</td><td>retryable</td><td>{@code TIMEOUT}</td></tr>
 *   <tr><td>other retriable errors ({@code NotEnoughReplicasException}, {@code NotLeaderOrFollowerException},
 *       {@code NetworkException}, ...), which the producer already retried until {@code delivery.timeout.ms}</td>
 *       <td>retryable</td><td>{@code SDK_CLIENT_ERROR}</td></tr>
 *   <tr><td>anything else (an unexpected broker error, a producer being closed)</td><td>retryable</td>
 *       <td>{@code SDK_CLIENT_ERROR}</td></tr>
 * </table>
 *
 * <p>Unknown errors are retried rather than dropped: the retry policy bounds them, and a dead-letter queue still
 * receives the event with the error's name in {@code ERROR_MESSAGE}.
 */
final class KafkaOutcomes {
    static final String THROTTLING = "THROTTLING";
    static final String TIMEOUT = "TIMEOUT";
    static final String SDK_CLIENT_ERROR = "SDK_CLIENT_ERROR";
    static final String NO_RESOURCE = "NO_RESOURCE";
    static final String NO_PERMISSIONS = "NO_PERMISSIONS";

    private KafkaOutcomes() {
    }

    static DeliveryOutcome ofError(Throwable error, String topic) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String text = "Writing to Kafka topic " + topic + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (e instanceof TimeoutException && e.getCause() instanceof UnknownTopicOrPartitionException) {
            return DeliveryOutcome.permanent(NO_RESOURCE, text + " (the topic does not exist)");
        }
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            return DeliveryOutcome.permanent(NO_PERMISSIONS, text);
        }
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTopicException || e instanceof InvalidRecordException
                || e instanceof InvalidTimestampException || e instanceof PolicyViolationException
                || e instanceof SerializationException || e instanceof UnsupportedVersionException) {
            return DeliveryOutcome.permanent(SDK_CLIENT_ERROR, text);
        }
        if (e instanceof ThrottlingQuotaExceededException) {
            return DeliveryOutcome.retryable(THROTTLING, text);
        }
        if (e instanceof TimeoutException) {
            return DeliveryOutcome.retryable(TIMEOUT, text);
        }
        if (e instanceof RetriableException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, text);
        }
        if (e instanceof RejectedExecutionException) {
            return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, "Writing to Kafka topic " + topic
                    + " failed: the producer is closed");
        }
        return DeliveryOutcome.retryable(SDK_CLIENT_ERROR, text);
    }
}
