package io.busbar.targets.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

/**
 * Opens the producers of the Kafka targets: one per distinct {@link KafkaSettings}, shared by the targets that use
 * them, since a Kafka producer is thread-safe and heavy (a network thread, buffers, a producer id) and one per bus
 * and configuration is what Kafka recommends.
 */
final class KafkaProducers {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Pattern CONFIG_NAME = Pattern.compile("configuration ([\\w.]+)");

    /**
     * A producer and the threads that call its {@code send}: {@code send} may wait up to {@code max.block.ms} for a
     * topic's metadata or for buffer space, and the bus's delivery threads must not.
     */
    record Shared(Producer<byte[], byte[]> producer, ExecutorService sendThreads, Map<String, Object> config) {
        void close() {
            sendThreads.shutdown();
            try {
                sendThreads.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(CLOSE_TIMEOUT); // sends what is buffered, within the timeout
        }
    }

    private KafkaProducers() {
    }

    /**
     * A new producer (and its send threads) for these settings; targets share it through
     * {@link io.busbar.core.spi.SharedClients}.
     *
     * @throws IllegalArgumentException when Kafka rejects the configuration (a bad override value)
     */
    static Shared open(KafkaSettings settings) {
        Map<String, Object> config = settings.producerConfig();
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(config);
        } catch (KafkaException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : e.getMessage();
            // Kafka says "Invalid value x for configuration linger.ms: ..."; name the property it came from.
            Matcher m = CONFIG_NAME.matcher(String.valueOf(why));
            String field = KafkaTargetProvider.PRODUCER_PREFIX + (m.find() ? m.group(1) : "*");
            throw new IllegalArgumentException(field + ": " + why + " (expected: a value the Kafka producer accepts)");
        }
        // Two threads: one topic stalled on its metadata does not hold up the others.
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "busbar-kafka-send-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new Shared(producer, threads, Map.copyOf(config));
    }
}
