package io.busbar.core.scheduler;

/** Whether a schedule invokes its target; a disabled schedule never fires and missed times are not replayed. */
public enum ScheduleState {
    ENABLED,
    DISABLED
}
