package io.busbar.core.store;

import java.util.Objects;

/**
 * An accepted event found at open with deliveries still owed.
 *
 * @param position where the store keeps it (pass to {@link EventStore#finished} and {@link EventStore#retrying})
 * @param event    the event and its routes
 * @param attempts per route: the number of the next attempt (1 when none was made), or 0 when that route is done
 */
public record PendingEvent(long position, AcceptedEvent event, int[] attempts) {
    public PendingEvent {
        Objects.requireNonNull(event, "event");
        attempts = attempts.clone();
        if (attempts.length != event.routes().size()) {
            throw new IllegalArgumentException("attempts: " + attempts.length + " (expected: one per route, "
                    + event.routes().size() + ")");
        }
    }

    /** The number of the next attempt on that route, or 0 when it is done. */
    public int attempt(int route) {
        return attempts[route];
    }
}
