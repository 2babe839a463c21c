package io.busbar.targets.http;

import io.busbar.testing.LocalServer;
import io.busbar.testing.ManualClock;
import static io.busbar.targets.http.TestEnvironment.delivery;
import static io.busbar.targets.http.TestEnvironment.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.ApiDestination;
import io.busbar.core.Connection;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** API destinations invoked over real loopback sockets: authorization, parameters, every answer class, timeouts. */
@Timeout(20)
class ApiDestinationTargetIT {
    private final ManualClock clock = new ManualClock(TestEnvironment.T0);
    private final LocalServer server = new LocalServer();
    private final ApiDestinationTargetProvider provider = new ApiDestinationTargetProvider();
    private TestEnvironment env = new TestEnvironment(clock, Map.of());

    ApiDestinationTargetIT() throws java.io.IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DeliveryTarget target(ApiDestination d, String httpParameters) {
        Map<String, String> params = new HashMap<>();
        if (httpParameters != null) {
            params.put("HttpParameters", httpParameters);
        }
        return provider.create(new TargetSpec(d.arn(), params), env).orElseThrow();
    }

    private static DeliveryOutcome deliver(DeliveryTarget t, Delivery d) throws Exception {
        return t.deliver(d).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private ApiDestination basicDestination(String path, String method) {
        Connection c = env.connection("basic", TestEnvironment.basic("alice", "pa55"));
        return env.destination("orders", c, server.url(path), method, 300);
    }

    @Test
    void basicAuthPostsThePayloadWithEventBridgesHeaders() throws Exception {
        DeliveryTarget t = target(basicDestination("/orders", "POST"), null);
        String payload = "{\"order\":42}";
        assertEquals(DeliveryOutcome.delivered(), deliver(t, delivery(payload, event("{}"))));
        LocalServer.Request r = server.last();
        assertEquals("POST", r.method());
        assertEquals("/orders", r.path());
        assertEquals(payload, r.body());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:pa55".getBytes(StandardCharsets.UTF_8)),
                r.header("Authorization"));
        assertEquals("Amazon/EventBridge/ApiDestinations", r.header("User-Agent"));
        assertEquals("application/json; charset=utf-8", r.header("Content-Type"));
        assertEquals("bytes=0-1048575", r.header("Range"));
        assertEquals("gzip,deflate", r.header("Accept-Encoding"));
    }

    @Test
    void apiKeyAuthSendsTheNamedHeader() throws Exception {
        Connection c = env.connection("key", TestEnvironment.apiKey("x-api-key", "k-123", null));
        DeliveryTarget t = target(env.destination("d", c, server.url("/hook"), "PUT", 300), null);
        assertEquals(DeliveryOutcome.delivered(), deliver(t, delivery("{}", event("{}"))));
        assertEquals("PUT", server.last().method());
        assertEquals("k-123", server.last().header("x-api-key"));
        assertNull(server.last().header("Authorization"));
    }

    @Test
    void getAndHeadCarryNoBody() throws Exception {
        for (String method : new String[] {"GET", "HEAD"}) {
            DeliveryTarget t = target(basicDestination("/q", method), null);
            assertEquals(DeliveryOutcome.delivered(), deliver(t, delivery("{\"a\":1}", event("{}"))));
            assertEquals(method, server.last().method());
            assertEquals("", server.last().body());
        }
    }

