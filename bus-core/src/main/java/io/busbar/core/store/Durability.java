package io.busbar.core.store;

/** When a PutEvents entry is acknowledged relative to the disk. */
public enum Durability {
    /**
     * Acknowledged once written and {@code fsync}ed. Concurrent requests share one sync (group commit), so this costs
     * latency more than throughput. Nothing acknowledged is lost by a process or machine crash.
     */
    FSYNC,
    /**
     * Acknowledged once written to the operating system; synced at least every sync interval. A process crash loses
     * nothing; a machine crash loses at most the last interval's events.
     */
    BATCH,
    /** Nothing is written: a restart loses everything (the default without a data directory). */
    MEMORY
}
