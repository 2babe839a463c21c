package io.busbar.core.schemas;

import java.util.List;

/** A schema found by SearchSchemas, with the versions that matched. */
public record SchemaSearchHit(String registryName, String schemaName, String schemaArn, List<SchemaVersion> versions) {
    public SchemaSearchHit {
        versions = List.copyOf(versions);
    }
}
