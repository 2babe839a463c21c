package io.busbar.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath subset EventBridge evaluates against events ({@code InputPath}, {@code InputPathsMap}, and target
 * parameters such as {@code HttpParameters.PathParameterValues} or a partition key path): {@code $} followed by
 * {@code .name} steps and {@code [n]} array indexes ({@code $.detail.state}, {@code $.resources[0]}).
 *
 * <p>The API reference asks for dot notation only, the user guide shows {@code $.resources[0]} working (spec 5.1,
 * 11.20): both are accepted. Wildcards, filters, recursive descent and quoted bracket names are rejected when the
 * target is configured rather than silently never matching at delivery. A name is any run of characters other than
 * {@code . [ ] *} and whitespace, so event keys such as {@code detail-type} and {@code acc_id} work. The bus and
 * every target module parse paths here, so they accept the same paths with the same messages.
 *
 * <p>Immutable and thread-safe.
 */
public final class EventPath {
    /** The longest path EventBridge accepts. */
    public static final int MAX_LENGTH = 256;

    private static final String EXPECTED = "a JSONPath in dot notation such as $.detail.state, "
            + "with [n] for an array element";

    private final String text;
    /** Each step is a String (object member) or an Integer (array index). */
    private final Object[] steps;

    private EventPath(String text, Object[] steps) {
        this.text = text;
        this.steps = steps;
    }

    /**
     * Parses a path; {@code field} names the configuration member in the error message.
     *
     * @throws IllegalArgumentException {@code field: value (expected: ...)} when the path is missing, too long or
     *                                  not of the supported form
     */
    public static EventPath parse(String field, String text) {
        if (text == null) {
            throw new IllegalArgumentException(field + ": null (expected: " + EXPECTED + ")");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(field + ": " + text.length() + " characters (expected: at most "
                    + MAX_LENGTH + ")");
        }
        if (text.isEmpty() || text.charAt(0) != '$') {
            throw bad(field, text);
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
                // At most nine digits: every index an array can have, and no overflow.
                if (i == start || i - start > 9 || i >= text.length() || text.charAt(i) != ']') {
                    throw bad(field, text);
                }
                steps.add(Integer.valueOf(text.substring(start, i)));
                i++;
            } else {
                throw bad(field, text);
            }
        }
        return new EventPath(text, steps.toArray());
    }

    private static boolean isNameChar(char c) {
        return c != '.' && c != '[' && c != ']' && c != '*' && !Character.isWhitespace(c);
    }

    private static IllegalArgumentException bad(String field, String text) {
        return new IllegalArgumentException(field + ": " + text + " (expected: " + EXPECTED + ")");
    }

    /** Number of steps after {@code $} (0 for {@code $} itself, the whole event). */
    public int length() {
        return steps.length;
    }

    /** Step {@code i}: a member name ({@link String}) or an array index ({@link Integer}). */
    public Object step(int i) {
        return steps[i];
    }

    /** The value at this path, or null when the event has none there (a JSON {@code null} value is returned). */
    public JsonNode select(JsonNode root) {
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
