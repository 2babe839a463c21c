package io.busbar.targets.testing;

import io.busbar.core.ApiDestination;
import io.busbar.core.Connection;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.TargetEnvironment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * A bus environment with the given properties, for targets tested without a bus: a clock fixed at {@link #T0}, account
 * {@link #ACCOUNT} in {@link #REGION}, no API destinations or connections, and no other buses.
 */
public record TestEnvironment(Map<String, String> properties) implements TargetEnvironment {
    public static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    @Override
    public Clock clock() {
        return Clock.fixed(T0, ZoneOffset.UTC);
    }

    @Override
    public String account() {
        return ACCOUNT;
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public Optional<ApiDestination> apiDestination(String arn) {
        return Optional.empty();
    }

    @Override
    public Optional<Connection> connection(String arn) {
        return Optional.empty();
    }

    @Override
    public DeliveryOutcome forward(String busName, String eventJson) {
        throw new UnsupportedOperationException("no other bus in a TestEnvironment");
    }

    /** A first attempt of rule {@code r}'s target {@code t} whose event is its payload. */
    public static Delivery delivery(String eventId, String payload) {
        return delivery(eventId, payload, Map.of());
    }

    public static Delivery delivery(String eventId, String payload, Map<String, String> attributes) {
        return delivery(eventId, payload, payload, attributes);
    }

    public static Delivery delivery(String eventId, String payload, String eventJson, Map<String, String> attributes) {
        return new Delivery(payload, eventJson, eventId, "default", "r",
                "arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/r", "t", "arn:target", 1, T0, null, attributes);
    }
}
