package io.busbar.targets.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.HttpParameter;
import io.busbar.core.spi.DeliveryOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OAuth client-credentials tokens, one per connection, fetched on first use and shared by every destination of
 * the connection (spec 6.1).
 *
 * <p>Implementation notes: each connection has a slot holding the connection's OAuth settings and the stage of
 * its current token. Concurrent deliveries share one fetch in flight; a failed fetch is not kept, so the next
 * delivery tries again. A token is refreshed before use when it is within {@code min(60 s, expires_in / 2)} of its
 * expiry (EventBridge refreshes tokens that expire within 60 seconds, during an invocation, not in the background),
 * and when an invocation is answered 401 or 407 ({@link #invalidate}). A connection updated with other OAuth
 * settings gets a fresh slot. Thread-safe: slots are replaced under the map's per-key lock.
 *
 * <p>The token request follows RFC 6749 4.4: the client id and secret as HTTP Basic credentials, and
 * {@code grant_type=client_credentials} plus the connection's {@code OAuthHttpParameters} body parameters as a
 * form body (POST, PUT) or in the query string (GET); the header and query-string parameters are added too. The
 * answer must be JSON with {@code access_token}; {@code expires_in} (seconds) is optional.
 */
final class OAuthTokens {
    /** AWS refreshes tokens that would expire within this window. */
    private static final Duration REFRESH_WINDOW = Duration.ofSeconds(60);

    /** A connection's OAuth settings and its current token (or the fetch of it). */
    private record Slot(ConnectionAuth.OAuth settings, CompletableFuture<OAuthToken> token) {
    }

    private final HttpClient client;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Clock clock;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    OAuthTokens(HttpClient client, ObjectMapper json, Duration timeout, Clock clock) {
        this.client = client;
        this.json = json;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Token requests started so far (for tests and diagnostics). */
    long fetches() {
        return fetches.get();
    }

    /**
     * The connection's token: the cached one while fresh, else a new fetch (shared with concurrent callers). The
     * stage fails with a {@link DeliveryFailure} carrying the outcome when no token can be had.
     */
    CompletableFuture<OAuthToken> token(Connection connection) {
        ConnectionAuth.OAuth settings = connection.auth().oauth();
        Instant now = clock.instant();
        Slot slot = slots.compute(connection.arn(), (arn, old) -> {
            if (old != null && old.settings.equals(settings) && usable(old.token, now)) {
                return old;
            }
            return new Slot(settings, fetch(settings));
        });
        return slot.token;
    }

    private static boolean usable(CompletableFuture<OAuthToken> token, Instant now) {
        if (!token.isDone()) {
            return true; // a fetch in flight: share it
        }
        if (token.isCompletedExceptionally()) {
            return false;
        }
        return token.join().isFresh(now);
    }

    /** Forgets {@code used} if it is still the connection's token, so the next caller fetches a new one. */
    void invalidate(Connection connection, OAuthToken used) {
        slots.computeIfPresent(connection.arn(), (arn, slot) -> {
            OAuthToken current = slot.token.getNow(null);
            return current == used ? null : slot;
        });
    }

    private CompletableFuture<OAuthToken> fetch(ConnectionAuth.OAuth oauth) {
        fetches.incrementAndGet();
        HttpRequest request;
        try {
            request = tokenRequest(oauth);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(DeliveryFailure.permanent(HttpOutcomes.NO_PERMISSIONS,
                    "The OAuth token request could not be built: " + e.getMessage()));
        }
        Instant started = clock.instant();
        String endpoint = oauth.authorizationEndpoint();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        throw new DeliveryFailure(HttpOutcomes.ofError(error,
                                "The OAuth token request to " + endpoint));
                    }
                    return readToken(response, endpoint, started);
                });
    }

    private HttpRequest tokenRequest(ConnectionAuth.OAuth oauth) {
        ConnectionAuth.InvocationParameters p = oauth.oauthParams();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        for (HttpParameter b : p.body()) {
            form.put(b.key(), b.value()); // the connection may name another grant type or add audience, scope, ...
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (HttpParameter q : p.queryString()) {
            query.put(q.key(), q.value());
        }
        boolean get = "GET".equals(oauth.httpMethod());
        if (get) {
            query.putAll(form);
        }
        URI uri = URI.create(Invocation.withQuery(oauth.authorizationEndpoint(), query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        for (HttpParameter h : p.headers()) {
            b.setHeader(h.key(), h.value());
        }
        String secret = oauth.clientSecret() == null ? "" : oauth.clientSecret();
        b.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (oauth.clientId() + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        b.setHeader("Accept", "application/json");
        if (get) {
            b.GET();
        } else {
            b.setHeader("Content-Type", "application/x-www-form-urlencoded");
            b.method(oauth.httpMethod(), HttpRequest.BodyPublishers.ofString(formBody(form), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private static String formBody(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(UriComponent.encode(k)).append('=').append(UriComponent.encode(v));
        });
        return out.toString();
    }

    private OAuthToken readToken(HttpResponse<String> response, String endpoint, Instant started) {
        int status = response.statusCode();
        String what = "The OAuth authorization endpoint " + endpoint + " answered HTTP " + status;
        if (status == 429 || status >= 500) {
            DeliveryOutcome o = HttpOutcomes.ofResponse(response, clock.instant());
            throw new DeliveryFailure(o.status() == DeliveryOutcome.Status.PERMANENT
                    ? DeliveryOutcome.permanent(o.errorCode(), what + " with a negative Retry-After")
                    : o.retryAfter() == null ? DeliveryOutcome.retryable(o.errorCode(), what)
                    : DeliveryOutcome.retryableAfter(o.errorCode(), what, o.retryAfter()));
        }
        if (status < 200 || status >= 300) {
            throw DeliveryFailure.permanent(HttpOutcomes.NO_PERMISSIONS, what + ": no token, credentials refused");
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        JsonNode token = body == null ? null : body.get("access_token");
        if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
            throw DeliveryFailure.permanent(HttpOutcomes.NO_PERMISSIONS, "The OAuth authorization endpoint "
                    + endpoint + " answered without an access_token");
        }
        return new OAuthToken(token.textValue(), refreshAt(body.get("expires_in"), started));
    }

    /** Measured from when the request started, so time spent in flight counts against the token's life. */
    private static Instant refreshAt(JsonNode expiresIn, Instant started) {
        long seconds;
        if (expiresIn == null || expiresIn.isNull()) {
            return null;
        } else if (expiresIn.canConvertToLong()) {
            seconds = expiresIn.asLong();
        } else if (expiresIn.isTextual() && expiresIn.textValue().matches("[0-9]{1,12}")) {
            seconds = Long.parseLong(expiresIn.textValue()); // some servers send it as a string
        } else {
            return null;
        }
        Duration life = Duration.ofSeconds(Math.max(0, seconds));
        Duration margin = life.dividedBy(2).compareTo(REFRESH_WINDOW) < 0 ? life.dividedBy(2) : REFRESH_WINDOW;
        return started.plus(life).minus(margin);
    }
}
