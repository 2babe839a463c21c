package io.busbar.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.busbar.core.store.StoreException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of control-plane values in the {@link io.busbar.core.store.ControlStore}: records as Jackson writes
 * them, instants as ISO-8601 text, a target's input as {@code {"type": ..., ...}}. Stored values are read back with
 * the records' own constructors, so a value the current code would refuse fails loudly at start rather than
 * running half-valid.
 */
final class ControlCodec {
    /** A rule and its targets: one stored value, so PutTargets and PutRule each write one key. */
    record StoredRule(Rule rule, List<Target> targets, Instant scheduleAnchor) {
    }

    /** A bus's description as stored. */
    record StoredBus(EventBus bus) {
    }

    static final ObjectMapper MAPPER = mapper();

    private ControlCodec() {
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("busbar-control");
        m.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        m.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        m.addSerializer(TargetInput.class, new JsonSerializer<>() {
            @Override
            public void serialize(TargetInput v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartObject();
                if (v instanceof TargetInput.Constant c) {
                    g.writeStringField("type", "constant");
                    g.writeStringField("input", c.input());
                } else if (v instanceof TargetInput.Path path) {
                    g.writeStringField("type", "path");
                    g.writeStringField("inputPath", path.inputPath());
                } else if (v instanceof TargetInput.Transformed t) {
                    g.writeStringField("type", "transformer");
                    g.writeObjectField("inputPathsMap", t.transformer().inputPathsMap());
                    g.writeStringField("inputTemplate", t.transformer().inputTemplate());
                } else {
                    g.writeStringField("type", "event");
                }
                g.writeEndObject();
            }
        });
        m.addDeserializer(TargetInput.class, new JsonDeserializer<>() {
            @Override
            public TargetInput deserialize(JsonParser p, DeserializationContext c) throws IOException {
                JsonNode n = p.readValueAsTree();
                String type = n.path("type").asText();
                return switch (type) {
                    case "constant" -> TargetInput.constant(n.path("input").asText());
                    case "path" -> TargetInput.path(n.path("inputPath").asText());
                    case "transformer" -> TargetInput.transformed(new InputTransformer(
                            p.getCodec().treeToValue(n.path("inputPathsMap"), Map.class),
                            n.path("inputTemplate").asText()));
                    case "event" -> TargetInput.entireEvent();
                    default -> throw new IOException("unknown target input type: " + type);
                };
            }
        });
        return new ObjectMapper().registerModule(m)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> readTags(String key, String json) {
        return new java.util.LinkedHashMap<String, String>(read(key, json, java.util.LinkedHashMap.class));
    }

    /** An instant stored as plain ISO-8601 text (the scheduler's last fire times), not as a JSON document. */
    static Instant readInstant(String key, String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new StoreException("The stored control plane is not readable at " + key + ": " + e.getMessage(), e);
        }
    }

    static <T> T read(String key, String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("The stored control plane is not readable at " + key + ": " + e.getMessage(), e);
        }
    }
}
