package io.busbar.targets.http;

import io.busbar.testing.LocalServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.ApiDestination;
import io.busbar.core.Busbar;
import io.busbar.core.Connection;
import io.busbar.core.DeadLetterConfig;
import io.busbar.core.InMemoryQueue;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.QueueMessage;
import io.busbar.core.RetryPolicy;
import io.busbar.core.Target;
import io.busbar.core.TargetInput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real {@link Busbar} with the provider found by its {@link java.util.ServiceLoader}: matched events reach the
 * endpoint, retryable answers are retried by the bus, and what fails for good lands in an in-memory dead-letter
 * queue with EventBridge's attributes, exactly as for the bus's own targets.
 */
@Timeout(30)
class BusbarEndToEndIT {
    private final LocalServer server = new LocalServer();
    // Zero jitter: every back-off is the minimum 1 ms, so retries happen at once and the test stays fast.
    private final Busbar bus = Busbar.builder().random(() -> 0L).build();
    private final InMemoryQueue dlq = bus.queue("dlq");

    BusbarEndToEndIT() throws java.io.IOException {
    }

    @AfterEach
    void stop() {
        bus.close(Duration.ofSeconds(1));
        server.close();
    }

    private ApiDestination destination(String path) {
        Connection c = bus.createConnection("basic", null, TestEnvironment.basic("u", "p"));
        return bus.createApiDestination("orders", null, c.arn(), server.url(path), "POST", null);
    }

    private void rule(Target target) {
        bus.putRule(PutRuleRequest.pattern("orders", "{\"source\":[\"com.example.orders\"]}"));
        assertEquals(0, bus.putTargets(null, "orders", List.of(target)).failedEntryCount());
    }

    private void put(String detail) {
        assertEquals(0, bus.putEvents(List.of(PutEventsEntry.of("com.example.orders", "Order Placed", detail)))
                .failedEntryCount());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(10);
        }
    }

    @Test
    void aFailedInvocationIsRetriedByTheBusAndThenDelivered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.respond(r -> LocalServer.Response.of(calls.incrementAndGet() == 1 ? 503 : 200));
        ApiDestination d = destination("/orders/*");
        rule(new Target("api", d.arn(), "arn:aws:iam::123456789012:role/ignored", TargetInput.path("$.detail"),
                new RetryPolicy(3, 60), new DeadLetterConfig(dlq.arn()),
                Map.of("HttpParameters", "{\"PathParameterValues\":[\"$.detail.id\"]}")));
        put("{\"id\":\"o-17\",\"total\":5}");
        await(() -> bus.outstandingDeliveries() == 0 && calls.get() == 2);
        assertEquals(2, server.requests().size());
        assertEquals("/orders/o-17", server.last().path());
        assertEquals("{\"id\":\"o-17\",\"total\":5}", server.last().body(), "the InputPath payload");
        assertEquals(0, dlq.size());
        assertEquals(1.0, bus.meterRegistry().get("RetryInvocationAttempts").counter().count());
    }

    @Test
    void exhaustedRetriesGoToTheDeadLetterQueue() throws Exception {
        server.respond(r -> LocalServer.Response.of(500));
        ApiDestination d = destination("/down");
        rule(new Target("api", d.arn(), null, null, new RetryPolicy(2, 60), new DeadLetterConfig(dlq.arn()), null));
        put("{\"id\":\"o-1\"}");
        await(() -> dlq.size() == 1);
        QueueMessage letter = dlq.receive(1).get(0);
        assertEquals(3, server.requests().size(), "the first attempt and two retries");
        assertEquals("SDK_CLIENT_ERROR", letter.attributes().get("ERROR_CODE"));
        assertTrue(letter.attributes().get("ERROR_MESSAGE").contains("HTTP 500"));
        assertEquals("MaximumRetryAttempts", letter.attributes().get("EXHAUSTED_RETRY_CONDITION"));
        assertEquals("2", letter.attributes().get("RETRY_ATTEMPTS"));
        assertEquals(d.arn(), letter.attributes().get("TARGET_ARN"));
        assertTrue(letter.body().contains("\"o-1\""));
    }

    @Test
    void aPermanentAnswerGoesStraightToTheDeadLetterQueue() throws Exception {
        server.respond(r -> LocalServer.Response.of(404));
        ApiDestination d = destination("/missing");
        rule(new Target("api", d.arn(), null, null, new RetryPolicy(5, 60), new DeadLetterConfig(dlq.arn()), null));
        put("{\"id\":\"o-2\"}");
        await(() -> dlq.size() == 1);
        QueueMessage letter = dlq.receive(1).get(0);
        assertEquals(1, server.requests().size(), "not retried");
        assertEquals("SDK_CLIENT_ERROR", letter.attributes().get("ERROR_CODE"));
        assertEquals("0", letter.attributes().get("RETRY_ATTEMPTS"));
        assertNull(letter.attributes().get("EXHAUSTED_RETRY_CONDITION"));
    }

    @Test
    void retryAfterHoldsTheRetryBack() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.respond(r -> calls.incrementAndGet() == 1
                ? new LocalServer.Response(429, Map.of("Retry-After", "1"), "") : LocalServer.Response.of(200));
        ApiDestination d = destination("/busy");
        rule(new Target("api", d.arn(), null, null, new RetryPolicy(3, 60), null, null));
        long start = System.nanoTime();
        put("{}");
        await(() -> calls.get() == 2 && bus.outstandingDeliveries() == 0);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 950, "the retry waited for Retry-After: " + tookMillis + " ms");
    }
}
