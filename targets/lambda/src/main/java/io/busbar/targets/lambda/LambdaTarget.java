package io.busbar.targets.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * One function target: each delivery is an asynchronous Invoke call,
 * {@code POST /2015-03-31/functions/<name>/invocations[?Qualifier=<q>]} with {@code X-Amz-Invocation-Type: Event}
 * and the payload as the body; Lambda queues it and answers 202. Sent with {@code sendAsync}: no thread waits for
 * the answer. Requests are not signed (no SigV4), so the endpoint is a Lambda-compatible server that does not ask
 * for signatures (an emulator, a gateway that signs). Thread-safe.
 */
final class LambdaTarget implements DeliveryTarget {
    private final FunctionArn function;
    private final String label;
    private final URI uri;
    private final LambdaSettings settings;
    private final HttpClient client;
    private final ObjectMapper json;
    private final Clock clock;

    LambdaTarget(String arn, FunctionArn function, LambdaSettings settings, HttpClient client, ObjectMapper json,
                 Clock clock) {
        this.function = function;
        this.label = arn;
        this.settings = settings;
        this.client = client;
        this.json = json;
        this.clock = clock;
        // The name is one path segment; Lambda's naming rules leave nothing to escape, but the qualifier may hold $.
        this.uri = URI.create(settings.endpoint() + "/2015-03-31/functions/" + function.name() + "/invocations"
                + (function.qualifier() == null ? ""
                : "?Qualifier=" + URLEncoder.encode(function.qualifier(), StandardCharsets.UTF_8)));
    }

    URI uri() {
        return uri;
    }

    @Override
    public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("X-Amz-Invocation-Type", "Event")
                .header("Content-Type", "application/json")
                .header("User-Agent", "Busbar")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload(), StandardCharsets.UTF_8))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> error != null ? LambdaOutcomes.ofError(error, label)
                        : LambdaOutcomes.ofResponse(response, label, json, clock.instant()));
    }
}
