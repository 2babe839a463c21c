package io.busbar.targets.kafka;

import io.busbar.targets.testing.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.TargetSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ARNs, parameters and settings, and the producer's behaviour with no broker; no broker is started. */
class KafkaTargetProviderTest {
    private static final Map<String, String> LOCAL = Map.of(KafkaTargetProvider.BOOTSTRAP_PROPERTY,
            "127.0.0.1:1");
    private final KafkaTargetProvider provider = new KafkaTargetProvider();

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private KafkaTarget create(String arn, Map<String, String> parameters, Map<String, String> properties) {
        return (KafkaTarget) provider.create(new TargetSpec(arn, parameters), new TestEnvironment(properties))
                .orElseThrow();
    }

    @Test
    void takesNoOtherArns() {
        TestEnvironment env = new TestEnvironment(LOCAL);
        assertTrue(provider.create(new TargetSpec("arn:aws:sqs:us-east-1:123456789012:q", Map.of()), env).isEmpty());
        assertTrue(provider.create(new TargetSpec("arn:busbar:log:::x", Map.of()), env).isEmpty());
    }

    @Test
    void missingBootstrapIsNamed() {
        assertEquals("busbar.kafka.bootstrap: missing (expected: host:port[,host:port])",
                message(() -> provider.create(new TargetSpec("arn:busbar:kafka:::orders", Map.of()),
                        new TestEnvironment(Map.of()))));
        assertEquals("busbar.kafka.bootstrap: localhost (expected: host:port[,host:port])",
                message(() -> KafkaSettings.from(Map.of(KafkaTargetProvider.BOOTSTRAP_PROPERTY, "localhost"))));
        assertEquals("busbar.kafka.bootstrap: a:1,b:99999 (expected: host:port[,host:port])",
                message(() -> KafkaSettings.from(Map.of(KafkaTargetProvider.BOOTSTRAP_PROPERTY, "a:1,b:99999"))));
        assertEquals("a:1, [::1]:9092", KafkaSettings.from(Map.of(KafkaTargetProvider.BOOTSTRAP_PROPERTY,
                "a:1, [::1]:9092")).bootstrap());
    }

    @Test
    void producerIsIdempotentWithAllAcks() {
        try (KafkaTarget t = create("arn:busbar:kafka:::orders", Map.of(), LOCAL)) {
            Map<String, Object> config = t.producerConfig();
            assertEquals("all", config.get("acks"));
            assertEquals("true", config.get("enable.idempotence"));
            assertEquals("127.0.0.1:1", config.get("bootstrap.servers"));
            assertEquals("orders", t.topic());
        }
    }

    @Test
    void overridesPassThroughButNotTheFixedSettings() {
        Map<String, String> p = new HashMap<>(LOCAL);
        p.put("busbar.kafka.producer.linger.ms", "0");
        p.put("busbar.kafka.producer.compression.type", "lz4");
        KafkaSettings s = KafkaSettings.from(p);
        assertEquals("0", s.producerConfig().get("linger.ms"));
        assertEquals("lz4", s.producerConfig().get("compression.type"));

        p.put("busbar.kafka.producer.acks", "1");
        assertTrue(message(() -> KafkaSettings.from(p)).startsWith("busbar.kafka.producer.acks: 1 (expected: not "
                + "set; Busbar always uses acks=all"));
        p.remove("busbar.kafka.producer.acks");
        p.put("busbar.kafka.producer.enable.idempotence", "false");
        assertTrue(message(() -> KafkaSettings.from(p)).startsWith("busbar.kafka.producer.enable.idempotence:"));
        p.remove("busbar.kafka.producer.enable.idempotence");
        p.put("busbar.kafka.producer.lingerms", "5");
        assertEquals("busbar.kafka.producer.lingerms: 5 (expected: a Kafka producer setting, such as "
                + "busbar.kafka.producer.linger.ms)", message(() -> KafkaSettings.from(p)));
    }

    @Test
    void badOverrideValueIsNamedWhenTheProducerIsCreated() {
        Map<String, String> p = new HashMap<>(LOCAL);
        p.put("busbar.kafka.producer.linger.ms", "soon");
        String m = message(() -> create("arn:busbar:kafka:::orders", Map.of(), p));
        assertTrue(m.startsWith("busbar.kafka.producer.linger.ms: Invalid value soon"), m);
    }

    @Test
    void arnForms() {
        assertEquals("orders", KafkaArn.parse("arn:busbar:kafka:::orders").topic());
        assertEquals("orders", KafkaArn.parse("arn:busbar:kafka:us-east-1:123456789012:orders").topic());
        assertNull(KafkaArn.parse("arn:busbar:kafka:::").topic());
        assertEquals("orders.v1", KafkaArn.parse(
                "arn:aws:kafka:us-east-1:123456789012:topic/shop/5f1e6a2c-1111-2222-3333-444455556666-1/orders.v1")
                .topic());
        assertNull(KafkaArn.parse(
                "arn:aws:kafka:us-east-1:123456789012:cluster/shop/5f1e6a2c-1111-2222-3333-444455556666-1").topic());
        assertTrue(message(() -> KafkaArn.parse("arn:busbar:kafka:::bad topic"))
                .startsWith("target.arn: arn:busbar:kafka:::bad topic (expected: a topic name"));
        assertTrue(message(() -> KafkaArn.parse("arn:aws:kafka:us-east-1:123456789012:group/x"))
                .startsWith("target.arn: arn:aws:kafka:us-east-1:123456789012:group/x (expected: arn:busbar:kafka:"));
        assertTrue(message(() -> KafkaArn.parse("arn:busbar:kafka:::" + "t".repeat(250)))
                .startsWith("target.arn:"));
    }

