package io.busbar.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset EventBridge evaluates in {@code InputPath} and {@code InputPathsMap}: {@code $} followed by
 * {@code .name} steps and {@code [n]} array indexes ({@code $.detail.state}, {@code $.resources[0]}).
 *
 * <p>The API reference asks for dot notation only, the user guide shows {@code $.resources[0]} working (spec 5.1,
 * 11.20): both are accepted. Wildcards, filters, recursive descent and quoted bracket names are rejected when the
 * target is configured rather than silently never matching at delivery. A name is any run of characters other
 * than {@code . [ ] *} and whitespace, so event keys such as {@code detail-type} and {@code acc_id} work.
 *
 * <p>Immutable and thread-safe; {@link #select} allocates nothing.
 */
final class JsonPath {
    static final int MAX_LENGTH = 256;

    private static final String EXPECTED = "a JSONPath in dot notation such as $.detail.state, "
            + "with [n] for an array element";

    private final String text;
    /** Each step is a String (object member) or an Integer (array index). */
    private final Object[] steps;

    private JsonPath(String text, Object[] steps) {
        this.text = text;
        this.steps = steps;
    }

    /**
     * Parses a path; {@code field} names the configuration member in the error message.
     *
     * @throws TargetValidationException if the path is too long or not of the supported form
     */
    static JsonPath parse(String field, String text) {
        if (text == null) {
            throw TargetValidationException.invalid(field + ": null (expected: " + EXPECTED + ")");
        }
        if (text.length() > MAX_LENGTH) {
            throw TargetValidationException.invalid(field + ": " + text.length()
                    + " characters (expected: at most " + MAX_LENGTH + ")");
        }
        if (text.isEmpty() || text.charAt(0) != '$') {
            throw badPath(field, text);
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
                    throw badPath(field, text);
                }
                steps.add(text.substring(start, i));
            } else if (c == '[') {
                int start = ++i;
                while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    i++;
                }
                // At most nine digits: every index an array can have, and no overflow.
                if (i == start || i - start > 9 || i >= text.length() || text.charAt(i) != ']') {
                    throw badPath(field, text);
                }
                steps.add(Integer.valueOf(text.substring(start, i)));
                i++;
            } else {
                throw badPath(field, text);
            }
        }
        return new JsonPath(text, steps.toArray());
    }

    private static boolean isNameChar(char c) {
        return c != '.' && c != '[' && c != ']' && c != '*' && !Character.isWhitespace(c);
    }

    private static TargetValidationException badPath(String field, String text) {
        return TargetValidationException.invalid(field + ": " + text + " (expected: " + EXPECTED + ")");
    }

    /** The value at this path, or null when the event has none there. */
    JsonNode select(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            if (step instanceof String) {
                node = node.isObject() ? node.get((String) step) : null;
            } else {
                int index = (Integer) step;
                node = node.isArray() && index < node.size() ? node.get(index) : null;
            }
            if (node == null) {
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
