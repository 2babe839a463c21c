package io.busbar.targets.sqs;

import io.busbar.targets.testing.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.TargetSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which ARNs the provider takes and how it rejects bad configuration; no server is needed. */
class SqsTargetProviderTest {
    private static final Map<String, String> LOCAL = Map.of(SqsTargetProvider.ENDPOINT_PROPERTY,
            "http://127.0.0.1:1");
    private final SqsTargetProvider provider = new SqsTargetProvider();

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void takesNoOtherArns() {
        TestEnvironment env = new TestEnvironment(LOCAL);
        assertTrue(provider.create(new TargetSpec("arn:aws:lambda:us-east-1:123456789012:function:f", Map.of()), env)
                .isEmpty());
        assertTrue(provider.create(new TargetSpec("arn:aws:sns:us-east-1:123456789012:topic", Map.of()), env)
                .isEmpty());
    }

    @Test
    void takesNoQueueWithoutAnEndpoint() {
        assertTrue(provider.create(new TargetSpec(Queues.arn("q"), Map.of()),
                new TestEnvironment(Map.of())).isEmpty());
    }

    @Test
    void createsATargetForAQueueArn() {
        try (var target = provider.create(new TargetSpec(Queues.arn("q"), Map.of()),
                new TestEnvironment(LOCAL)).orElseThrow()) {
            assertTrue(target instanceof SqsTarget);
        }
    }

    @Test
    void fifoQueueNeedsAMessageGroup() {
        String m = message(() -> provider.create(new TargetSpec(Queues.arn("q.fifo"), Map.of()),
                new TestEnvironment(LOCAL)));
        assertEquals("SqsParameters.MessageGroupId: missing (expected: a group id for FIFO queue q.fifo)", m);
    }

    @Test
    void badQueueNameIsNamed() {
        String m = message(() -> provider.create(new TargetSpec(Queues.arn("bad.name"), Map.of()),
                new TestEnvironment(LOCAL)));
        assertTrue(m.startsWith("target.arn: arn:aws:sqs:us-east-1:123456789012:bad.name (expected: "), m);
        assertTrue(QueueArn.parse(Queues.arn("a".repeat(80))).name().length() == 80);
        assertThrows(IllegalArgumentException.class, () -> QueueArn.parse(Queues.arn("a".repeat(81))));
        assertTrue(QueueArn.parse(Queues.arn("a".repeat(75) + ".fifo")).fifo());
    }

    @Test
    void sqsParametersAreChecked() {
        assertEquals("g-1", SqsParameters.parse("{\"MessageGroupId\":\"g-1\"}").messageGroupId());
        assertNull(SqsParameters.parse(null).messageGroupId());
        assertNull(SqsParameters.parse("{}").messageGroupId());
        assertTrue(message(() -> SqsParameters.parse("{\"MessageGroupId\":\"\"}"))
                .startsWith("SqsParameters.MessageGroupId:  (expected: 1 to 100 characters"));
        assertTrue(message(() -> SqsParameters.parse("{\"MessageGroupId\":\"" + "g".repeat(101) + "\"}"))
                .startsWith("SqsParameters.MessageGroupId: ggg"));
        assertTrue(message(() -> SqsParameters.parse("{\"MessageGroupId\":\"a b\"}"))
                .startsWith("SqsParameters.MessageGroupId: a b (expected"));
        assertTrue(message(() -> SqsParameters.parse("{\"MessageGroupId\":7}"))
                .startsWith("SqsParameters.MessageGroupId: 7 (expected"));
        assertEquals("SqsParameters.GroupId: unknown member (expected: MessageGroupId)",
                message(() -> SqsParameters.parse("{\"GroupId\":\"g\"}")));
        assertTrue(message(() -> SqsParameters.parse("[1]")).startsWith("SqsParameters: [1] (expected"));
        assertTrue(message(() -> SqsParameters.parse("{")).startsWith("SqsParameters: not JSON"));
    }

    @Test
    void settingsHaveDefaults() {
        SqsSettings s = SqsSettings.from(Map.of(SqsTargetProvider.ENDPOINT_PROPERTY, "http://localhost:9324/"),
                "eu-west-1");
        assertEquals("http://localhost:9324", s.endpoint().toString());
        assertEquals("eu-west-1", s.region());
        assertEquals(SqsSettings.DUMMY_KEY, s.accessKey());
        assertEquals(Duration.ofSeconds(10), s.timeout());
        assertEquals(10, s.maxBatchSize());
        assertEquals(4, s.maxConcurrent());
        assertTrue(!s.toString().contains("secretKey"), s.toString());
    }

    @Test
    void badSettingsAreNamed() {
        String e = SqsTargetProvider.ENDPOINT_PROPERTY;
        assertTrue(message(() -> SqsSettings.from(Map.of(e, "localhost:9324"), "us-east-1"))
                .startsWith("busbar.sqs.endpoint: localhost:9324 (expected: an http or https URL"));
        assertTrue(message(() -> SqsSettings.from(Map.of(e, "http://h:1/queue"), "us-east-1"))
                .startsWith("busbar.sqs.endpoint: http://h:1/queue (expected"));
        assertEquals("busbar.sqs.secretKey: missing (expected: a secret key, since busbar.sqs.accessKey is set)",
                message(() -> SqsSettings.from(Map.of(e, "http://h:1", SqsTargetProvider.ACCESS_KEY_PROPERTY, "AK"),
                        "us-east-1")));
        assertEquals("busbar.sqs.accessKey: missing (expected: an access key id, since busbar.sqs.secretKey is "
                        + "set)", message(() -> SqsSettings.from(Map.of(e, "http://h:1",
                SqsTargetProvider.SECRET_KEY_PROPERTY, "SK"), "us-east-1")));
        assertEquals("busbar.sqs.maxBatchSize: 11 (expected: a whole number from 1 to 10)",
                message(() -> SqsSettings.from(Map.of(e, "http://h:1", SqsTargetProvider.MAX_BATCH_PROPERTY, "11"),
                        "us-east-1")));
        assertEquals("busbar.sqs.timeoutMillis: soon (expected: a whole number of milliseconds from 1 to 86400000)",
                message(() -> SqsSettings.from(Map.of(e, "http://h:1", SqsTargetProvider.TIMEOUT_PROPERTY, "soon"),
                        "us-east-1")));
        assertEquals("busbar.sqs.maxConcurrentRequests: 0 (expected: a whole number from 1 to 1000)",
                message(() -> SqsSettings.from(Map.of(e, "http://h:1", SqsTargetProvider.MAX_CONCURRENT_PROPERTY,
                        "0"), "us-east-1")));
    }

    @Test
    void targetsOfOneEndpointShareOneClient() {
        TestEnvironment env = new TestEnvironment(LOCAL);
        SqsTarget a = (SqsTarget) provider.create(new TargetSpec(Queues.arn("a"), Map.of()), env)
                .orElseThrow();
        SqsTarget b = (SqsTarget) provider.create(new TargetSpec(Queues.arn("b"), Map.of()), env)
                .orElseThrow();
        assertTrue(a.endpoint() == b.endpoint());
        a.close();
        a.close(); // closing twice gives the lease back once
        SqsTarget c = (SqsTarget) provider.create(new TargetSpec(Queues.arn("c"), Map.of()), env)
                .orElseThrow();
        assertTrue(b.endpoint() == c.endpoint());
        b.close();
        c.close();
    }
}
