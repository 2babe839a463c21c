package io.busbar.targets.sqs;

import io.busbar.targets.testing.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryOutcome.Status;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetSpec;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** SQS targets against a real ElasticMQ server: standard and FIFO queues, attributes, batching, failures. */
@Timeout(60)
class SqsTargetIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static ElasticMq sqs;

    @BeforeAll
    static void start() {
        sqs = new ElasticMq();
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
    }

    private static TestEnvironment env(String... more) {
        Map<String, String> p = new HashMap<>();
        p.put(SqsTargetProvider.ENDPOINT_PROPERTY, sqs.endpoint());
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return new TestEnvironment(p);
    }

    private static DeliveryTarget target(String queue, Map<String, String> parameters, TestEnvironment env) {
        return new SqsTargetProvider().create(new TargetSpec(Queues.arn(queue), parameters), env)
                .orElseThrow();
    }

    private static DeliveryOutcome deliver(DeliveryTarget t, String eventId, String payload) {
        return t.deliver(TestEnvironment.delivery(eventId, payload)).toCompletableFuture().join();
    }

    @Test
    void standardQueueReceivesThePayloadAsBody() {
        String url = sqs.createQueue("orders", false);
        try (DeliveryTarget t = target("orders", Map.of(), env())) {
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-1", "{\"id\":\"e-1\",\"detail\":{}}"));
        }
        List<Message> got = sqs.receive(url, 1, WAIT);
        assertEquals(1, got.size());
        assertEquals("{\"id\":\"e-1\",\"detail\":{}}", got.get(0).body());
        assertTrue(got.get(0).messageAttributes().isEmpty());
    }

    @Test
    void messageAttributesArrive() {
        String url = sqs.createQueue("with-attributes", false);
        try (DeliveryTarget t = target("with-attributes", Map.of(), env())) {
            DeliveryOutcome o = t.deliver(TestEnvironment.delivery("e-2", "{}", Map.of("ERROR_CODE", "THROTTLING",
                    "RETRY_ATTEMPTS", "3", "EMPTY", ""))).toCompletableFuture().join();
            assertEquals(DeliveryOutcome.delivered(), o);
        }
        Message m = sqs.receive(url, 1, WAIT).get(0);
        assertEquals("THROTTLING", m.messageAttributes().get("ERROR_CODE").stringValue());
        assertEquals("String", m.messageAttributes().get("ERROR_CODE").dataType());
        assertEquals("3", m.messageAttributes().get("RETRY_ATTEMPTS").stringValue());
        assertTrue(!m.messageAttributes().containsKey("EMPTY"), "SQS refuses empty values: left out");
    }

    @Test
    void fifoQueueGetsTheGroupAndTheEventIdAsDeduplicationId() {
        String url = sqs.createQueue("orders.fifo", false);
        try (DeliveryTarget t = target("orders.fifo", Map.of("SqsParameters", "{\"MessageGroupId\":\"g1\"}"),
                env())) {
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-10", "{\"n\":1}"));
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-11", "{\"n\":2}"));
            // A retry of e-10 (its first answer lost, say) is accepted and stored once.
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-10", "{\"n\":1}"));
        }
        List<Message> got = sqs.receive(url, 3, Duration.ofSeconds(3));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), got.stream().map(Message::body).toList());
        for (Message m : got) {
            assertEquals("g1", m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        }
        assertEquals("e-10", got.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
    }

    @Test
    void fifoQueueWithContentBasedDeduplicationLetsSqsDeduplicate() {
        String url = sqs.createQueue("content.fifo", true);
        try (DeliveryTarget t = target("content.fifo", Map.of("SqsParameters", "{\"MessageGroupId\":\"g2\"}"),
                env())) {
            // Same event, different payloads (two input transformers, say): both kept, as SQS hashes the body.
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-20", "{\"a\":1}"));
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-20", "{\"a\":2}"));
        }
        List<Message> got = sqs.receive(url, 2, WAIT);
        assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), got.stream().map(Message::body).toList());
    }

    @Test
    void deliveriesReadyTogetherLeaveInBatches() {
        String url = sqs.createQueue("busy", false);
        SqsTarget t = (SqsTarget) target("busy", Map.of(), env(SqsTargetProvider.MAX_CONCURRENT_PROPERTY, "1"));
        try (t) {
            List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                all.add(t.deliver(TestEnvironment.delivery("e-" + i, "{\"n\":" + i + "}")).toCompletableFuture());
            }
            for (CompletableFuture<DeliveryOutcome> f : all) {
                assertEquals(DeliveryOutcome.delivered(), f.join());
            }
            String queueUrl = t.endpoint().queue(QueueArn.parse(Queues.arn("busy")), null).join().url();
            QueueSender sender = t.endpoint().sender(queueUrl);
            long requests = sender.singleRequests() + sender.batchRequests();
            assertTrue(sender.batchRequests() >= 1, "no batch was sent");
            assertTrue(requests <= 10, requests + " requests for 25 messages");
        }
        Set<String> bodies = new HashSet<>();
        sqs.receive(url, 25, WAIT).forEach(m -> bodies.add(m.body()));
        assertEquals(25, bodies.size());
    }

    @Test
    void missingQueueIsAPermanentNoResource() {
        try (DeliveryTarget t = target("no-such-queue", Map.of(), env())) {
            DeliveryOutcome o = deliver(t, "e-30", "{}");
            assertEquals(Status.PERMANENT, o.status(), o.toString());
            assertEquals("NO_RESOURCE", o.errorCode());
            // Once the queue exists, the next delivery finds it: a failed lookup is not cached.
            String url = sqs.createQueue("no-such-queue", false);
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-31", "{}"));
            assertEquals(1, sqs.receive(url, 1, WAIT).size());
        }
    }

    @Test
    void deletedQueueIsForgotten() {
        String url = sqs.createQueue("short-lived", false);
        try (DeliveryTarget t = target("short-lived", Map.of(), env())) {
            assertEquals(DeliveryOutcome.delivered(), deliver(t, "e-40", "{}"));
            sqs.client().deleteQueue(b -> b.queueUrl(url)).join();
            DeliveryOutcome o = deliver(t, "e-41", "{}");
            assertEquals(Status.PERMANENT, o.status(), o.toString());
            assertEquals("NO_RESOURCE", o.errorCode());
        }
    }

    @Test
    void unreachableEndpointIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        TestEnvironment env = new TestEnvironment(Map.of(SqsTargetProvider.ENDPOINT_PROPERTY,
                "http://127.0.0.1:" + port, SqsTargetProvider.TIMEOUT_PROPERTY, "2000"));
        try (DeliveryTarget t = target("anything", Map.of(), env)) {
            DeliveryOutcome o = deliver(t, "e-50", "{}");
            assertEquals(Status.RETRYABLE, o.status(), o.toString());
        }
    }
}
