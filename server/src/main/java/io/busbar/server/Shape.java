package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one structure of an input: an API request body (AWS JSON 1.1, members named as the API model names them)
 * or a part of a configuration file (the same members in any letter case, lowerCamel in messages). The mapping code
 * that turns members into Busbar values is written once against this class and serves both.
 *
 * <p>The two sources differ in how they fail, as their users expect:
 * <ul>
 *   <li>API: a member of the wrong JSON type is a {@code SerializationException} at once; model constraints
 *       (length, pattern, range, enum, required) are collected over the whole request and reported together by
 *       {@link #validate()} in AWS's wording, {@code 2 validation errors detected: Value 'x' at 'name' failed to
 *       satisfy constraint: ...; ...}, with AWS's member paths ({@code targets.1.member.id}). Unknown members are
 *       ignored, as AWS ignores them.</li>
 *   <li>Configuration: the first problem stops the load with a {@link ConfigException} naming the file, the line and
 *       the path ({@code config.yaml:12: rules[1].name: ...}); unknown members are rejected.</li>
 * </ul>
 * Not thread-safe; one instance per request.
 */
final class Shape {
    /** Where the structure came from, and what to do with problems. */
    private abstract static class Source {
        final List<String> violations = new ArrayList<>();

        abstract String childPath(String parent, String member);

        abstract String elementPath(String parent, int index);

        abstract JsonNode member(ObjectNode node, String member);

        abstract RuntimeException typeError(Shape at, String member, String expected);

        abstract void violation(Shape at, String member, String message);

        abstract RuntimeException invalid(Shape at, String member, String message);
    }

    private static final class ApiSource extends Source {
        @Override
        String childPath(String parent, String member) {
            String camel = Character.toLowerCase(member.charAt(0)) + member.substring(1);
            return parent.isEmpty() ? camel : parent + "." + camel;
        }

        @Override
        String elementPath(String parent, int index) {
            return parent + "." + (index + 1) + ".member";
        }

        @Override
        JsonNode member(ObjectNode node, String member) {
            return node.get(member);
        }

        @Override
        RuntimeException typeError(Shape at, String member, String expected) {
            return ApiException.serialization("Unexpected value for '" + childPath(at.path, member) + "': expected "
                    + expected + ".");
        }

        @Override
        void violation(Shape at, String member, String message) {
            violations.add(message);
        }

        @Override
        RuntimeException invalid(Shape at, String member, String message) {
            return ApiException.validation(message);
        }
    }

    private static final class ConfigSource extends Source {
        final String fileName;
        final Map<String, Integer> lines;

        ConfigSource(String fileName, Map<String, Integer> lines) {
            this.fileName = fileName;
            this.lines = lines;
        }

        @Override
        String childPath(String parent, String member) {
            String camel = Character.toLowerCase(member.charAt(0)) + member.substring(1);
            return parent.isEmpty() ? camel : parent + "." + camel;
        }

        @Override
        String elementPath(String parent, int index) {
            return parent + "[" + index + "]";
        }

        @Override
        JsonNode member(ObjectNode node, String member) {
            JsonNode exact = node.get(member);
            if (exact != null) {
                return exact;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equalsIgnoreCase(member)) {
                    return e.getValue();
                }
            }
            return null;
        }

        int line(Shape at, String member) {
            if (member != null) {
                String key = actualKey(at.node, member);
                Integer l = key == null ? null : lines.get(at.pointer + "/" + escape(key));
                if (l != null) {
                    return l;
                }
            }
            Integer l = lines.get(at.pointer);
            return l == null ? 1 : l;
        }

        String where(Shape at, String member) {
            String path = member == null ? at.path : childPath(at.path, member);
            return fileName + ":" + line(at, member) + ": " + (path.isEmpty() ? "" : path + ": ");
        }

        @Override
        RuntimeException typeError(Shape at, String member, String expected) {
            return new ConfigException(where(at, member) + "expected " + expected);
        }

        @Override
        void violation(Shape at, String member, String message) {
            throw new ConfigException(where(at, member) + message);
        }

