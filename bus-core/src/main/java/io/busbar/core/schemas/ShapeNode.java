package io.busbar.core.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What has been seen at one position of the sampled JSON values: which JSON kinds, and for objects the properties
 * (with how many of the objects had each), for arrays the merged shape of all elements.
 *
 * <p>Implementation notes: merging is a fold over samples, so a node only grows; adding a sample costs
 * O(size of the sample). Nesting deeper than {@link #MAX_DEPTH} is not descended into (the discoverer ignores it,
 * spec 2.1 rule 3), so a hostile document cannot overflow the stack. Not thread-safe.
 */
final class ShapeNode {
    static final int MAX_DEPTH = 255;

    boolean sawNull;
    boolean sawString;
    boolean sawInteger;
    boolean sawNumber;
    boolean sawBoolean;
    int objects;
    boolean sawArray;
    boolean allDateTime = true;
    /** Properties in first-seen order, with how many objects had them. */
    final Map<String, ShapeNode> properties = new LinkedHashMap<>();
    final Map<String, Integer> presence = new LinkedHashMap<>();
    /** The merged shape of every array element seen here, or null when every array was empty. */
    ShapeNode items;

    void add(JsonNode v, int depth) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            sawNull = true;
        } else if (v.isTextual()) {
            sawString = true;
            if (allDateTime && !isDateTime(v.textValue())) {
                allDateTime = false;
            }
        } else if (v.isIntegralNumber()) {
            sawInteger = true;
        } else if (v.isNumber()) {
            // typed by the literal, as AWS does: 1.0 is a number, 1 an integer
            sawNumber = true;
        } else if (v.isBoolean()) {
            sawBoolean = true;
        } else if (v.isObject()) {
            objects++;
            if (depth >= MAX_DEPTH) {
                return;
            }
            var fields = v.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                properties.computeIfAbsent(f.getKey(), k -> new ShapeNode()).add(f.getValue(), depth + 1);
                presence.merge(f.getKey(), 1, Integer::sum);
            }
        } else if (v.isArray()) {
            sawArray = true;
            if (depth >= MAX_DEPTH) {
                return;
            }
            for (JsonNode e : v) {
                if (items == null) {
                    items = new ShapeNode();
                }
                items.add(e, depth + 1);
            }
        }
    }

    /** How many JSON kinds other than null were seen (integer and number count as one). */
    int kinds() {
        int n = 0;
        n += sawString ? 1 : 0;
        n += sawInteger || sawNumber ? 1 : 0;
        n += sawBoolean ? 1 : 0;
        n += objects > 0 ? 1 : 0;
        n += sawArray ? 1 : 0;
        return n;
    }

    /** Keys present in every object seen here, in first-seen order. */
    boolean required(String key) {
        return presence.getOrDefault(key, 0) == objects;
    }

    /** RFC 3339 date-time: a date, {@code T} (or {@code t}), a time and an offset or {@code Z}. */
    static boolean isDateTime(String s) {
        if (s.length() < 20 || s.length() > 40) {
            return false;
        }
        try {
            OffsetDateTime.parse(s.replace('t', 'T').replace('z', 'Z'));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
