package io.busbar.targets.http;

import io.busbar.testing.LocalServer;
import io.busbar.testing.ManualClock;
import static io.busbar.targets.http.TestEnvironment.delivery;
import static io.busbar.targets.http.TestEnvironment.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.ApiDestination;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OAuth client credentials against a local token endpoint: the token request, caching, refresh before expiry on a
 * manual clock, refresh on 401, and refused credentials.
 */
@Timeout(20)
class OAuthClientCredentialsIT {
    private final ManualClock clock = new ManualClock(TestEnvironment.T0);
    private final LocalServer api = new LocalServer();
    private final LocalServer auth = new LocalServer();
    private final TestEnvironment env = new TestEnvironment(clock, Map.of());
    private final ApiDestinationTargetProvider provider = new ApiDestinationTargetProvider();
    private final AtomicInteger issued = new AtomicInteger();
    /** The token the API accepts; null accepts any. */
    private volatile String accepted;

    OAuthClientCredentialsIT() throws java.io.IOException {
        auth.respond(r -> LocalServer.Response.json(200, "{\"access_token\":\"tok-" + issued.incrementAndGet()
                + "\",\"token_type\":\"bearer\",\"expires_in\":120}"));
        api.respond(r -> accepted == null || ("Bearer " + accepted).equals(r.header("Authorization"))
                ? LocalServer.Response.of(200) : LocalServer.Response.of(401));
    }

    @AfterEach
    void stop() {
        api.close();
        auth.close();
    }

    private Connection connection(String method) {
        return env.connection("oauth", TestEnvironment.oauth(auth.url("/oauth2/token?tenant=t1"), method,
                TestEnvironment.params(Map.of("X-Auth-Extra", "h"), Map.of("q", "1"),
                        Map.of("audience", "https://api.example"))));
    }

    private DeliveryTarget target(Connection c) {
        ApiDestination d = env.destination("d", c, api.url("/events"), "POST", 300);
        return provider.create(new TargetSpec(d.arn(), Map.of()), env).orElseThrow();
    }

