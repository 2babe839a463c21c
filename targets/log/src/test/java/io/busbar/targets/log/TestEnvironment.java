package io.busbar.targets.log;

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

/** A bus environment with the given properties, for targets tested on their own. */
record TestEnvironment(Map<String, String> properties) implements TargetEnvironment {
    static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");

    @Override
    public Clock clock() {
        return Clock.fixed(T0, ZoneOffset.UTC);
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
    public Optional<ApiDestination> apiDestination(String arn) {
        return Optional.empty();
    }

    @Override
    public Optional<Connection> connection(String arn) {
        return Optional.empty();
    }

    @Override
    public DeliveryOutcome forward(String busName, String eventJson) {
        throw new UnsupportedOperationException();
    }

    static Delivery delivery(String payload) {
        return new Delivery(payload, payload, "e-1", "default", "r", "arn:aws:events:us-east-1:123456789012:rule/r",
                "t", "arn:target", 1, T0, null, Map.of());
    }
}
