package io.busbar.core.scheduler;

import java.time.Instant;
import java.util.Map;

/**
 * A schedule group (SCHEDULER 1.1).
 *
 * @param name                 1–64 characters {@code [0-9a-zA-Z-_.]}
 * @param arn                  {@code arn:aws:scheduler:{region}:{account}:schedule-group/{name}}
 * @param state                {@code ACTIVE} ({@code DELETING} is never observable: Busbar deletes at once)
 * @param creationDate         when it was created
 * @param lastModificationDate when it last changed
 * @param tags                 its tags
 */
public record ScheduleGroup(String name, String arn, String state, Instant creationDate, Instant lastModificationDate,
                            Map<String, String> tags) {
    public ScheduleGroup {
        tags = Map.copyOf(tags);
    }
}
