package io.busbar.targets.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.spi.EventPath;

/**
 * A target parameter's value: a static string, or a whole-value JSON path resolved against the original event at
 * each delivery (spec 5.3, 6.2). Immutable.
 */
final class ParameterValue {
    private final String field;
    private final String text;
    private final EventPath path;

    private ParameterValue(String field, String text, EventPath path) {
        this.field = field;
        this.text = text;
        this.path = path;
    }

    /**
     * @throws IllegalArgumentException when the value starts with {@code $.} but is not a valid path
     */
    static ParameterValue of(String field, String text) {
        // EventBridge treats a value that starts with "$." as a path into the event, anything else as a string.
        return new ParameterValue(field, text, text.startsWith("$.") ? EventPath.parse(field, text) : null);
    }

    boolean isDynamic() {
        return path != null;
    }

    /**
     * The value for one delivery. A string found at the path is used as it is, any other JSON value as its JSON
     * text (a number as its digits, an object compactly serialised).
     *
     * @param event the original event, or null when no value of the target is dynamic
     * @throws DeliveryFailure (permanent {@code INVALID_PARAMETER}) when the event has no value at the path
     */
    String resolve(JsonNode event) {
        if (path == null) {
            return text;
        }
        JsonNode v = event == null ? null : path.select(event);
        if (v == null || v.isNull()) {
            throw DeliveryFailure.permanent(HttpOutcomes.INVALID_PARAMETER, field + ": the path " + path
                    + " has no value in the event");
        }
        return v.isTextual() ? v.textValue() : v.toString();
    }
}
