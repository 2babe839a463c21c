package io.busbar.core;

import java.time.Instant;
import java.util.Objects;

/**
 * An archive as DescribeArchive shows it (spec 8.2): the events of one bus that match its pattern (all of them
 * without one, except replayed events), kept for {@code retentionDays}.
 *
 * @param name           1–48 characters {@code [.\-_A-Za-z0-9]+}
 * @param arn            {@code arn:aws:events:<region>:<account>:archive/<name>}
 * @param eventSourceArn the ARN of the bus whose events it keeps
 * @param description    ≤ 512 characters, or {@code null}
 * @param eventPattern   the pattern text as given, or {@code null} (every event)
 * @param state          always {@link ArchiveState#ENABLED} in Busbar
 * @param stateReason    why the archive is in its state, or {@code null}
 * @param retentionDays  days an event is kept, by its event time; {@code 0} keeps events indefinitely
 * @param sizeBytes      the UTF-8 size of the archived events' JSON
 * @param eventCount     events in the archive
 * @param created        creation time
 */
public record Archive(String name, String arn, String eventSourceArn, String description, String eventPattern,
                      ArchiveState state, String stateReason, int retentionDays, long sizeBytes, long eventCount,
                      Instant created) {
    public Archive {
        Names.check("archiveName", name, Names.NAME, 1, 48);
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(eventSourceArn, "eventSourceArn");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retentionDays: " + retentionDays + " (expected: 0 or more)");
        }
        if (sizeBytes < 0 || eventCount < 0) {
            throw new IllegalArgumentException("sizeBytes, eventCount: " + sizeBytes + ", " + eventCount
                    + " (expected: 0 or more)");
        }
    }
}
