package io.busbar.targets.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.ApiDestination;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.HttpParameter;
import io.busbar.core.spi.Delivery;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One invocation of an API destination, prepared from the destination and connection as they are now, the
 * target's {@code HttpParameters} and the delivery (spec 6.2). Immutable; {@link #request} may be called again
 * (with a new token) to send it a second time.
 *
 * <p>Headers, weakest first: EventBridge's own ({@code User-Agent}, {@code Content-Type}, {@code Range},
 * {@code Accept-Encoding}), the target's {@code HeaderParameters}, the connection's invocation header parameters
 * (the connection wins on a conflicting name, spec 6.1), and last the authorization header. EventBridge's
 * {@code Connection: close}, {@code Content-Length} and {@code Host} are the JDK client's to set: it keeps
 * connections alive, which changes nothing the endpoint can rely on. Query parameters merge the same way, appended
 * to any query the endpoint already has. The connection's body parameters become members of the payload when it
 * is a JSON object (the connection wins) and are left out otherwise. GET and HEAD carry no body.
 *
 * @param uri     the endpoint with wildcards filled and the query added
 * @param method  the destination's HTTP method
 * @param headers by name, case-insensitive
 * @param body    the payload, or null for GET and HEAD
 */
record Invocation(URI uri, String method, Map<String, String> headers, String body) {
    static final String USER_AGENT = "Amazon/EventBridge/ApiDestinations";

    /**
     * @throws DeliveryFailure (permanent {@code INVALID_PARAMETER}) when the parameters do not fit this event or
     *                         destination
     */
    static Invocation prepare(ApiDestination destination, Connection connection, HttpParameters params,
                              Delivery delivery, ObjectMapper json) {
        JsonNode event = params.hasDynamicValues() ? readEvent(json, delivery.eventJson()) : null;
        ConnectionAuth.InvocationParameters conn = connection.auth().invocationParams();

        String url = fillWildcards(destination.invocationEndpoint(), params.pathValues(), event);
        Map<String, String> query = new LinkedHashMap<>();
        params.queryString().forEach((k, v) -> query.put(k, v.resolve(event)));
        for (HttpParameter p : conn.queryString()) {
            query.put(p.key(), p.value());
        }
        URI uri;
        try {
            uri = URI.create(withQuery(url, query));
        } catch (IllegalArgumentException e) {
            throw DeliveryFailure.permanent(HttpOutcomes.INVALID_PARAMETER, "invocationEndpoint: " + url
                    + " is not a valid URI once its wildcards are filled (" + e.getMessage() + ")");
        }

        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("User-Agent", USER_AGENT);
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Range", "bytes=0-1048575");
        headers.put("Accept-Encoding", "gzip,deflate");
        params.headers().forEach((k, v) -> headers.put(k, v.resolve(event)));
        for (HttpParameter p : conn.headers()) {
            if (HttpParameters.RESTRICTED_HEADERS.contains(p.key())) {
                throw DeliveryFailure.permanent(HttpOutcomes.INVALID_PARAMETER, "connection "
                        + connection.name() + " header parameter " + p.key()
                        + ": a header the HTTP client sets itself");
            }
            headers.put(p.key(), p.value());
        }

        String method = destination.httpMethod();
        String body = "GET".equals(method) || "HEAD".equals(method) ? null
                : withBodyParameters(json, delivery.payload(), conn.body());
        return new Invocation(uri, method, java.util.Collections.unmodifiableMap(headers), body);
    }

    private static JsonNode readEvent(ObjectMapper json, String eventJson) {
        try {
            return json.readTree(eventJson);
        } catch (JsonProcessingException e) {
            throw DeliveryFailure.permanent(HttpOutcomes.INVALID_PARAMETER,
                    "HttpParameters: the event is not JSON, so its paths cannot be resolved");
        }
    }

    private static String fillWildcards(String endpoint, List<ParameterValue> values, JsonNode event) {
        int wildcards = 0;
        for (int i = 0; i < endpoint.length(); i++) {
            if (endpoint.charAt(i) == '*') {
                wildcards++;
            }
        }
        if (wildcards != values.size()) {
            throw DeliveryFailure.permanent(HttpOutcomes.INVALID_PARAMETER, "HttpParameters.PathParameterValues: "
                    + values.size() + " value(s) (expected: " + wildcards + ", one for each * in " + endpoint + ")");
        }
        if (wildcards == 0) {
            return endpoint;
        }
        StringBuilder out = new StringBuilder(endpoint.length() + 32);
        int next = 0;
        for (int i = 0; i < endpoint.length(); i++) {
            char c = endpoint.charAt(i);
            if (c == '*') {
                out.append(UriComponent.encode(values.get(next++).resolve(event)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Appends encoded query parameters to a URL, before any fragment. */
    static String withQuery(String url, Map<String, String> query) {
        if (query.isEmpty()) {
            return url;
        }
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        StringBuilder out = new StringBuilder(base);
        char sep = base.indexOf('?') < 0 ? '?' : base.endsWith("?") || base.endsWith("&") ? 0 : '&';
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (sep != 0) {
                out.append(sep);
            }
            sep = '&';
            out.append(UriComponent.encode(e.getKey())).append('=').append(UriComponent.encode(e.getValue()));
        }
        return out.append(fragment).toString();
    }

    private static String withBodyParameters(ObjectMapper json, String payload, List<HttpParameter> body) {
        if (body.isEmpty()) {
            return payload;
        }
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (JsonProcessingException e) {
            return payload; // a text payload has no members to add parameters to
        }
        if (!(node instanceof ObjectNode)) {
            return payload;
        }
        ObjectNode object = (ObjectNode) node;
        for (HttpParameter p : body) {
            object.put(p.key(), p.value());
        }
        return object.toString();
    }

    /** The request, authorized with {@code auth} (header name to value; empty for none). */
    HttpRequest request(Map<String, String> auth, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.putAll(auth);
        all.forEach(b::setHeader);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return b.build();
    }
}
