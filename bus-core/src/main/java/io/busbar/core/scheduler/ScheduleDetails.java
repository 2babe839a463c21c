package io.busbar.core.scheduler;

import java.time.Instant;

/**
 * A stored schedule, as GetSchedule answers it: its definition with defaults filled in, its ARN and its dates.
 *
 * @param arn                  {@code arn:aws:scheduler:{region}:{account}:schedule/{group}/{name}}
 * @param definition           the definition, defaults materialised
 * @param creationDate         when it was created (kept by updates)
 * @param lastModificationDate when it was last created or updated
 */
public record ScheduleDetails(String arn, ScheduleRequest definition, Instant creationDate,
                              Instant lastModificationDate) {
    public String name() {
        return definition.name();
    }

    public String groupName() {
        return definition.groupName();
    }
}