    @Test
    void topicFromTheArnOrTheParameters() {
        String cluster = "arn:aws:kafka:us-east-1:123456789012:cluster/shop/abc";
        try (KafkaTarget t = create(cluster, Map.of("KafkaParameters", "{\"Topic\":\"payments\"}"), LOCAL)) {
            assertEquals("payments", t.topic());
        }
        assertEquals("KafkaParameters.Topic: missing (expected: a topic name, since the ARN names none)",
                message(() -> create(cluster, Map.of(), LOCAL)));
        assertEquals("KafkaParameters.Topic: other (expected: the topic the ARN names, orders, or no Topic)",
                message(() -> create("arn:busbar:kafka:::orders", Map.of("KafkaParameters", "{\"Topic\":\"other\"}"),
                        LOCAL)));
        try (KafkaTarget t = create("arn:busbar:kafka:::orders", Map.of("KafkaParameters",
                "{\"Topic\":\"orders\"}"), LOCAL)) {
            assertEquals("orders", t.topic());
        }
    }

    @Test
    void kafkaParametersAreChecked() {
        KafkaParameters p = KafkaParameters.parse("{\"Topic\":\"t\",\"KeyPath\":\"$.detail.id\"}");
        assertEquals("t", p.topic());
        assertEquals("$.detail.id", p.keyPath().toString());
        assertEquals("k", KafkaParameters.parse("{\"Key\":\"k\"}").key());
        assertEquals("KafkaParameters.KeyPath: $.a (expected: Key or KeyPath, not both)",
                message(() -> KafkaParameters.parse("{\"Key\":\"k\",\"KeyPath\":\"$.a\"}")));
        assertEquals("KafkaParameters.PartitionKey: unknown member (expected: Topic, Key or KeyPath)",
                message(() -> KafkaParameters.parse("{\"PartitionKey\":\"k\"}")));
        assertEquals("KafkaParameters.Key: 5 (expected: a string)", message(() -> KafkaParameters.parse("{\"Key\":5}")));
        assertTrue(message(() -> KafkaParameters.parse("{\"KeyPath\":\"detail.id\"}"))
                .startsWith("KafkaParameters.KeyPath: detail.id (expected: a JSONPath"));
        assertTrue(message(() -> KafkaParameters.parse("{\"KeyPath\":\"$.detail[*]\"}"))
                .startsWith("KafkaParameters.KeyPath: $.detail[*] (expected"));
        assertTrue(message(() -> KafkaParameters.parse("{\"Topic\":\"a/b\"}"))
                .startsWith("KafkaParameters.Topic: a/b (expected: a topic name"));
        assertTrue(message(() -> KafkaParameters.parse("nope")).startsWith("KafkaParameters: not JSON"));
    }

    @Test
    void keyPathSelectsFromTheEvent() {
        String event = "{\"id\":\"e1\",\"skip\":{\"id\":\"no\",\"deep\":[1,{\"x\":2}]},\"detail\":{\"id\":\"o-42\","
                + "\"n\":1.50,\"ok\":true,\"none\":null,\"obj\":{\"a\":[1, 2]},\"items\":[{\"sku\":\"a\"},"
                + "{\"sku\":\"b\"}]},\"resources\":[\"r0\",\"r1\"]}";
        assertEquals("o-42", KeyPath.parse("f", "$.detail.id").select(event));
        assertEquals("1.50", KeyPath.parse("f", "$.detail.n").select(event));
        assertEquals("true", KeyPath.parse("f", "$.detail.ok").select(event));
        assertNull(KeyPath.parse("f", "$.detail.none").select(event));
        assertNull(KeyPath.parse("f", "$.detail.missing").select(event));
        assertNull(KeyPath.parse("f", "$.detail.id.deeper").select(event));
        assertEquals("{\"a\":[1,2]}", KeyPath.parse("f", "$.detail.obj").select(event));
        assertEquals("b", KeyPath.parse("f", "$.detail.items[1].sku").select(event));
        assertEquals("r1", KeyPath.parse("f", "$.resources[1]").select(event));
        assertNull(KeyPath.parse("f", "$.resources[2]").select(event));
        assertEquals("e1", KeyPath.parse("f", "$.id").select(event));
        assertEquals("a", KeyPath.parse("f", "$.detail-type").select("{\"detail-type\":\"a\"}"));
        assertNull(KeyPath.parse("f", "$.a").select("not json"));
        assertNull(KeyPath.parse("f", "$.a").select(null));
    }

    @Test
    @Timeout(30)
    void noReachableBrokerIsARetryableTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Map<String, String> p = Map.of(KafkaTargetProvider.BOOTSTRAP_PROPERTY, "127.0.0.1:" + port,
                "busbar.kafka.producer.max.block.ms", "1500");
        try (KafkaTarget t = create("arn:busbar:kafka:::orders", Map.of(), p)) {
            long start = System.nanoTime();
            var stage = t.deliver(TestEnvironment.delivery("e-1", "{}"));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1000, "deliver() waited for the producer");
            DeliveryOutcome o = stage.join();
            assertEquals(DeliveryOutcome.Status.RETRYABLE, o.status(), o.toString());
            assertEquals("TIMEOUT", o.errorCode(), o.toString());
        }
    }
}
