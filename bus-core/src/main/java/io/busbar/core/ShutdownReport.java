package io.busbar.core;

import java.util.List;

/**
 * What {@link Busbar#close(java.time.Duration)} left undone: deliveries still queued or waiting for a retry, and
 * attempts still running when the timeout passed. Empty lists mean everything accepted was delivered (or sent to
 * its dead-letter queue, or counted as failed).
 *
 * @param undelivered deliveries that never got to run again
 * @param inFlight    attempts still running at the deadline
 */
public record ShutdownReport(List<UndeliveredEvent> undelivered, List<UndeliveredEvent> inFlight) {
    public ShutdownReport {
        undelivered = List.copyOf(undelivered);
        inFlight = List.copyOf(inFlight);
    }

    public boolean clean() {
        return undelivered.isEmpty() && inFlight.isEmpty();
    }
}
