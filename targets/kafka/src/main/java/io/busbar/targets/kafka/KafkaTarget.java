package io.busbar.targets.kafka;

import io.busbar.core.spi.SharedClients;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One topic target: each delivery is one record, value = the payload (UTF-8), key = the static {@code Key}, the
 * text at {@code KeyPath} in the original event, or none, headers = the delivery's message attributes.
 *
 * <p>{@link #deliver} hands the record to a send thread of the shared producer and returns at once; the producer's
 * callback completes the stage when the brokers acknowledged the record (all in-sync replicas) or gave up on it.
 * Thread-safe.
 */
final class KafkaTarget implements DeliveryTarget {
    private final String arn;
    private final String topic;
    private final KafkaParameters parameters;
    private final SharedClients.Lease<KafkaSettings, KafkaProducers.Shared> lease;

    KafkaTarget(String arn, String topic, KafkaParameters parameters,
                SharedClients.Lease<KafkaSettings, KafkaProducers.Shared> lease) {
        this.arn = arn;
        this.topic = topic;
        this.parameters = parameters;
        this.lease = lease;
    }

    String topic() {
        return topic;
    }

    /** The producer's configuration, for tests and diagnostics. */
    Map<String, Object> producerConfig() {
        return lease.client().config();
    }

    @Override
    public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
        String key = parameters.key() != null ? parameters.key()
                : parameters.keyPath() != null ? parameters.keyPath().select(delivery.eventJson()) : null;
        List<Header> headers = new ArrayList<>(delivery.messageAttributes().size());
        delivery.messageAttributes().forEach((name, value) ->
                headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                delivery.payload().getBytes(StandardCharsets.UTF_8), headers);
        CompletableFuture<DeliveryOutcome> result = new CompletableFuture<>();
        KafkaProducers.Shared shared = lease.client();
        try {
            shared.sendThreads().execute(() -> {
                try {
                    shared.producer().send(record, (metadata, error) -> result.complete(error == null
                            ? DeliveryOutcome.delivered() : KafkaOutcomes.ofError(error, topic)));
                } catch (RuntimeException e) {
                    // Errors before the record reached the accumulator (closed producer, interrupted wait).
                    result.complete(KafkaOutcomes.ofError(e, topic));
                }
            });
        } catch (RuntimeException e) {
            result.complete(KafkaOutcomes.ofError(e, topic)); // the send threads were shut down: closing
        }
        return result;
    }

    @Override
    public void close() {
        lease.close();
    }

    @Override
    public String toString() {
        return "KafkaTarget[" + arn + " -> " + topic + "]";
    }
}
