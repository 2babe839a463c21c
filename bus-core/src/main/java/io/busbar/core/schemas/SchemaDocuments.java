package io.busbar.core.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operations on schema documents: the discovered-schema naming rule (spec 2.2), the JSON Schema Draft 4 export
 * (spec 2.6) and the canonical form that decides whether discovery makes a new version (spec 2.3). Stateless and
 * thread-safe.
 */
public final class SchemaDocuments {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final String DRAFT4 = "http://json-schema.org/draft-04/schema#";

    private SchemaDocuments() {
    }

    /** {@code source + "@" + DetailTypeName}: {@code users}, {@code userCreated} give {@code users@UserCreated}. */
    public static String discoveredSchemaName(String source, String detailType) {
        return source + "@" + detailTypeName(detailType);
    }

    /** Splits on whitespace runs, upper-cases the first character of each piece and joins (spec 2.2). */
    public static String detailTypeName(String detailType) {
        StringBuilder sb = new StringBuilder();
        for (String piece : detailType.trim().split("\\s+")) {
            if (!piece.isEmpty()) {
                int first = piece.codePointAt(0);
                sb.appendCodePoint(Character.toUpperCase(first)).append(piece, Character.charCount(first),
                        piece.length());
            }
        }
        return sb.toString();
    }

    /** A component name from a property name: first character upper-cased, characters outside [A-Za-z0-9] dropped. */
    static String pascal(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sb.append(sb.length() == 0 ? Character.toUpperCase(c) : c);
            }
        }
        return sb.toString();
    }

    /**
     * Converts an OpenAPI 3 document to JSON Schema Draft 4 as {@code ExportSchema} returns it (spec 2.6): the
     * {@code AWSEvent} keywords hoisted to the root, the other components under {@code definitions}, references
     * rewritten, keys sorted below the root, compact.
     *
     * @throws SchemaException {@code BadRequestException} when the text is not an OpenAPI 3 document
     */
    public static String toJsonSchemaDraft4(String openApi) {
        JsonNode doc = parse(openApi);
        JsonNode schemas = doc.path("components").path("schemas");
        if (!doc.path("openapi").isTextual() || !schemas.isObject()) {
            throw SchemaException.badRequest("Content: not an OpenAPI 3 document with components.schemas.");
        }
        String title = doc.path("info").path("title").asText("Event");
        String rootName = schemas.has("AWSEvent") ? "AWSEvent" : schemas.has(title) ? title : null;
        ObjectNode out = MAPPER.createObjectNode();
        out.put("$schema", DRAFT4);
        out.put("title", title);
        ObjectNode definitions = out.putObject("definitions");
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        schemas.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
            if (!e.getKey().equals(rootName)) {
                definitions.set(e.getKey(), sortedCopy(e.getValue()));
            }
        }
        if (rootName != null) {
            JsonNode hoisted = sortedCopy(schemas.get(rootName));
            hoisted.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        }
        return compact(out);
    }

    /** Keys sorted in every object, arrays in order, OpenAPI references turned into Draft 4 ones. */
    private static JsonNode sortedCopy(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = MAPPER.createObjectNode();
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            sorted.forEach((k, v) -> {
                if (k.equals("$ref") && v.isTextual() && v.textValue().startsWith("#/components/schemas/")) {
                    o.put(k, "#/definitions/" + v.textValue().substring("#/components/schemas/".length()));
                } else {
                    o.set(k, sortedCopy(v));
                }
            });
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = MAPPER.createArrayNode();
            n.forEach(e -> a.add(sortedCopy(e)));
            return a;
        }
        return n;
    }

    /**
     * Whether two schema documents are the same under the canonical form of spec 2.3: object keys sorted and every
     * {@code required} array sorted. Text that is not JSON is compared as text.
     */
    public static boolean sameShape(String a, String b) {
        try {
            return canonical(MAPPER.readTree(a)).equals(canonical(MAPPER.readTree(b)));
        } catch (JsonProcessingException e) {
            return a.equals(b);
        }
    }

    static JsonNode canonical(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = MAPPER.createObjectNode();
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            sorted.forEach((k, v) -> {
                if (k.equals("required") && v.isArray()) {
                    List<String> items = new ArrayList<>();
                    v.forEach(x -> items.add(x.asText()));
                    items.sort(null);
                    ArrayNode a = o.putArray(k);
                    items.forEach(a::add);
                } else {
                    o.set(k, canonical(v));
                }
            });
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = MAPPER.createArrayNode();
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                a.add(canonical(it.next()));
            }
            return a;
        }
        return n;
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw SchemaException.badRequest("Content: not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree: " + e.getMessage(), e);
        }
    }
}
