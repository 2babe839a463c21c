package io.busbar.core.schemas;

import java.time.Instant;

/**
 * One version of a schema: its number (a decimal string from 1), type and content, stored byte for byte.
 */
public record SchemaVersion(String version, SchemaType type, String content, Instant createdDate) {
}