    private static DeliveryOutcome deliver(DeliveryTarget t) throws Exception {
        return t.deliver(delivery("{}", event("{}"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theTokenRequestCarriesTheClientCredentialsAndTheConnectionsParameters() throws Exception {
        DeliveryTarget t = target(connection("POST"));
        assertEquals(DeliveryOutcome.delivered(), deliver(t));
        LocalServer.Request token = auth.last();
        assertEquals("POST", token.method());
        assertEquals("/oauth2/token", token.path());
        assertEquals("tenant=t1&q=1", token.rawQuery());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("client-1:s3cret".getBytes(StandardCharsets.UTF_8)),
                token.header("Authorization"));
        assertEquals("application/x-www-form-urlencoded", token.header("Content-Type"));
        assertEquals("h", token.header("X-Auth-Extra"));
        assertEquals("grant_type=client_credentials&audience=https%3A%2F%2Fapi.example", token.body());
        assertEquals("Bearer tok-1", api.last().header("Authorization"));
    }

    @Test
    void aGetTokenRequestPutsTheFormInTheQuery() throws Exception {
        assertEquals(DeliveryOutcome.delivered(), deliver(target(connection("GET"))));
        assertEquals("GET", auth.last().method());
        assertEquals("tenant=t1&q=1&grant_type=client_credentials&audience=https%3A%2F%2Fapi.example",
                auth.last().rawQuery());
        assertEquals("", auth.last().body());
    }

    @Test
    void theTokenIsCachedAndSharedByConcurrentDeliveries() throws Exception {
        DeliveryTarget t = target(connection("POST"));
        List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(t.deliver(delivery("{}", event("{}"))).toCompletableFuture());
        }
        for (CompletableFuture<DeliveryOutcome> f : all) {
            assertEquals(DeliveryOutcome.delivered(), f.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, auth.requests().size(), "one fetch for twenty concurrent deliveries");
        assertTrue(api.requests().stream().allMatch(r -> "Bearer tok-1".equals(r.header("Authorization"))));
    }

    @Test
    void theTokenIsRefreshedBeforeItExpires() throws Exception {
        DeliveryTarget t = target(connection("POST"));
        deliver(t);
        // expires_in 120: refreshed once within 60 s of expiry, so still used at +59 s ...
        clock.advance(Duration.ofSeconds(59));
        deliver(t);
        assertEquals(1, auth.requests().size());
        assertEquals("Bearer tok-1", api.last().header("Authorization"));
        // ... and replaced at +60 s.
        clock.advance(Duration.ofSeconds(1));
        deliver(t);
        assertEquals(2, auth.requests().size());
        assertEquals("Bearer tok-2", api.last().header("Authorization"));
    }

    @Test
    void aTokenWithoutExpiryIsKeptUntilA401() throws Exception {
        auth.respond(r -> LocalServer.Response.json(200, "{\"access_token\":\"tok-" + issued.incrementAndGet()
                + "\"}"));
        DeliveryTarget t = target(connection("POST"));
        deliver(t);
        clock.advance(Duration.ofDays(30));
        deliver(t);
        assertEquals(1, auth.requests().size());
    }

    @Test
    void a401RefreshesTheTokenAndSendsOnceMore() throws Exception {
        DeliveryTarget t = target(connection("POST"));
        deliver(t);
        accepted = "tok-2"; // the API revoked tok-1
        assertEquals(DeliveryOutcome.delivered(), deliver(t));
        assertEquals(2, auth.requests().size());
        List<String> used = api.requests().stream().map(r -> r.header("Authorization")).toList();
        assertEquals(List.of("Bearer tok-1", "Bearer tok-1", "Bearer tok-2"), used);
        // The new token is kept.
        deliver(t);
        assertEquals(2, auth.requests().size());
    }

    @Test
    void a407IsTreatedLikeA401() throws Exception {
        api.respond(r -> "Bearer tok-1".equals(r.header("Authorization")) ? LocalServer.Response.of(407)
                : LocalServer.Response.of(200));
        assertEquals(DeliveryOutcome.delivered(), deliver(target(connection("POST"))));
        assertEquals(2, auth.requests().size());
    }

    @Test
    void a401ToAFreshTokenIsFinal() throws Exception {
        accepted = "never";
        DeliveryOutcome o = deliver(target(connection("POST")));
        assertEquals(DeliveryOutcome.Status.PERMANENT, o.status());
        assertEquals("SDK_CLIENT_ERROR", o.errorCode());
        assertTrue(o.message().contains("401"), o.message());
        assertEquals(2, auth.requests().size());
        assertEquals(2, api.requests().size());
    }

    @Test
    void refusedCredentialsFailForGoodAndAnUnavailableEndpointIsRetried() throws Exception {
        DeliveryTarget t = target(connection("POST"));
        auth.respond(r -> LocalServer.Response.json(400, "{\"error\":\"invalid_client\"}"));
        DeliveryOutcome refused = deliver(t);
        assertEquals(DeliveryOutcome.Status.PERMANENT, refused.status());
        assertEquals("NO_PERMISSIONS", refused.errorCode());
        assertTrue(!refused.message().contains("s3cret"), "no secret in messages");

        auth.respond(r -> new LocalServer.Response(503, Map.of("Retry-After", "3"), ""));
        DeliveryOutcome down = deliver(t);
        assertEquals(DeliveryOutcome.Status.RETRYABLE, down.status());
        assertEquals(Duration.ofSeconds(3), down.retryAfter());

        auth.respond(r -> LocalServer.Response.json(200, "{\"token_type\":\"bearer\"}"));
        assertEquals("NO_PERMISSIONS", deliver(t).errorCode());
        assertEquals(0, api.requests().size(), "nothing sent without a token");
    }

    @Test
    void anUpdatedConnectionGetsANewToken() throws Exception {
        Connection c = connection("POST");
        DeliveryTarget t = target(c);
        deliver(t);
        env.update(c, new ConnectionAuth(ConnectionAuth.AuthorizationType.OAUTH_CLIENT_CREDENTIALS, null, null,
                new ConnectionAuth.OAuth("client-2", "other", auth.url("/oauth2/token"), "POST", null), null));
        deliver(t);
        assertEquals(2, auth.requests().size());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("client-2:other".getBytes(StandardCharsets.UTF_8)),
                auth.last().header("Authorization"));
        assertEquals("Bearer tok-2", api.last().header("Authorization"));
    }
}
