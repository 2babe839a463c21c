package io.busbar.targets.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What all API destination targets of one bus share: the settings, one HTTP client (so connections to an
 * endpoint are pooled across rules), the OAuth tokens by connection and the rate limiters by destination (a
 * destination's limit holds across every rule that targets it). Thread-safe.
 *
 * <p>The client is HTTP/1.1 (EventBridge's protocol; it also keeps the JDK from offering an h2c upgrade to plain
 * {@code http://} endpoints) and never follows redirects: a 3xx is a final, permanent answer (spec 11.25). The JDK
 * 17 client has no {@code close()}; its daemon threads end when it is no longer referenced.
 */
final class TargetResources {
    final HttpTargetSettings settings;
    final HttpClient client;
    final ObjectMapper json = new ObjectMapper();
    final Clock clock;
    final OAuthTokens tokens;
    private final ConcurrentMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    TargetResources(HttpTargetSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build();
        this.tokens = new OAuthTokens(client, json, settings.timeout(), clock);
    }

    RateLimiter limiter(String destinationArn) {
        return limiters.computeIfAbsent(destinationArn, a -> new RateLimiter());
    }
}
