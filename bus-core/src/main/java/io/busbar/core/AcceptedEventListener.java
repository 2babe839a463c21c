package io.busbar.core;

/**
 * Told of every event a bus accepted from PutEvents, as the bus built it (the envelope, before any input
 * transformation). Called on the PutEvents thread, so an implementation must return at once and never block: hand
 * the event to a bounded queue and drop it when the queue is full. What it throws is caught and ignored, so a
 * listener cannot fail an event.
 */
@FunctionalInterface
public interface AcceptedEventListener {
    /**
     * @param busName   the bus's name
     * @param eventJson the event envelope as JSON
     */
    void accepted(String busName, String eventJson);
}
