package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code AWSEvents.*} operation: reads its input, acts on the bus, returns its output structure. Throws
 * {@link ApiException} or {@link io.busbar.core.BusbarException} for a refused request.
 */
@FunctionalInterface
interface Operation {
    JsonNode invoke(Shape input);
}
