package io.busbar.targets.lambda;

import io.busbar.testing.LocalServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.Busbar;
import io.busbar.core.DeadLetterConfig;
import io.busbar.core.InMemoryQueue;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.QueueMessage;
import io.busbar.core.RetryPolicy;
import io.busbar.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real {@link Busbar} with the provider found by its {@link java.util.ServiceLoader}: functions registered in
 * the bus stay in-process, the others are invoked at the endpoint, and failures take the bus's retry and
 * dead-letter path.
 */
@Timeout(30)
class BusbarEndToEndIT {
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:";
    private final FakeLambda lambda = new FakeLambda();
    private final Busbar bus = Busbar.builder().random(() -> 0L)
            .property(LambdaTargetProvider.ENDPOINT_PROPERTY, lambda.url()).build();
    private final InMemoryQueue dlq = bus.queue("dlq");

    BusbarEndToEndIT() throws java.io.IOException {
    }

    @AfterEach
    void stop() {
        bus.close(Duration.ofSeconds(1));
        lambda.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(10);
        }
    }

    @Test
    void builtInFunctionsComeFirstAndTheRestGoToTheEndpoint() throws Exception {
        AtomicInteger local = new AtomicInteger();
        String inProcess = bus.registerFunction("local", d -> local.incrementAndGet());
        lambda.function("remote");
        bus.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example\"]}"));
        bus.putTargets(null, "r", List.of(Target.of("a", inProcess), Target.of("b", FN + "remote")));
        bus.putEvents(List.of(PutEventsEntry.of("com.example", "T", "{\"n\":1}")));
        await(() -> bus.outstandingDeliveries() == 0 && local.get() == 1 && lambda.server.requests().size() == 1);
        assertEquals("/2015-03-31/functions/remote/invocations", lambda.server.last().path());
        assertTrue(lambda.server.last().body().contains("\"n\":1"));
    }

    @Test
    void throttlingIsRetriedAndAMissingFunctionGoesToTheDeadLetterQueue() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        lambda.answer("busy", r -> calls.incrementAndGet() < 3 ? LocalServer.Response.json(429,
                "{\"Type\":\"User\",\"message\":\"Rate exceeded\"}") : LocalServer.Response.of(202));
        bus.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example\"]}"));
        bus.putTargets(null, "r", List.of(
                new Target("busy", FN + "busy", null, null, new RetryPolicy(5, 60), new DeadLetterConfig(dlq.arn()),
                        null),
                new Target("ghost", FN + "ghost", null, null, new RetryPolicy(5, 60),
                        new DeadLetterConfig(dlq.arn()), null)));
        bus.putEvents(List.of(PutEventsEntry.of("com.example", "T", "{}")));
        await(() -> bus.outstandingDeliveries() == 0 && calls.get() == 3 && dlq.size() == 1);
        QueueMessage letter = dlq.receive(1).get(0);
        assertEquals(FN + "ghost", letter.attributes().get("TARGET_ARN"));
        assertEquals("NO_RESOURCE", letter.attributes().get("ERROR_CODE"));
        assertEquals("0", letter.attributes().get("RETRY_ATTEMPTS"));
    }
}
