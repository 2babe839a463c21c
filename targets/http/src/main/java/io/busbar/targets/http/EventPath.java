package io.busbar.targets.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole-value JSON path in a target parameter ({@code $.detail.id}, {@code $.resources[0]}), resolved against
 * the original event (spec 5.3). Same subset as the bus's {@code InputPath}: {@code .name} steps and {@code [n]}
 * indexes; the bus keeps its own parser package-private, so this module carries a copy of the grammar rather than
 * widening bus-core's public surface. Immutable.
 */
final class EventPath {
    private static final int MAX_LENGTH = 256;
    private static final String EXPECTED = "a JSON path in dot notation such as $.detail.id, with [n] for an "
            + "array element";

    private final String text;
    /** Each step is a String (object member) or an Integer (array index). */
    private final Object[] steps;

    private EventPath(String text, Object[] steps) {
        this.text = text;
        this.steps = steps;
    }

    /** Whether a parameter value is meant as a path: EventBridge treats a value that starts with {@code $.} so. */
    static boolean looksLikePath(String value) {
        return value.startsWith("$.");
    }

    /**
     * Parses a path; {@code field} names the parameter in the error message.
     *
     * @throws IllegalArgumentException when the text is not a supported path
     */
    static EventPath parse(String field, String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(field + ": " + text.length() + " characters (expected: at most "
                    + MAX_LENGTH + ")");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < text.length() && isNameChar(text.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    throw bad(field, text);
                }
                steps.add(text.substring(start, i));
            } else if (c == '[') {
                int start = ++i;
                while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                // At most nine digits: every index an array can have, and no int overflow.
                if (i == start || i - start > 9 || i >= text.length() || text.charAt(i) != ']') {
                    throw bad(field, text);
                }
                steps.add(Integer.valueOf(text.substring(start, i)));
                i++;
            } else {
                throw bad(field, text);
            }
        }
        if (steps.isEmpty()) {
            throw bad(field, text);
        }
        return new EventPath(text, steps.toArray());
    }

    private static boolean isNameChar(char c) {
        return c != '.' && c != '[' && c != ']' && c != '*' && !Character.isWhitespace(c);
    }

    private static IllegalArgumentException bad(String field, String text) {
        return new IllegalArgumentException(field + ": " + text + " (expected: " + EXPECTED + ")");
    }

    /** The value at this path, or null when the event has none there (JSON {@code null} counts as none). */
    JsonNode select(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            if (step instanceof String) {
                node = node.isObject() ? node.get((String) step) : null;
            } else {
                int index = (Integer) step;
                node = node.isArray() && index < node.size() ? node.get(index) : null;
            }
            if (node == null || node.isNull()) {
                return null;
            }
        }
        return node;
    }

    @Override
    public String toString() {
        return text;
    }
}
