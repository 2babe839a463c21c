package io.busbar.core.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Infers the OpenAPI 3 document EventBridge generates (spec 2.4) from one or more events of one event type, merging
 * the samples: a property is {@code required} when every sample has it; integer and non-integral numbers widen to
 * {@code number}; arrays of objects get one item component holding the keys of all elements; a property seen with
 * kinds that do not widen (string and number, say) becomes the empty schema {@code {}} (OpenAPI 3.0 has no type
 * unions) and a property only ever {@code null} is {@code {}} as in AWS's output.
 *
 * <p>EventBridge envelopes (objects with {@code source}, {@code detail-type} and {@code detail}) give the
 * {@code AWSEvent} wrapper; any other JSON object gives a document titled {@code Event} (spec 2.7). All samples must
 * be of one kind and, for envelopes, of one {@code source} and {@code detail-type}.
 *
 * <p>String formats: by default no {@code format} is inferred inside {@code detail} (spec 2.4); an inferrer made
 * with {@link #withDateTimeFormats()} adds {@code "format":"date-time"} to string properties whose every value
 * parses as an RFC 3339 date-time. Not thread-safe.
 */
public final class SchemaInferrer {
    private static final List<String> ENVELOPE_REQUIRED =
            List.of("detail-type", "resources", "detail", "id", "source", "time", "region", "version", "account");

    private final boolean dateTimeFormats;
    private final ShapeNode root = new ShapeNode();
    private Boolean envelope;
    private String source;
    private String detailType;
    private boolean resourcesHadStrings;
    private int samples;

    private SchemaInferrer(boolean dateTimeFormats) {
        this.dateTimeFormats = dateTimeFormats;
    }

    /** An inferrer that follows spec 2.4 exactly (no string formats inside {@code detail}). */
    public static SchemaInferrer create() {
        return new SchemaInferrer(false);
    }

    /** An inferrer that also marks string properties whose every value is an RFC 3339 date-time. */
    public static SchemaInferrer withDateTimeFormats() {
        return new SchemaInferrer(true);
    }

    /**
     * Adds one sample.
     *
     * @throws SchemaException {@code BadRequestException} for text that is not a JSON object, or an event of another
     *                         kind or event type than the samples before it
     */
    public SchemaInferrer add(String eventJson) {
        JsonNode node;
        try {
            node = SchemaDocuments.MAPPER.readTree(Objects.requireNonNull(eventJson, "eventJson"));
        } catch (JsonProcessingException e) {
            throw SchemaException.badRequest("Event is not valid JSON: " + e.getOriginalMessage());
        }
        return add(node);
    }

    SchemaInferrer add(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw SchemaException.badRequest("Event is not a JSON object.");
        }
        boolean isEnvelope = isEnvelope(event);
        if (envelope != null && envelope != isEnvelope) {
            throw SchemaException.badRequest("Events mix EventBridge events and other JSON objects.");
        }
        if (isEnvelope) {
            String s = event.get("source").textValue();
            String d = event.get("detail-type").textValue();
            if (source != null && (!source.equals(s) || !detailType.equals(d))) {
                throw SchemaException.badRequest("Events are of different types: " + source + "/" + detailType
                        + " and " + s + "/" + d + ".");
            }
            source = s;
            detailType = d;
            JsonNode resources = event.get("resources");
            if (resources != null && resources.isArray() && resources.size() > 0) {
                resourcesHadStrings = true;
            }
            root.add(event.get("detail"), 1);
        } else {
            root.add(event, 0);
        }
        envelope = isEnvelope;
        samples++;
        return this;
    }

    /** Whether an event carries the envelope members that discovery needs. */
    static boolean isEnvelope(JsonNode event) {
        return event.path("source").isTextual() && event.path("detail-type").isTextual() && event.has("detail");
    }

    public int samples() {
        return samples;
    }

    /** The events' {@code source}, or null when the samples are not EventBridge events (or there are none). */
    public String source() {
        return source;
    }

    public String detailType() {
        return detailType;
    }

    /** The discovered-schema name ({@code source@DetailTypeName}), or null for samples that are not events. */
    public String schemaName() {
        return source == null ? null : SchemaDocuments.discoveredSchemaName(source, detailType);
    }

    /**
     * The OpenAPI 3 document as compact JSON.
     *
     * @throws IllegalStateException before the first sample
     */
    public String openApi() {
        return SchemaDocuments.compact(openApiTree());
    }

    ObjectNode openApiTree() {
        if (samples == 0) {
            throw new IllegalStateException("no samples");
        }
        String title = Boolean.TRUE.equals(envelope) ? SchemaDocuments.detailTypeName(detailType) : "Event";
        Components components = new Components();
        if (Boolean.TRUE.equals(envelope)) {
            components.reserve("AWSEvent");
            components.reserve(title);
            ObjectNode aws = object();
            aws.put("type", "object");
            ArrayNode req = aws.putArray("required");
            ENVELOPE_REQUIRED.forEach(req::add);
            aws.put("x-amazon-events-detail-type", detailType);
            aws.put("x-amazon-events-source", source);
            ObjectNode props = aws.putObject("properties");
            ObjectNode detailSchema = root.objects > 0 && root.kinds() == 1
                    ? objectSchema(root, components) : schema(root, "detail", components);
            props.set("detail", root.objects > 0 && root.kinds() == 1 ? ref(title) : detailSchema);
            props.set("account", type("string"));
            props.set("detail-type", type("string"));
            props.set("id", type("string"));
            props.set("region", type("string"));
            ObjectNode resources = type("array");
            resources.set("items", type(resourcesHadStrings ? "string" : "object"));
            props.set("resources", resources);
            props.set("source", type("string"));
            props.set("time", type("string").put("format", "date-time"));
            props.set("version", type("string"));
            components.put("AWSEvent", aws);
            if (root.objects > 0 && root.kinds() == 1) {
                components.put(title, detailSchema);
            } else {
                components.remove(title);
            }
        } else {
            components.reserve(title);
            components.put(title, objectSchema(root, components));
        }
        ObjectNode doc = object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("version", "1.0.0").put("title", title);
        doc.putObject("paths");
        doc.putObject("components").set("schemas", components.ordered());
        return doc;
    }

    /** The schema of a value seen at property {@code name}. */
    private ObjectNode schema(ShapeNode n, String name, Components components) {
        if (n.kinds() != 1) {
            if (n.kinds() == 0 && !n.sawNull && n.items == null) {
                return object(); // nothing seen (cannot happen for a present property)
            }
            return object(); // only null, or kinds that do not widen: any value
        }
        if (n.sawString) {
            ObjectNode s = type("string");
            if (dateTimeFormats && n.allDateTime) {
                s.put("format", "date-time");
            }
            return s;
        }
        if (n.sawNumber) {
            return type("number").put("format", "double");
        }
        if (n.sawInteger) {
            return type("integer").put("format", "int64");
        }
        if (n.sawBoolean) {
            return type("boolean");
        }
        if (n.objects > 0) {
            ObjectNode body = objectSchema(n, components);
            return ref(components.add(SchemaDocuments.pascal(name), body));
        }
        ObjectNode array = type("array");
        if (n.items == null) {
            array.set("items", type("object"));
        } else {
            array.set("items", schema(n.items, name + "Item", components));
        }
        return array;
    }

    private ObjectNode objectSchema(ShapeNode n, Components components) {
        ObjectNode o = type("object");
        ArrayNode required = o.putArray("required");
        ObjectNode props = o.putObject("properties");
        for (Map.Entry<String, ShapeNode> p : n.properties.entrySet()) {
            if (n.required(p.getKey())) {
                required.add(p.getKey());
            }
            props.set(p.getKey(), schema(p.getValue(), p.getKey(), components));
        }
        return o;
    }

    private static ObjectNode ref(String component) {
        return object().put("$ref", "#/components/schemas/" + component);
    }

    private static ObjectNode type(String type) {
        return object().put("type", type);
    }

    private static ObjectNode object() {
        return SchemaDocuments.MAPPER.createObjectNode();
    }

    /** Component names: a clash with a different shape appends 1, 2, ...; the same shape shares the name. */
    private static final class Components {
        private final Map<String, ObjectNode> byName = new LinkedHashMap<>();
        private final List<String> reserved = new ArrayList<>();

        void reserve(String name) {
            reserved.add(name);
        }

        void put(String name, ObjectNode schema) {
            byName.put(name, schema);
        }

        void remove(String name) {
            reserved.remove(name);
        }

        String add(String base, ObjectNode schema) {
            String b = base.isEmpty() ? "Object" : base;
            for (int i = 0; ; i++) {
                String name = i == 0 ? b : b + i;
                ObjectNode existing = byName.get(name);
                if (existing == null && !reserved.contains(name)) {
                    byName.put(name, schema);
                    return name;
                }
                if (existing != null && existing.equals(schema)) {
                    return name;
                }
            }
        }

        /** The reserved components first (AWSEvent, the detail), then the nested ones in the order made. */
        ObjectNode ordered() {
            ObjectNode out = object();
            for (String r : reserved) {
                if (byName.containsKey(r)) {
                    out.set(r, byName.get(r));
                }
            }
            byName.forEach((k, v) -> {
                if (!out.has(k)) {
                    out.set(k, v);
                }
            });
            return out;
        }
    }
}
