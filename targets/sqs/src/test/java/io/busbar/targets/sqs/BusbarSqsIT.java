package io.busbar.targets.sqs;

import io.busbar.targets.testing.TestEnvironment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.Busbar;
import io.busbar.core.DeadLetterConfig;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.RetryPolicy;
import io.busbar.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The provider as the bus finds it ({@link java.util.ServiceLoader}) against ElasticMQ: events routed by a rule to
 * a FIFO queue, and a dead-letter queue receiving EventBridge's attributes once a failing target's retries are
 * exhausted.
 */
@Timeout(60)
class BusbarSqsIT {
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

    private static Busbar bus() {
        return Busbar.builder().serviceLoader(true).account(TestEnvironment.ACCOUNT).region(TestEnvironment.REGION)
                .random(new SplittableRandom(7)) // the retry's jitter, the same every run
                .property(SqsTargetProvider.ENDPOINT_PROPERTY, sqs.endpoint()).build();
    }

    @Test
    void ruleDeliversToAFifoQueueWithItsMessageGroup() {
        String url = sqs.createQueue("bus-orders.fifo", false);
        try (Busbar bus = bus()) {
            bus.putRule(PutRuleRequest.pattern("orders", "{\"source\":[\"shop\"]}"));
            Target target = new Target("queue", Queues.arn("bus-orders.fifo"), null, null, null, null,
                    Map.of("SqsParameters", "{\"MessageGroupId\":\"orders\"}"));
            assertEquals(0, bus.putTargets("default", "orders", List.of(target)).failedEntryCount());
            var result = bus.putEvents(List.of(PutEventsEntry.of("shop", "Order Placed", "{\"id\":7}")));
            assertEquals(0, result.failedEntryCount());
            Message m = sqs.receive(url, 1, WAIT).get(0);
            assertTrue(m.body().contains("\"detail\":{\"id\":7}"), m.body());
            assertEquals("orders", m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
            assertEquals(result.entries().get(0).eventId(),
                    m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
        }
    }

    @Test
    void deadLetterQueueReceivesTheEventWithEventBridgesAttributes() {
        String dlqUrl = sqs.createQueue("orders-dlq", false);
        String dlqArn = Queues.arn("orders-dlq");
        try (Busbar bus = bus()) {
            String fn = bus.registerFunction("flaky", d -> {
                throw new IllegalStateException("downstream is down");
            });
            bus.putRule(PutRuleRequest.pattern("audit", "{\"source\":[\"shop\"]}"));
            Target target = new Target("fn", fn, null, null, new RetryPolicy(1, 60), new DeadLetterConfig(dlqArn),
                    null);
            assertEquals(0, bus.putTargets("default", "audit", List.of(target)).failedEntryCount());
            var result = bus.putEvents(List.of(PutEventsEntry.of("shop", "Order Placed", "{\"id\":8}")));
            String eventId = result.entries().get(0).eventId();

            List<Message> letters = sqs.receive(dlqUrl, 1, WAIT);
            assertEquals(1, letters.size());
            Message m = letters.get(0);
            assertTrue(m.body().contains("\"id\":\"" + eventId + "\""), m.body());
            Map<String, String> a = new java.util.TreeMap<>();
            m.messageAttributes().forEach((k, v) -> a.put(k, v.stringValue()));
            assertEquals("arn:aws:events:us-east-1:123456789012:rule/audit", a.get("RULE_ARN"));
            assertEquals(fn, a.get("TARGET_ARN"));
            assertEquals("FUNCTION_ERROR", a.get("ERROR_CODE"));
            assertTrue(a.get("ERROR_MESSAGE").contains("downstream is down"), a.toString());
            assertEquals("MaximumRetryAttempts", a.get("EXHAUSTED_RETRY_CONDITION"));
            assertEquals("1", a.get("RETRY_ATTEMPTS"));
            assertEquals(6, a.size(), a.toString());
        }
    }
}
