package io.busbar.core;

import java.time.Instant;
import java.util.Map;

/**
 * A message in an {@link InMemoryQueue}: the body a target received and the attributes that came with it (for a
 * dead-letter message, {@code ERROR_CODE}, {@code RULE_ARN}, ...).
 *
 * @param body       the payload
 * @param attributes message attributes
 * @param sentAt     when the bus enqueued it
 * @param eventId    the id of the event it came from
 */
public record QueueMessage(String body, Map<String, String> attributes, Instant sentAt, String eventId) {
    public QueueMessage {
        attributes = Map.copyOf(attributes);
    }
}
