package io.busbar.targets.kafka;

import io.busbar.core.spi.EventPath;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A record key read from the event by a path (the grammar, and its messages, are the bus's {@link EventPath}), the
 * JSONPath subset EventBridge evaluates in its target parameters ({@code KinesisParameters.PartitionKeyPath},
 * {@code InputPath}): {@code $} followed by {@code .name} steps and {@code [n]} array indexes, such as
 * {@code $.detail.id} or {@code $.resources[0]}. Wildcards, filters and quoted names are rejected when the target
 * is configured rather than silently never matching.
 *
 * <p>Implementation notes: {@link #select} streams the event with Jackson's {@link JsonParser} and skips every
 * subtree the path does not enter, so finding {@code $.detail.id} in a large event reads up to that member and
 * builds no tree. When a name occurs twice in one object the first occurrence is taken. Immutable and thread-safe.
 */
final class KeyPath {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final EventPath path;

    private KeyPath(EventPath path) {
        this.path = path;
    }

    /**
     * @throws IllegalArgumentException naming {@code field} when the path is too long or not of the supported form
     */
    static KeyPath parse(String field, String text) {
        return new KeyPath(EventPath.parse(field, text));
    }

    /**
     * The value at this path as key text: a string's text, a number's or boolean's JSON text, an object's or
     * array's compact JSON; {@code null} when the event has nothing there, or JSON {@code null}, or the event is missing or not JSON.
     */
    String select(String eventJson) {
        if (eventJson == null) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(eventJson)) {
            JsonToken t = p.nextToken();
            for (int i = 0; i < path.length(); i++) {
                Object step = path.step(i);
                t = step instanceof String name ? enterMember(p, t, name) : enterElement(p, t, (Integer) step);
                if (t == null) {
                    return null;
                }
            }
            return switch (t) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
                case START_OBJECT, START_ARRAY -> JSON.writeValueAsString(JSON.readTree(p));
                default -> null;
            };
        } catch (IOException e) {
            return null; // the bus hands targets well-formed events; anything else has no key
        }
    }

    /** Moves to the value of member {@code name} of the object at {@code t}; null when there is none. */
    private static JsonToken enterMember(JsonParser p, JsonToken t, String name) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean match = name.equals(p.currentName());
            JsonToken value = p.nextToken();
            if (match) {
                return value;
            }
            p.skipChildren();
        }
        return null;
    }

    /** Moves to element {@code index} of the array at {@code t}; null when there is none. */
    private static JsonToken enterElement(JsonParser p, JsonToken t, int index) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            return null;
        }
        int i = 0;
        for (JsonToken e = p.nextToken(); e != null && e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (i++ == index) {
                return e;
            }
            p.skipChildren();
        }
        return null;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
