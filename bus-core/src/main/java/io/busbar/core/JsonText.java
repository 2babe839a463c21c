package io.busbar.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON operations target input needs: parse an event, check and minify JSON text, write a value compactly or
 * with its quotes stripped. Stateless; the shared mapper is configured once and thread-safe.
 */
final class JsonText {
    /**
     * Numbers keep the digits the producer wrote ({@code 1.50} stays {@code 1.50}, a 30-digit integer stays
     * exact): a transformed payload should not change a value it merely copies.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonText() {
    }

    /**
     * Parses an event envelope.
     *
     * @throws IllegalArgumentException if the text is not one JSON object; a bus validates events when it accepts
     *     them, so this is a caller bug rather than an expected outcome
     */
    static JsonNode parseEvent(String eventJson) {
        JsonNode event;
        try {
            event = MAPPER.readTree(eventJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("eventJson: malformed JSON (expected: an event object): "
                    + e.getOriginalMessage(), e);
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("eventJson: " + (event == null ? "empty" : event.getNodeType())
                    + " (expected: an event object)");
        }
        return event;
    }

    /** Whether the text is exactly one JSON value (RFC 8259 "JSON text"), with nothing after it. */
    static boolean isValid(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the whitespace between tokens of valid JSON text, leaving string contents (escapes included)
     * untouched. Returns the argument itself when there is nothing to remove.
     */
    static String minify(String json) {
        StringBuilder out = null;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (out == null) {
                    out = new StringBuilder(json.length()).append(json, 0, i);
                }
                continue;
            } else if (c == '"') {
                inString = true;
            }
            if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    /** The compact JSON serialization of a value. */
    static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // A tree read from JSON always writes back; this is unreachable short of a Jackson bug.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends a value the way EventBridge renders it inside a string: strings raw (not escaped), other scalars
     * as their JSON text, objects and arrays as JSON with every quote stripped ({@code {acc_id:0a787ecb-4015}},
     * {@code [ACTIVE,INACTIVE]}, spec 5.3).
     */
    static void appendUnquoted(JsonNode value, StringBuilder out) {
        if (value.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> member : value.properties()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(member.getKey()).append(':');
                appendUnquoted(member.getValue(), out);
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendUnquoted(value.get(i), out);
            }
            out.append(']');
        } else {
            // textValue for strings, the number's own digits, true/false, null.
            out.append(value.asText());
        }
    }
}
