package io.busbar.core.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * A schema with one of its versions (the latest unless a version was asked for).
 *
 * @param description  null when none
 * @param versionCount how many versions the schema has
 */
public record Schema(String registryName, String name, String arn, String description, Instant lastModified,
                     int versionCount, Map<String, String> tags, SchemaVersion version) {
    public Schema {
        tags = Map.copyOf(tags);
    }
}
