package io.busbar.targets.http;

import io.busbar.core.ApiDestination;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.HttpParameter;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.TargetEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bus environment for targets tested on their own: destinations and connections are put in by the test and may
 * be replaced between deliveries, as UpdateApiDestination would. Thread-safe.
 */
final class TestEnvironment implements TargetEnvironment {
    static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");
    private static final AtomicInteger IDS = new AtomicInteger();

    private final Clock clock;
    private final Map<String, String> properties;
    private final Map<String, ApiDestination> destinations = new ConcurrentHashMap<>();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    TestEnvironment(Clock clock, Map<String, String> properties) {
        this.clock = clock;
        this.properties = Map.copyOf(properties);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String account() {
        return "123456789012";
    }

    @Override
    public String region() {
        return "us-east-1";
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public Optional<ApiDestination> apiDestination(String arn) {
        return Optional.ofNullable(destinations.get(arn));
    }

    @Override
    public Optional<Connection> connection(String arn) {
        return Optional.ofNullable(connections.get(arn));
    }

    @Override
    public DeliveryOutcome forward(String busName, String eventJson) {
        throw new UnsupportedOperationException();
    }

    Connection connection(String name, ConnectionAuth auth) {
        Connection c = new Connection(name, "arn:aws:events:us-east-1:123456789012:connection/" + name + "/"
                + "c0ffee-" + IDS.incrementAndGet(), null, auth,
                auth.type() == ConnectionAuth.AuthorizationType.OAUTH_CLIENT_CREDENTIALS ? "AUTHORIZING"
                        : "AUTHORIZED", T0, T0, T0);
        connections.put(c.arn(), c);
        return c;
    }

    /** Replaces a connection's authorization, keeping its ARN (UpdateConnection). */
    Connection update(Connection c, ConnectionAuth auth) {
        Connection u = new Connection(c.name(), c.arn(), c.description(), auth, c.state(), c.created(), T0, T0);
        connections.put(u.arn(), u);
        return u;
    }

    ApiDestination destination(String name, Connection c, String endpoint, String method, int rate) {
        ApiDestination d = new ApiDestination(name, "arn:aws:events:us-east-1:123456789012:api-destination/" + name
                + "/d00d-" + IDS.incrementAndGet(), null, c.arn(), endpoint, method, rate, "ACTIVE", T0, T0);
        destinations.put(d.arn(), d);
        return d;
    }

    /** Replaces a destination, keeping its ARN (UpdateApiDestination). */
    ApiDestination update(ApiDestination d, String endpoint, String method, int rate) {
        ApiDestination u = new ApiDestination(d.name(), d.arn(), d.description(), d.connectionArn(), endpoint, method,
                rate, d.state(), d.created(), T0);
        destinations.put(u.arn(), u);
        return u;
    }

    void remove(ApiDestination d) {
        destinations.remove(d.arn());
    }

    static ConnectionAuth basic(String user, String password) {
        return new ConnectionAuth(ConnectionAuth.AuthorizationType.BASIC, new ConnectionAuth.Basic(user, password),
                null, null, null);
    }

    static ConnectionAuth apiKey(String name, String value, ConnectionAuth.InvocationParameters params) {
        return new ConnectionAuth(ConnectionAuth.AuthorizationType.API_KEY, null,
                new ConnectionAuth.ApiKey(name, value), null, params);
    }

    static ConnectionAuth oauth(String tokenEndpoint, String method, ConnectionAuth.InvocationParameters oauthParams) {
        return new ConnectionAuth(ConnectionAuth.AuthorizationType.OAUTH_CLIENT_CREDENTIALS, null, null,
                new ConnectionAuth.OAuth("client-1", "s3cret", tokenEndpoint, method, oauthParams), null);
    }

    static ConnectionAuth.InvocationParameters params(Map<String, String> headers, Map<String, String> query,
                                                      Map<String, String> body) {
        return new ConnectionAuth.InvocationParameters(list(headers), list(query), list(body));
    }

    private static List<HttpParameter> list(Map<String, String> m) {
        return m.entrySet().stream().map(e -> new HttpParameter(e.getKey(), e.getValue(), false)).toList();
    }

    static Delivery delivery(String payload, String eventJson) {
        return new Delivery(payload, eventJson, "e-1", "default", "r", "arn:aws:events:us-east-1:123456789012:rule/r",
                "t", "arn:target", 1, T0, null, new HashMap<>());
    }

    static String event(String detail) {
        return "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"Order Placed\",\"source\":\"com.example\","
                + "\"account\":\"123456789012\",\"time\":\"2026-01-15T12:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
    }
}
