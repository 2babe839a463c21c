package io.busbar.targets.http;

import io.busbar.core.ApiDestination;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One rule's API destination target. The destination and its connection are looked up at each delivery, so
 * UpdateApiDestination and UpdateConnection take effect for the next event without the target being rebuilt.
 *
 * <p>A delivery runs as a chain of stages and holds no thread while it waits: prepare the invocation (a parameter
 * that does not fit is a permanent failure before anything is sent), take a permit from the destination's rate
 * limiter, authorize (an OAuth token may need fetching), send with {@code sendAsync}, classify the answer
 * ({@link HttpOutcomes}). An OAuth invocation answered 401 or 407 drops the token and is sent once more with a
 * new one inside the same attempt; a second 401/407 is final, like any other 4xx.
 *
 * <p>Rate limiting: a delivery over the destination's {@code InvocationRateLimitPerSecond} is delayed, not failed
 * (spec 5.5, 6.2). It reserves the next free permit and is sent when that permit comes due, on the JDK's timer
 * thread, if that is within {@code busbar.http.maxRateLimitDelayMillis}; a longer wait would keep the attempt open
 * past the bus's delivery timeout, so the delivery is handed back as a retryable {@code THROTTLING} that asks the
 * bus to wait at least that long. The bucket is read on the injected clock; the delay itself passes in real time.
 *
 * <p>Thread-safe; {@link #deliver} returns at once.
 */
final class ApiDestinationTarget implements DeliveryTarget {
    private final String arn;
    private final HttpParameters params;
    private final TargetEnvironment environment;
    private final TargetResources resources;

    ApiDestinationTarget(String arn, HttpParameters params, TargetEnvironment environment,
                         TargetResources resources) {
        this.arn = arn;
        this.params = params;
        this.environment = environment;
        this.resources = resources;
    }

    @Override
    public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
        try {
            return start(delivery);
        } catch (DeliveryFailure | IllegalArgumentException e) {
            // Expected failures (a missing destination, parameters that do not fit this event); anything else is a
            // bug and goes to the bus's error policy.
            return CompletableFuture.completedFuture(HttpOutcomes.ofError(e, "The invocation"));
        }
    }

    private CompletableFuture<DeliveryOutcome> start(Delivery delivery) {
        Optional<ApiDestination> found = environment.apiDestination(arn);
        if (found.isEmpty()) {
            throw DeliveryFailure.permanent(HttpOutcomes.NO_RESOURCE, "API destination " + arn + " does not exist.");
        }
        ApiDestination destination = found.get();
        if ("INACTIVE".equals(destination.state())) {
            throw DeliveryFailure.permanent(HttpOutcomes.NO_RESOURCE, "API destination " + destination.name()
                    + " is INACTIVE.");
        }
        Connection connection = environment.connection(destination.connectionArn()).orElseThrow(() ->
                DeliveryFailure.permanent(HttpOutcomes.NO_RESOURCE, "Connection " + destination.connectionArn()
                        + " of API destination " + destination.name() + " does not exist."));
        if ("DEAUTHORIZED".equals(connection.state()) || "DEAUTHORIZING".equals(connection.state())) {
            throw DeliveryFailure.permanent(HttpOutcomes.NO_PERMISSIONS, "Connection " + connection.name() + " is "
                    + connection.state() + ".");
        }
        Invocation invocation = Invocation.prepare(destination, connection, params, delivery, resources.json);

        RateLimiter.Decision permit = resources.limiter(destination.arn()).reserve(
                destination.invocationRateLimitPerSecond(), resources.clock.instant(),
                resources.settings.maxRateLimitDelay());
        if (!permit.granted()) {
            return CompletableFuture.completedFuture(DeliveryOutcome.retryableAfter(HttpOutcomes.THROTTLING,
                    "API destination " + destination.name() + " is over its InvocationRateLimitPerSecond of "
                            + destination.invocationRateLimitPerSecond(), permit.delay()));
        }
        if (permit.delay().isZero()) {
            return send(invocation, connection, true);
        }
        // No thread sleeps: the JDK's shared timer starts the send when the permit comes due.
        return CompletableFuture.supplyAsync(() -> send(invocation, connection, true),
                        CompletableFuture.delayedExecutor(permit.delay().toNanos(), TimeUnit.NANOSECONDS))
                .thenCompose(stage -> stage)
                .exceptionally(error -> HttpOutcomes.ofError(error, "The invocation"));
    }

    private CompletableFuture<DeliveryOutcome> send(Invocation invocation, Connection connection,
                                                    boolean mayRefresh) {
        Duration timeout = resources.settings.timeout();
        String what = "The invocation of " + invocation.method() + " " + invocation.uri();
        ConnectionAuth auth = connection.auth();
        if (auth.type() != ConnectionAuth.AuthorizationType.OAUTH_CLIENT_CREDENTIALS) {
            HttpRequest request;
            try {
                request = invocation.request(staticAuth(auth), timeout);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(HttpOutcomes.ofError(e, what));
            }
            return resources.client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> error != null ? HttpOutcomes.ofError(error, what)
                            : HttpOutcomes.ofResponse(response, resources.clock.instant()));
        }
        return resources.tokens.token(connection).thenCompose(token ->
                resources.client.sendAsync(invocation.request(Map.of("Authorization", token.authorization()), timeout),
                                HttpResponse.BodyHandlers.discarding())
                        .thenCompose(response -> {
                            int status = response.statusCode();
                            if (status == 401 || status == 407) {
                                // EventBridge refreshes OAuth tokens when a 401 or 407 comes back (spec 6.1).
                                resources.tokens.invalidate(connection, token);
                                if (mayRefresh) {
                                    return send(invocation, connection, false);
                                }
                            }
                            return CompletableFuture.completedFuture(
                                    HttpOutcomes.ofResponse(response, resources.clock.instant()));
                        }))
                .exceptionally(error -> HttpOutcomes.ofError(error, what));
    }

    private static Map<String, String> staticAuth(ConnectionAuth auth) {
        if (auth.type() == ConnectionAuth.AuthorizationType.BASIC) {
            String password = auth.basic().password() == null ? "" : auth.basic().password();
            return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (auth.basic().username() + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        String value = auth.apiKey().apiKeyValue() == null ? "" : auth.apiKey().apiKeyValue();
        return Map.of(auth.apiKey().apiKeyName(), value);
    }
}
