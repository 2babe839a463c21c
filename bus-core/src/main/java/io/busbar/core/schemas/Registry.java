package io.busbar.core.schemas;

import java.util.Map;

/**
 * A schema registry.
 *
 * @param description null when none
 */
public record Registry(String name, String arn, String description, Map<String, String> tags) {
    public Registry {
        tags = Map.copyOf(tags);
    }
}
