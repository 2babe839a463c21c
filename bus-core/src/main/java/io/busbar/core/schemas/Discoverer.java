package io.busbar.core.schemas;

import java.util.Map;

/**
 * A discoverer: schema discovery on one event bus ({@code sourceArn}); its id is
 * {@code events-event-bus-{busName}}.
 *
 * @param crossAccount whether events from other accounts are sampled too
 * @param description  null when none
 */
public record Discoverer(String id, String arn, String sourceArn, DiscovererState state, boolean crossAccount,
                         String description, Map<String, String> tags) {
    public Discoverer {
        tags = Map.copyOf(tags);
    }
}