    @Test
    void headerAndQueryParametersMergeWithTheConnectionWinning() throws Exception {
        Connection c = env.connection("p", TestEnvironment.apiKey("x-api-key", "k", TestEnvironment.params(
                Map.of("X-Team", "from-connection", "X-Conn", "c"),
                Map.of("region", "from-connection"),
                Map.of("source", "busbar", "order", "from-connection"))));
        ApiDestination d = env.destination("d", c, server.url("/in?fixed=1"), "POST", 300);
        DeliveryTarget t = target(d, """
                {"HeaderParameters": {"x-team": "from-target", "X-Trace": "$.detail.trace",
                                      "Content-Type": "text/plain"},
                 "QueryStringParameters": {"region": "from-target", "q": "a b&c", "id": "$.detail.id"}}""");
        DeliveryOutcome o = deliver(t, delivery("{\"order\":1}", event("{\"trace\":\"tr-9\",\"id\":7}")));
        assertEquals(DeliveryOutcome.delivered(), o);
        LocalServer.Request r = server.last();
        assertEquals("from-connection", r.header("X-Team"), "the connection wins, names compared case-insensitively");
        assertEquals(1, r.headers().get("X-team").size());
        assertEquals("c", r.header("X-Conn"));
        assertEquals("tr-9", r.header("X-Trace"), "a header value resolved from the event");
        assertEquals("text/plain", r.header("Content-Type"), "EventBridge's Content-Type can be overridden");
        assertEquals("fixed=1&region=from-connection&q=a%20b%26c&id=7", r.rawQuery());
        // Body parameters become members of a JSON-object payload; the connection wins on a conflict.
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"order\":\"from-connection\",\"source\":\"busbar\"}"),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()));
        // A payload that is not a JSON object goes as it is.
        deliver(t, delivery("\"just text\"", event("{\"trace\":\"x\",\"id\":1}")));
        assertEquals("\"just text\"", server.last().body());
    }

    @Test
    void pathWildcardsTakeStaticValuesAndPathsIntoTheOriginalEvent() throws Exception {
        Connection c = env.connection("b", TestEnvironment.basic("u", "p"));
        ApiDestination d = env.destination("d", c, server.url("/tenants/*/orders/*/items/*"), "POST", 300);
        DeliveryTarget t = target(d, "{\"PathParameterValues\": [\"acme\", \"$.detail.id\", \"$.detail.sku\"]}");
        // The payload is a transformed one without the id: paths read the original event.
        DeliveryOutcome o = deliver(t, delivery("{\"only\":\"this\"}",
                event("{\"id\":\"o-1\",\"sku\":\"a/b c\"}")));
        assertEquals(DeliveryOutcome.delivered(), o);
        assertEquals("/tenants/acme/orders/o-1/items/a%2Fb%20c", server.last().path(),
                "each value stays one path segment");
        assertEquals("{\"only\":\"this\"}", server.last().body());
    }

    @Test
    void parametersThatDoNotFitTheEventOrDestinationFailForGood() throws Exception {
        Connection c = env.connection("b", TestEnvironment.basic("u", "p"));
        ApiDestination d = env.destination("d", c, server.url("/o/*"), "POST", 300);
        DeliveryOutcome missing = deliver(target(d, "{\"PathParameterValues\": [\"$.detail.nope\"]}"),
                delivery("{}", event("{}")));
        assertEquals(DeliveryOutcome.Status.PERMANENT, missing.status());
        assertEquals("INVALID_PARAMETER", missing.errorCode());
        assertTrue(missing.message().contains("HttpParameters.PathParameterValues[0]"), missing.message());

        DeliveryOutcome count = deliver(target(d, "{\"PathParameterValues\": [\"a\", \"b\"]}"),
                delivery("{}", event("{}")));
        assertEquals("INVALID_PARAMETER", count.errorCode());
        assertTrue(count.message().contains("expected: 1"), count.message());
        assertEquals(0, server.requests().size(), "nothing was sent");
    }

    @ParameterizedTest(name = "HTTP {0} -> {1} {2}")
    @CsvSource({
        "200, DELIVERED, ",
        "201, DELIVERED, ",
        "204, DELIVERED, ",
        "301, PERMANENT, SDK_CLIENT_ERROR",
        "302, PERMANENT, SDK_CLIENT_ERROR",
        "304, PERMANENT, SDK_CLIENT_ERROR",
        "400, PERMANENT, SDK_CLIENT_ERROR",
        "403, PERMANENT, SDK_CLIENT_ERROR",
        "404, PERMANENT, SDK_CLIENT_ERROR",
        "429, RETRYABLE, THROTTLING",
        "500, RETRYABLE, SDK_CLIENT_ERROR",
        "502, RETRYABLE, SDK_CLIENT_ERROR",
        "503, RETRYABLE, SDK_CLIENT_ERROR",
    })
    void answersAreClassifiedAsEventBridgeDoes(int status, DeliveryOutcome.Status expected, String code)
            throws Exception {
        server.respond(r -> new LocalServer.Response(status,
                status / 100 == 3 ? Map.of("Location", server.url("/elsewhere")) : Map.of(), ""));
        DeliveryOutcome o = deliver(target(basicDestination("/s", "POST"), null), delivery("{}", event("{}")));
        assertEquals(expected, o.status());
        assertEquals(code, o.errorCode());
        assertNull(o.retryAfter());
        assertEquals(1, server.requests().size(), "redirects are not followed");
    }

    @Test
    void retryAfterIsPassedOnAndANegativeOneStopsRetrying() throws Exception {
        DeliveryTarget t = target(basicDestination("/s", "POST"), null);
        server.respond(r -> new LocalServer.Response(429, Map.of("Retry-After", "7"), ""));
        DeliveryOutcome throttled = deliver(t, delivery("{}", event("{}")));
        assertEquals(DeliveryOutcome.Status.RETRYABLE, throttled.status());
        assertEquals("THROTTLING", throttled.errorCode());
        assertEquals(Duration.ofSeconds(7), throttled.retryAfter());

        server.respond(r -> new LocalServer.Response(503, Map.of("Retry-After", "120"), ""));
        assertEquals(Duration.ofSeconds(120), deliver(t, delivery("{}", event("{}"))).retryAfter());

        server.respond(r -> new LocalServer.Response(429, Map.of("Retry-After", "-1"), ""));
        DeliveryOutcome stop = deliver(t, delivery("{}", event("{}")));
        assertEquals(DeliveryOutcome.Status.PERMANENT, stop.status());
        assertEquals("THROTTLING", stop.errorCode());
    }

    @Test
    void anEndpointThatNeverAnswersTimesOutRetryably() throws Exception {
        env = new TestEnvironment(clock, Map.of(ApiDestinationTargetProvider.TIMEOUT_PROPERTY, "200"));
        server.respond(r -> LocalServer.HANG);
        DeliveryTarget t = target(basicDestination("/slow", "POST"), null);
        long start = System.nanoTime();
        DeliveryOutcome o = deliver(t, delivery("{}", event("{}")));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(DeliveryOutcome.Status.RETRYABLE, o.status());
        assertEquals("TIMEOUT", o.errorCode());
        assertTrue(tookMillis >= 150 && tookMillis < 5_000, "took " + tookMillis + " ms");
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int port;
        try (LocalServer gone = new LocalServer()) {
            port = gone.port();
        }
        Connection c = env.connection("b", TestEnvironment.basic("u", "p"));
        DeliveryTarget t = target(env.destination("d", c, "http://127.0.0.1:" + port + "/x", "POST", 300), null);
        DeliveryOutcome o = deliver(t, delivery("{}", event("{}")));
        assertEquals(DeliveryOutcome.Status.RETRYABLE, o.status());
        assertEquals("SDK_CLIENT_ERROR", o.errorCode());
    }

    @Test
    void theDestinationIsLookedUpAtEachDelivery() throws Exception {
        ApiDestination d = basicDestination("/v1", "POST");
        DeliveryTarget t = target(d, null);
        deliver(t, delivery("{}", event("{}")));
        assertEquals("/v1", server.last().path());
        env.update(d, server.url("/v2"), "PATCH", 300);
        deliver(t, delivery("{}", event("{}")));
        assertEquals("/v2", server.last().path());
        assertEquals("PATCH", server.last().method());
        env.remove(d);
        DeliveryOutcome gone = deliver(t, delivery("{}", event("{}")));
        assertEquals(DeliveryOutcome.Status.PERMANENT, gone.status());
        assertEquals("NO_RESOURCE", gone.errorCode());
    }

    @Test
    void overTheRateLimitDeliveriesAreHandedBackWithTheWaitWhenTheyMayNotBeHeld() throws Exception {
        env = new TestEnvironment(clock, Map.of(ApiDestinationTargetProvider.MAX_RATE_LIMIT_DELAY_PROPERTY, "0"));
        Connection c = env.connection("b", TestEnvironment.basic("u", "p"));
        DeliveryTarget t = target(env.destination("d", c, server.url("/r"), "POST", 2), null);
        assertEquals(DeliveryOutcome.delivered(), deliver(t, delivery("{}", event("{}"))));
        assertEquals(DeliveryOutcome.delivered(), deliver(t, delivery("{}", event("{}"))));
        DeliveryOutcome third = deliver(t, delivery("{}", event("{}")));
        assertEquals(DeliveryOutcome.Status.RETRYABLE, third.status());
        assertEquals("THROTTLING", third.errorCode());
        assertEquals(Duration.ofMillis(500), third.retryAfter());
        assertEquals(2, server.requests().size());
        clock.advance(Duration.ofMillis(500));
        assertEquals(DeliveryOutcome.delivered(), deliver(t, delivery("{}", event("{}"))));
        assertEquals(3, server.requests().size());
    }

    @Test
    void overTheRateLimitDeliveriesAreDelayedNotFailed() throws Exception {
        env = new TestEnvironment(java.time.Clock.systemUTC(), Map.of());
        Connection c = env.connection("b", TestEnvironment.basic("u", "p"));
        DeliveryTarget t = target(env.destination("d", c, server.url("/r"), "POST", 5), null);
        long start = System.nanoTime();
        var stages = new java.util.ArrayList<java.util.concurrent.CompletableFuture<DeliveryOutcome>>();
        for (int i = 0; i < 10; i++) {
            stages.add(t.deliver(delivery("{\"n\":" + i + "}", event("{}"))).toCompletableFuture());
        }
        for (var s : stages) {
            assertEquals(DeliveryOutcome.delivered(), s.get(10, TimeUnit.SECONDS));
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        // Five go at once (a second's worth), then one every 200 ms: the tenth is due at 1 s.
        assertTrue(tookMillis >= 900, "took " + tookMillis + " ms");
        assertEquals(10, server.requests().size());
    }
}
