package io.busbar.core.scheduler;

/** What happens to a schedule after its last invocation (SCHEDULER 2.7). */
public enum ActionAfterCompletion {
    /** The completed schedule stays, unchanged. */
    NONE,
    /**
     * The schedule is deleted after its last invocation and that invocation's retries: the single one of an
     * {@code at()} schedule, the last one on or before {@code EndDate} of a recurring one (never without an end date).
     */
    DELETE
}
