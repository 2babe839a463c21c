package io.busbar.targets.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.HttpParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A target's {@code HttpParameters} (spec 5.1, 6.2), validated once when the target is created:
 * {@code PathParameterValues} fill the endpoint's {@code *} wildcards in order, {@code HeaderParameters} and
 * {@code QueryStringParameters} are added to each invocation (the connection's own parameters win on conflicting
 * keys). Any value may be a whole-value JSON path ({@code $.detail.id}) resolved against the original event.
 * Immutable.
 *
 * @param pathValues   in wildcard order
 * @param headers      by header name, in the order given
 * @param queryString  by parameter name, in the order given
 */
record HttpParameters(List<ParameterValue> pathValues, Map<String, ParameterValue> headers,
                      Map<String, ParameterValue> queryString) {
    static final HttpParameters NONE = new HttpParameters(List.of(), Map.of(), Map.of());
    static final String MEMBER = "HttpParameters";

    // The API model's patterns (PutTargets HttpParameters), so what AWS refuses is refused here too.
    private static final Pattern HEADER_KEY = HttpParameter.HEADER_KEY;
    private static final Pattern HEADER_VALUE = HttpParameter.HEADER_VALUE;
    private static final Pattern QUERY_KEY = HttpParameter.QUERY_KEY;
    private static final Pattern QUERY_VALUE = HttpParameter.QUERY_VALUE;
    private static final Pattern PATH_VALUE = Pattern.compile("(?!\\s*$).+");
    private static final int MAX_KEY_OR_VALUE = 512;
    /** Headers the JDK client sets itself and refuses to take from callers. */
    static final Set<String> RESTRICTED_HEADERS = restricted();
    private static final Set<String> MEMBERS = Set.of("PathParameterValues", "HeaderParameters",
            "QueryStringParameters");

    HttpParameters {
        pathValues = List.copyOf(pathValues);
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        queryString = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(queryString));
    }

    private static Set<String> restricted() {
        Set<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        s.addAll(List.of("connection", "content-length", "expect", "host", "upgrade"));
        return java.util.Collections.unmodifiableSet(s);
    }

    /** Whether any value needs the event parsed. */
    boolean hasDynamicValues() {
        return pathValues.stream().anyMatch(ParameterValue::isDynamic)
                || headers.values().stream().anyMatch(ParameterValue::isDynamic)
                || queryString.values().stream().anyMatch(ParameterValue::isDynamic);
    }

    /**
     * Parses the JSON text of the {@code HttpParameters} member; {@code null} means none.
     *
     * @throws IllegalArgumentException naming the member when the text is not valid
     */
    static HttpParameters parse(ObjectMapper json, String text) {
        if (text == null) {
            return NONE;
        }
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(MEMBER + ": not valid JSON (expected: an object with "
                    + "PathParameterValues, HeaderParameters, QueryStringParameters)");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(MEMBER + ": " + text + " (expected: a JSON object)");
        }
        for (Map.Entry<String, JsonNode> member : root.properties()) {
            String name = member.getKey();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException(MEMBER + "." + name + ": unknown member (expected: one of "
                        + new TreeSet<>(MEMBERS) + ")");
            }
        }
        return new HttpParameters(pathValues(root.get("PathParameterValues")),
                map(root.get("HeaderParameters"), "HeaderParameters", HEADER_KEY, HEADER_VALUE, true),
                map(root.get("QueryStringParameters"), "QueryStringParameters", QUERY_KEY, QUERY_VALUE, false));
    }

    private static List<ParameterValue> pathValues(JsonNode node) {
        String field = MEMBER + ".PathParameterValues";
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + ": " + node + " (expected: an array of strings)");
        }
        List<ParameterValue> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            String f = field + "[" + i + "]";
            if (!v.isTextual() || !PATH_VALUE.matcher(v.textValue()).matches()) {
                throw new IllegalArgumentException(f + ": " + v + " (expected: a non-blank string)");
            }
            out.add(ParameterValue.of(f, v.textValue()));
        }
        return out;
    }

    private static Map<String, ParameterValue> map(JsonNode node, String member, Pattern keyPattern,
                                                   Pattern valuePattern, boolean header) {
        String field = MEMBER + "." + member;
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + ": " + node + " (expected: an object of string values)");
        }
        Map<String, ParameterValue> out = new LinkedHashMap<>();
        Set<String> seen = header ? new TreeSet<>(String.CASE_INSENSITIVE_ORDER) : new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            String f = field + "." + key;
            if (key.length() > MAX_KEY_OR_VALUE || !keyPattern.matcher(key).matches()) {
                throw new IllegalArgumentException(f + ": invalid name (expected: at most " + MAX_KEY_OR_VALUE
                        + " characters" + (header ? " of an HTTP token" : " without control characters") + ")");
            }
            if (header && RESTRICTED_HEADERS.contains(key)) {
                throw new IllegalArgumentException(f + ": a header the HTTP client sets itself (expected: none of "
                        + RESTRICTED_HEADERS + ")");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException(f + ": given twice (header names are case-insensitive)");
            }
            JsonNode v = e.getValue();
            if (!v.isTextual() || v.textValue().length() > MAX_KEY_OR_VALUE
                    || !valuePattern.matcher(v.textValue()).matches()) {
                throw new IllegalArgumentException(f + ": " + v + " (expected: a string of 1 to " + MAX_KEY_OR_VALUE
                        + (header ? " printable ASCII characters)" : " characters without control characters)"));
            }
            out.put(key, ParameterValue.of(f, v.textValue()));
        }
        return out;
    }
}
