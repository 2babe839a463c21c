package io.busbar.core;

import java.util.List;

/**
 * The answer to PutEvents: one entry per request entry, in order; each has an event id or an error (spec 1.5).
 *
 * @param failedEntryCount how many entries failed
 * @param entries          one per request entry
 */
public record PutEventsResult(int failedEntryCount, List<Entry> entries) {
    public PutEventsResult {
        entries = List.copyOf(entries);
    }

    /**
     * One entry's outcome: {@code eventId} on success, {@code errorCode} and {@code errorMessage} on failure.
     *
     * @param eventId      the new event's id, or {@code null}
     * @param errorCode    {@code InvalidArgument}, {@code MalformedDetail}, {@code ThrottlingException}, ...
     * @param errorMessage EventBridge's message
     */
    public record Entry(String eventId, String errorCode, String errorMessage) {
        static Entry ok(String eventId) {
            return new Entry(eventId, null, null);
        }

        static Entry failed(String code, String message) {
            return new Entry(null, code, message);
        }

        public boolean failed() {
            return errorCode != null;
        }
    }
}
