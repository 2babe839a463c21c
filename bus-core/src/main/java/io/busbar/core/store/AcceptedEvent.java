package io.busbar.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An event a bus accepted, with the deliveries it owes: one route per (rule, target) the event matched.
 *
 * @param busName     the bus that accepted it
 * @param eventId     the event's id
 * @param ingestion   when it was accepted (event age and retry limits count from here)
 * @param traceHeader the X-Ray trace header given with it, or null
 * @param eventJson   the event envelope as the bus built it
 * @param routes      the deliveries owed, in a fixed order (a route's index names it in {@link EventStore})
 */
public record AcceptedEvent(String busName, String eventId, Instant ingestion, String traceHeader, String eventJson,
                            List<Route> routes) {
    public AcceptedEvent {
        Objects.requireNonNull(busName, "busName");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(ingestion, "ingestion");
        Objects.requireNonNull(eventJson, "eventJson");
        routes = List.copyOf(routes);
    }

    /** A delivery owed: the rule that matched and the id of its target. */
    public record Route(String ruleName, String targetId) {
        public Route {
            Objects.requireNonNull(ruleName, "ruleName");
            Objects.requireNonNull(targetId, "targetId");
        }
    }
}
