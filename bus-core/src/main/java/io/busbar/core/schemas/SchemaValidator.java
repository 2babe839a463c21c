package io.busbar.core.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks events against a schema document, OpenAPI 3 (validated against its {@code AWSEvent} component, else the
 * component named by {@code info.title}) or JSON Schema Draft 4 (validated against the root).
 *
 * <p>Understands the keywords the registry generates: {@code type}, {@code required}, {@code properties},
 * {@code items}, {@code $ref} to a local component or definition, {@code enum}, {@code format: date-time} and
 * {@code additionalProperties: false}; other keywords are ignored. Immutable and thread-safe.
 */
public final class SchemaValidator {
    private static final int MAX_DEPTH = 255;

    private final JsonNode document;
    private final JsonNode root;
    private final String refPrefix;

    private SchemaValidator(JsonNode document, JsonNode root, String refPrefix) {
        this.document = document;
        this.root = root;
        this.refPrefix = refPrefix;
    }

    /**
     * @throws SchemaException {@code BadRequestException} when the text is not a schema document
     */
    public static SchemaValidator of(String schemaDocument) {
        JsonNode doc = SchemaDocuments.parse(schemaDocument);
        if (doc.path("openapi").isTextual()) {
            JsonNode schemas = doc.path("components").path("schemas");
            JsonNode root = schemas.has("AWSEvent") ? schemas.get("AWSEvent")
                    : schemas.get(doc.path("info").path("title").asText(""));
            if (root == null) {
                throw SchemaException.badRequest("schema: an OpenAPI document without an AWSEvent component or a "
                        + "component named as info.title");
            }
            return new SchemaValidator(doc, root, "#/components/schemas/");
        }
        if (!doc.isObject()) {
            throw SchemaException.badRequest("schema: not a JSON object");
        }
        return new SchemaValidator(doc, doc, "#/definitions/");
    }

    /**
     * The reasons the event does not fit, each as {@code path: problem}; empty when it fits. Text that is not JSON
     * is one problem at {@code $}.
     */
    public List<String> problems(String eventJson) {
        List<String> out = new ArrayList<>();
        JsonNode event;
        try {
            event = SchemaDocuments.MAPPER.readTree(eventJson);
        } catch (Exception e) {
            out.add("$: not valid JSON");
            return out;
        }
        check(root, event, "$", out, 0);
        return out;
    }

    private void check(JsonNode schema, JsonNode value, String path, List<String> out, int depth) {
        if (depth > MAX_DEPTH || schema == null || !schema.isObject()) {
            return;
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            String r = ref.textValue();
            JsonNode target = null;
            if (r.startsWith("#/components/schemas/")) {
                target = document.path("components").path("schemas").get(r.substring(21));
            } else if (r.startsWith("#/definitions/")) {
                target = document.path("definitions").get(r.substring(14));
            } else if (r.equals("#")) {
                target = root;
            }
            if (target == null) {
                out.add(path + ": unresolved reference " + r + " (expected a local " + refPrefix + " reference)");
                return;
            }
            check(target, value, path, out, depth + 1);
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            out.add(path + ": " + kind(value) + " (expected: " + (type.isArray() ? type.toString() : type.asText())
                    + ")");
            return;
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray()) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= e.equals(value);
            }
            if (!found) {
                out.add(path + ": " + value + " (expected one of " + en + ")");
            }
        }
        if ("date-time".equals(schema.path("format").asText(null)) && value.isTextual()
                && !ShapeNode.isDateTime(value.textValue())) {
            out.add(path + ": \"" + value.textValue() + "\" (expected: an RFC 3339 date-time)");
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    out.add(path + ": missing required property \"" + r.asText() + "\"");
                }
            }
            JsonNode props = schema.path("properties");
            boolean closed = schema.path("additionalProperties").isBoolean()
                    && !schema.get("additionalProperties").booleanValue();
            for (var it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode ps = props.get(f.getKey());
                if (ps != null) {
                    check(ps, f.getValue(), path + "." + f.getKey(), out, depth + 1);
                } else if (closed) {
                    out.add(path + ": unexpected property \"" + f.getKey() + "\"");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", out, depth + 1);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String kind(JsonNode v) {
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isIntegralNumber()) {
            return "an integer";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return v.isArray() ? "an array" : "an object";
    }
}
