package io.busbar.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A replay as DescribeReplay shows it (spec 8.3): the events of an archive whose event time is in
 * {@code [eventStartTime, eventEndTime)}, sent again to the archive's bus with a {@code replay-name} member.
 *
 * @param name                  1–64 characters {@code [.\-_A-Za-z0-9]+}
 * @param arn                   {@code arn:aws:events:<region>:<account>:replay/<name>}
 * @param description           ≤ 512 characters, or {@code null}
 * @param state                 where the replay is
 * @param stateReason           why it is there (set when it failed), or {@code null}
 * @param eventSourceArn        the ARN of the archive
 * @param destination           the bus and rules the events go to
 * @param eventStartTime        first event time replayed (inclusive)
 * @param eventEndTime          end of the event times replayed (exclusive)
 * @param eventLastReplayedTime event time of the last event replayed, or {@code null} before the first
 * @param replayStartTime       when StartReplay was called
 * @param replayEndTime         when the replay ended, or {@code null} while it is active
 */
public record Replay(String name, String arn, String description, ReplayState state, String stateReason,
                     String eventSourceArn, ReplayDestination destination, Instant eventStartTime,
                     Instant eventEndTime, Instant eventLastReplayedTime, Instant replayStartTime,
                     Instant replayEndTime) {
    public Replay {
        Names.check("replayName", name, Names.NAME, 1, 64);
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(eventSourceArn, "eventSourceArn");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(eventStartTime, "eventStartTime");
        Objects.requireNonNull(eventEndTime, "eventEndTime");
        Objects.requireNonNull(replayStartTime, "replayStartTime");
    }

    /** This replay in another state. */
    Replay with(ReplayState newState, String reason, Instant lastReplayed, Instant ended) {
        return new Replay(name, arn, description, newState, reason, eventSourceArn, destination, eventStartTime,
                eventEndTime, lastReplayed, replayStartTime, ended);
    }
}
