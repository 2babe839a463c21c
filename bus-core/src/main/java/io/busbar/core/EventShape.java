package io.busbar.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small reads of an event's envelope, off the hot path. */
final class EventShape {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventShape() {
    }

    /** Whether TestEventPattern's event has the fields EventBridge requires (spec 3.8). */
    static boolean hasEnvelopeFields(String event) {
        try {
            // The whole text must be the one event: Jackson would otherwise ignore what follows its first value.
            JsonNode n = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(event);
            if (n == null || !n.isObject()) {
                return false;
            }
            for (String f : new String[] {"id", "account", "source", "time", "region", "detail-type"}) {
                if (!n.has(f)) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The {@code id} of an event built by a bus, or a fresh one when it has none. */
    static String id(String event) {
        try {
            JsonNode id = JSON.readTree(event).get("id");
            return id != null && id.isTextual() ? id.asText() : java.util.UUID.randomUUID().toString();
        } catch (java.io.IOException e) {
            return java.util.UUID.randomUUID().toString();
        }
    }
}