        @Override
        RuntimeException invalid(Shape at, String member, String message) {
            return new ConfigException(where(at, member) + message);
        }
    }

    private final Source source;
    private final ObjectNode node;
    private final String path;
    private final String pointer;

    private Shape(Source source, ObjectNode node, String path, String pointer) {
        this.source = source;
        this.node = node;
        this.path = path;
        this.pointer = pointer;
    }

    /** The body of an API request; an empty body is the empty structure. */
    static Shape api(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            return new Shape(new ApiSource(), Json.object(), "", "");
        }
        if (!body.isObject()) {
            throw ApiException.serialization("The request body must be a JSON object.");
        }
        return new Shape(new ApiSource(), (ObjectNode) body, "", "");
    }

    /**
     * The root of a configuration file.
     *
     * @param fileName shown in messages
     * @param lines    the line of each value, by JSON pointer ({@code ""} for the root)
     */
    static Shape config(String fileName, JsonNode root, Map<String, Integer> lines) {
        ConfigSource source = new ConfigSource(fileName, lines);
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new Shape(source, Json.object(), "", "");
        }
        if (!root.isObject()) {
            throw new ConfigException(fileName + ":" + lines.getOrDefault("", 1)
                    + ": expected an object (buses, connections, apiDestinations, rules)");
        }
        return new Shape(source, (ObjectNode) root, "", "");
    }

    boolean isConfig() {
        return source instanceof ConfigSource;
    }

    /** The path of this structure in messages ({@code targets.1.member}, {@code rules[0]}). */
    String path() {
        return path;
    }

    // ------------------------------------------------------------------ members

    /** The member's value, or null when absent or JSON null. */
    JsonNode raw(String member) {
        JsonNode v = source.member(node, member);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String member) {
        return raw(member) != null;
    }

    String string(String member) {
        JsonNode v = raw(member);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        // A YAML author writes `state: ENABLED` and `account: 123456789012` alike; only the API is strict.
        if (isConfig() && v.isValueNode()) {
            return v.asText();
        }
        throw source.typeError(this, member, "a string");
    }

    /** A string member checked against the model's length (and pattern, when not null). */
    String string(String member, int min, int max, Pattern pattern) {
        String v = string(member);
        if (v != null) {
            check(member, v, min, max, pattern);
        }
        return v;
    }

    /**
     * A secret string member checked as {@link #string(String, int, int, Pattern)} does, except that a violation
     * names the member but never the value, as AWS words it for sensitive members.
     */
    String secret(String member, int min, int max, Pattern pattern) {
        String v = string(member);
        if (v == null) {
            return null;
        }
        String broken = broken(v, min, max, pattern);
        if (broken != null) {
            source.violation(this, member, "Value at '" + source.childPath(path, member)
                    + "' failed to satisfy constraint: " + broken);
        }
        return v;
    }

    /** A required string member: absent is the violation {@code Member must not be null}. */
    String required(String member, int min, int max, Pattern pattern) {
        String v = string(member);
        if (v == null) {
            missing(member);
            return null;
        }
        check(member, v, min, max, pattern);
        return v;
    }

    /** Reports a required member that is absent. */
    void missing(String member) {
        source.violation(this, member, "Value null at '" + source.childPath(path, member)
                + "' failed to satisfy constraint: Member must not be null");
    }

    private void check(String member, String v, int min, int max, Pattern pattern) {
        String broken = broken(v, min, max, pattern);
        if (broken != null) {
            constraint(member, v, broken);
        }
    }

    /** The model constraint {@code v} breaks, in AWS's words, or null. */
    private static String broken(String v, int min, int max, Pattern pattern) {
        return v.length() < min ? "Member must have length greater than or equal to " + min
                : v.length() > max ? "Member must have length less than or equal to " + max
                : pattern != null && !pattern.matcher(v).matches()
                ? "Member must satisfy regular expression pattern: " + pattern.pattern() : null;
    }

    /** A string member that must be one of {@code values} (in the model's order, as AWS lists them). */
    String enumValue(String member, boolean required, List<String> values) {
        String v = string(member);
        if (v == null) {
            if (required) {
                missing(member);
            }
            return null;
        }
        if (!values.contains(v)) {
            constraint(member, v, "Member must satisfy enum value set: [" + String.join(", ", values) + "]");
            return null;
        }
        return v;
    }

    /** Records a model-constraint violation in AWS's wording. */
    void constraint(String member, Object value, String constraint) {
        source.violation(this, member, "Value '" + value + "' at '" + source.childPath(path, member)
                + "' failed to satisfy constraint: " + constraint);
    }

    Integer integer(String member, Integer min, Integer max) {
        JsonNode v = raw(member);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw source.typeError(this, member, "an integer");
        }
        int i = v.intValue();
        if (min != null && i < min) {
            constraint(member, i, "Member must have value greater than or equal to " + min);
            return null;
        }
        if (max != null && i > max) {
            constraint(member, i, "Member must have value less than or equal to " + max);
            return null;
        }
        return i;
    }

    boolean bool(String member) {
        JsonNode v = raw(member);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw source.typeError(this, member, "a boolean");
        }
        return v.booleanValue();
    }

    /** A timestamp: epoch seconds (AWS JSON 1.1's form, fraction allowed) or an ISO-8601 instant text. */
    Instant timestamp(String member) {
        JsonNode v = raw(member);
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            BigDecimal seconds = v.decimalValue();
            try {
                long whole = seconds.longValueExact();
                return Instant.ofEpochSecond(whole);
            } catch (ArithmeticException fraction) {
                return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
            }
        }
        if (v.isTextual()) {
            try {
                return Instant.parse(v.textValue());
            } catch (DateTimeParseException e) {
                throw source.typeError(this, member, "a timestamp (epoch seconds or ISO-8601)");
            }
        }
        throw source.typeError(this, member, "a timestamp (epoch seconds)");
    }

    /**
     * A JSON document held as text (an event pattern): a string in the API; in a configuration file also the
     * document itself, written as an object, which is turned into compact JSON text.
     */
    String jsonText(String member) {
        JsonNode v = raw(member);
        if (v != null && isConfig() && (v.isObject() || v.isArray())) {
            return Json.compact(v);
        }
        return string(member);
    }

    /** A nested structure, or null when absent. */
    Shape object(String member) {
        JsonNode v = raw(member);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw source.typeError(this, member, "an object");
        }
        return new Shape(source, (ObjectNode) v, source.childPath(path, member),
                pointer + "/" + escape(actualKey(node, member)));
    }

    /** A list of structures; empty when absent. */
    List<Shape> objects(String member) {
        JsonNode v = list(member);
        List<Shape> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        String listPath = source.childPath(path, member);
        String listPointer = pointer + "/" + escape(actualKey(node, member));
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String elementPath = source.elementPath(listPath, i);
            if (!e.isObject()) {
                Shape list = new Shape(source, node, path, pointer);
                throw source.typeError(list, member, "a list of objects (element " + i + " is not)");
            }
            out.add(new Shape(source, (ObjectNode) e, elementPath, listPointer + "/" + i));
        }
        return out;
    }

    /** A list of strings, or null when absent. */
    List<String> strings(String member) {
        JsonNode v = list(member);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!(e.isTextual() || (isConfig() && e.isValueNode() && !e.isNull()))) {
                throw source.typeError(this, member, "a list of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private JsonNode list(String member) {
        JsonNode v = raw(member);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw source.typeError(this, member, "a list");
        }
        return v;
    }

    /** A map of strings to strings, or null when absent. */
    Map<String, String> stringMap(String member) {
        JsonNode v = raw(member);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw source.typeError(this, member, "a map of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode value = e.getValue();
            if (!(value.isTextual() || (isConfig() && value.isValueNode() && !value.isNull()))) {
                throw source.typeError(this, member, "a map of strings");
            }
            out.put(e.getKey(), value.asText());
        }
        return out;
    }

    // ------------------------------------------------------------------ problems

    /** In a configuration file, rejects members this structure does not have (compared ignoring case). */
    void onlyMembers(Collection<String> members) {
        if (!isConfig()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (members.stream().noneMatch(m -> m.equalsIgnoreCase(key))) {
                List<String> camel = members.stream()
                        .map(m -> Character.toLowerCase(m.charAt(0)) + m.substring(1)).toList();
                throw source.invalid(this, key, "unknown member (expected one of: " + String.join(", ", camel) + ")");
            }
        }
    }

    /**
     * Throws the model-constraint violations collected so far, if any, as one {@code ValidationException} in
     * AWS's wording. Call after reading every member and before acting on the request.
     */
    void validate() {
        List<String> v = source.violations;
        if (!v.isEmpty()) {
            String head = v.size() == 1 ? "1 validation error detected: " : v.size() + " validation errors detected: ";
            throw ApiException.validation(head + String.join("; ", v));
        }
    }

    /**
     * A problem with a member found by the mapping or by the bus (an invalid pattern, an unknown bus), reported
     * as the source reports problems: in the API as the given error, in a configuration file with the location.
     */
    RuntimeException problem(String member, RuntimeException error) {
        if (!isConfig()) {
            return error;
        }
        return source.invalid(this, member, error.getMessage());
    }

    private static String actualKey(ObjectNode n, String member) {
        if (n.has(member)) {
            return member;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equalsIgnoreCase(member)) {
                return key;
            }
        }
        return member;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? "(root)" : path.toLowerCase(Locale.ROOT);
    }
}
