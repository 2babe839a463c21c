package io.busbar.core;

/**
 * A replay's state (spec 8.3): {@code STARTING -> RUNNING -> COMPLETED | FAILED}; CancelReplay moves a starting or
 * running replay to {@code CANCELLING}, and the replay stops at its next step as {@code CANCELLED}.
 */
public enum ReplayState {
    STARTING,
    RUNNING,
    CANCELLING,
    COMPLETED,
    CANCELLED,
    FAILED;

    /** Whether the replay still counts against the limit of active replays (it has not ended). */
    public boolean active() {
        return this == STARTING || this == RUNNING || this == CANCELLING;
    }
}
