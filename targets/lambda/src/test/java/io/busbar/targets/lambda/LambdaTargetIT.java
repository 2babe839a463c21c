package io.busbar.targets.lambda;

import io.busbar.targets.testing.TestEnvironment;
import io.busbar.testing.LocalServer;
import static io.busbar.targets.testing.TestEnvironment.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Asynchronous Invoke calls against a local server that implements Lambda's route. */
@Timeout(20)
class LambdaTargetIT {
    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:";
    private final FakeLambda lambda = new FakeLambda();
    private final LambdaTargetProvider provider = new LambdaTargetProvider();
    private TestEnvironment env = new TestEnvironment(Map.of(LambdaTargetProvider.ENDPOINT_PROPERTY, lambda.url()));

    LambdaTargetIT() throws java.io.IOException {
    }

    @AfterEach
    void stop() {
        lambda.close();
    }

    private DeliveryOutcome invoke(String arnSuffix, String payload) throws Exception {
        DeliveryTarget t = provider.create(new TargetSpec(ARN + arnSuffix, Map.of()), env).orElseThrow();
        return t.deliver(delivery("e-1", payload)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEventInvocationAcceptedWith202IsDelivered() throws Exception {
        lambda.function("orders");
        assertEquals(DeliveryOutcome.delivered(), invoke("orders", "{\"id\":1}"));
        LocalServer.Request r = lambda.server.last();
        assertEquals("POST", r.method());
        assertEquals("/2015-03-31/functions/orders/invocations", r.path());
        assertNull(r.rawQuery());
        assertEquals("Event", r.header("X-Amz-Invocation-Type"));
        assertEquals("{\"id\":1}", r.body());
    }

    @Test
    void theQualifierGoesInTheQuery() throws Exception {
        lambda.function("orders");
        assertEquals(DeliveryOutcome.delivered(), invoke("orders:$LATEST", "{}"));
        assertEquals("Qualifier=%24LATEST", lambda.server.last().rawQuery());
        invoke("orders:live", "{}");
        assertEquals("Qualifier=live", lambda.server.last().rawQuery());
    }

    @Test
    void anUnknownFunctionFailsForGoodWithLambdasErrorInTheMessage() throws Exception {
        DeliveryOutcome o = invoke("ghost", "{}");
        assertEquals(DeliveryOutcome.Status.PERMANENT, o.status());
        assertEquals("NO_RESOURCE", o.errorCode());
        assertTrue(o.message().contains("ResourceNotFoundException: Function not found"), o.message());
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2} {3}")
    @CsvSource({
        "429, TooManyRequestsException,      RETRYABLE, THROTTLING",
        "500, ServiceException,              RETRYABLE, SDK_CLIENT_ERROR",
        "502, EC2ThrottledException,         RETRYABLE, SDK_CLIENT_ERROR",
        "503, ServiceException,              RETRYABLE, SDK_CLIENT_ERROR",
        "409, ResourceConflictException,     RETRYABLE, SDK_CLIENT_ERROR",
        "400, InvalidRequestContentException, PERMANENT, SDK_CLIENT_ERROR",
        "413, RequestTooLargeException,      PERMANENT, SDK_CLIENT_ERROR",
        "403, AccessDeniedException,         PERMANENT, NO_PERMISSIONS",
        "302, Found,                         PERMANENT, SDK_CLIENT_ERROR",
    })
    void errorsAreClassified(int status, String type, DeliveryOutcome.Status expected, String code) throws Exception {
        lambda.answer("f", r -> LocalServer.Response.json(status, "{\"__type\":\"com.amazon#" + type
                + "\",\"message\":\"m\"}"));
        DeliveryOutcome o = invoke("f", "{}");
        assertEquals(expected, o.status());
        assertEquals(code, o.errorCode());
        assertTrue(o.message().contains(type + ": m"), o.message());
    }

    @Test
    void retryAfterIsPassedOnAndANegativeOneStopsRetrying() throws Exception {
        lambda.answer("f", r -> new LocalServer.Response(429, Map.of("Retry-After", "4"), ""));
        assertEquals(Duration.ofSeconds(4), invoke("f", "{}").retryAfter());
        lambda.answer("f", r -> new LocalServer.Response(503, Map.of("Retry-After", "-1"), ""));
        assertEquals(DeliveryOutcome.Status.PERMANENT, invoke("f", "{}").status());
    }

    @Test
    void aFunctionThatNeverAnswersTimesOutRetryably() throws Exception {
        env = new TestEnvironment(Map.of(LambdaTargetProvider.ENDPOINT_PROPERTY, lambda.url(),
                LambdaTargetProvider.TIMEOUT_PROPERTY, "200"));
        lambda.answer("slow", r -> LocalServer.HANG);
        long start = System.nanoTime();
        DeliveryOutcome o = invoke("slow", "{}");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(DeliveryOutcome.Status.RETRYABLE, o.status());
        assertEquals("TIMEOUT", o.errorCode());
        assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
    }

    @Test
    void anEndpointThatIsDownIsRetryable() throws Exception {
        int port;
        try (LocalServer gone = new LocalServer()) {
            port = gone.port();
        }
        env = new TestEnvironment(Map.of(LambdaTargetProvider.ENDPOINT_PROPERTY, "http://127.0.0.1:" + port + "/"));
        DeliveryOutcome o = invoke("f", "{}");
        assertEquals(DeliveryOutcome.Status.RETRYABLE, o.status());
        assertEquals("SDK_CLIENT_ERROR", o.errorCode());
    }
}
