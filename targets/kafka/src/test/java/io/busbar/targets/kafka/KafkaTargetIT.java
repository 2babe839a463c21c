package io.busbar.targets.kafka;

import io.busbar.targets.testing.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.Busbar;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Target;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryOutcome.Status;
import io.busbar.core.spi.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka targets against a real single-node KRaft broker ({@link KafkaBroker}, one for the class): topic, key
 * (static and from a JSON path), value and headers as they arrive; the producer's idempotence as the broker sees
 * it; the failures a missing topic and an oversized record are classified as; and the provider found by a real
 * {@link Busbar}.
 */
@Timeout(120)
class KafkaTargetIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        broker = KafkaBroker.start();
        System.out.printf("Kafka broker ready at %s in %d ms%n", broker.bootstrap(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> properties(String... more) {
        Map<String, String> p = new HashMap<>();
        p.put(KafkaTargetProvider.BOOTSTRAP_PROPERTY, broker.bootstrap());
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static KafkaTarget target(KafkaTargetProvider provider, String arn, String kafkaParameters,
                                      Map<String, String> properties) {
        Map<String, String> parameters = kafkaParameters == null ? Map.of()
                : Map.of("KafkaParameters", kafkaParameters);
        return (KafkaTarget) provider.create(new TargetSpec(arn, parameters), new TestEnvironment(properties))
                .orElseThrow();
    }

    /** Every record of partition 0 from the start, until {@code count} arrived or the wait is over. */
    private static List<ConsumerRecord<byte[], byte[]>> records(String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void recordsCarryTopicKeyValueAndHeaders() throws Exception {
        broker.createTopic("orders");
        KafkaTargetProvider provider = new KafkaTargetProvider();
        String event = "{\"id\":\"e-1\",\"detail\":{\"id\":\"o-42\",\"total\":12.5}}";
        try (KafkaTarget staticKey = target(provider, "arn:busbar:kafka:::orders", "{\"Key\":\"fixed\"}",
                properties());
             KafkaTarget pathKey = target(provider, "arn:busbar:kafka:::orders", "{\"KeyPath\":\"$.detail.id\"}",
                     properties());
             KafkaTarget noKey = target(provider, "arn:busbar:kafka:::", "{\"Topic\":\"orders\"}", properties())) {
            assertEquals(DeliveryOutcome.delivered(), staticKey.deliver(TestEnvironment.delivery("e-1", "{\"a\":1}",
                    event, Map.of())).join());
            // The key comes from the original event even when the payload is something else (an InputPath).
            assertEquals(DeliveryOutcome.delivered(), pathKey.deliver(TestEnvironment.delivery("e-1",
                    "{\"id\":\"o-42\",\"total\":12.5}", event, Map.of())).join());
            assertEquals(DeliveryOutcome.delivered(), noKey.deliver(TestEnvironment.delivery("e-1", "{}", event,
                    Map.of("ERROR_CODE", "THROTTLING"))).join());
        }
        List<ConsumerRecord<byte[], byte[]>> got = records("orders", 3);
        assertEquals(3, got.size());
        assertEquals("orders", got.get(0).topic());
        assertEquals("fixed", text(got.get(0).key()));
        assertEquals("{\"a\":1}", text(got.get(0).value()));
        assertEquals("o-42", text(got.get(1).key()));
        assertEquals("{\"id\":\"o-42\",\"total\":12.5}", text(got.get(1).value()));
        assertNull(got.get(2).key());
        assertEquals("THROTTLING", text(got.get(2).headers().lastHeader("ERROR_CODE").value()));
    }

    @Test
    void theBrokerSeesAnIdempotentProducer() throws Exception {
        broker.createTopic("idempotent");
        try (KafkaTarget t = target(new KafkaTargetProvider(), "arn:busbar:kafka:::idempotent", null,
                properties())) {
            assertEquals("all", t.producerConfig().get("acks"));
            assertEquals("true", t.producerConfig().get("enable.idempotence"));
            assertEquals(DeliveryOutcome.delivered(), t.deliver(TestEnvironment.delivery("e-2", "{}")).join());
        }
        TopicPartition tp = new TopicPartition("idempotent", 0);
        List<ProducerState> producers = broker.admin().describeProducers(List.of(tp)).partitionResult(tp)
                .get(10, TimeUnit.SECONDS).activeProducers();
        // Only idempotent (or transactional) producers get a producer id the partition keeps state for.
        assertEquals(1, producers.size(), producers.toString());
        assertTrue(producers.get(0).producerId() >= 0);
        assertEquals(0, producers.get(0).lastSequence()); // the first record of its sequence
    }

    @Test
    void missingTopicIsAPermanentNoResource() {
        KafkaTargetProvider provider = new KafkaTargetProvider();
        // auto.create.topics.enable=false on the broker: the metadata never names the topic.
        try (KafkaTarget t = target(provider, "arn:busbar:kafka:::no-such-topic", null,
                properties("busbar.kafka.producer.max.block.ms", "1500"))) {
            long start = System.nanoTime();
            var stage = t.deliver(TestEnvironment.delivery("e-3", "{}"));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1000, "deliver() waited for the metadata");
            DeliveryOutcome o = stage.join();
            assertEquals(Status.PERMANENT, o.status(), o.toString());
            assertEquals("NO_RESOURCE", o.errorCode(), o.toString());
        }
    }

    @Test
    void oversizedRecordIsPermanent() throws Exception {
        broker.createTopic("small");
        try (KafkaTarget t = target(new KafkaTargetProvider(), "arn:busbar:kafka:::small", null,
                properties("busbar.kafka.producer.max.request.size", "2048"))) {
            DeliveryOutcome o = t.deliver(TestEnvironment.delivery("e-4", "{\"x\":\"" + "x".repeat(4096) + "\"}"))
                    .join();
            assertEquals(Status.PERMANENT, o.status(), o.toString());
            assertEquals("SDK_CLIENT_ERROR", o.errorCode(), o.toString());
            assertTrue(o.message().contains("RecordTooLargeException"), o.message());
        }
    }

    @Test
    void busDeliversMatchedEventsToKafka() throws Exception {
        broker.createTopic("bus-orders");
        try (Busbar bus = Busbar.builder().serviceLoader(true)
                .property(KafkaTargetProvider.BOOTSTRAP_PROPERTY, broker.bootstrap()).build()) {
            bus.putRule(PutRuleRequest.pattern("orders", "{\"source\":[\"shop\"]}"));
            Target target = new Target("kafka", "arn:busbar:kafka:::bus-orders", null, null, null, null,
                    Map.of("KafkaParameters", "{\"KeyPath\":\"$.detail.orderId\"}"));
            assertEquals(0, bus.putTargets("default", "orders", List.of(target)).failedEntryCount());
            var result = bus.putEvents(List.of(
                    PutEventsEntry.of("shop", "Order Placed", "{\"orderId\":\"o-1\"}"),
                    PutEventsEntry.of("shop", "Order Placed", "{\"orderId\":\"o-2\"}"),
                    PutEventsEntry.of("elsewhere", "Order Placed", "{\"orderId\":\"o-3\"}")));
            assertEquals(0, result.failedEntryCount());
            List<ConsumerRecord<byte[], byte[]>> got = records("bus-orders", 2);
            assertEquals(2, got.size());
            List<String> keys = got.stream().map(r -> text(r.key())).sorted().toList();
            assertEquals(List.of("o-1", "o-2"), keys);
            for (ConsumerRecord<byte[], byte[]> r : got) {
                String value = text(r.value());
                assertTrue(value.contains("\"source\":\"shop\"") && value.contains("\"orderId\":\"" + text(r.key())),
                        value);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (bus.outstandingDeliveries() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            TopicPartition tp = new TopicPartition("bus-orders", 0);
            long end = broker.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)
                    .get(10, TimeUnit.SECONDS).offset();
            assertEquals(2, end, "the unmatched event went nowhere");
        }
    }
}
