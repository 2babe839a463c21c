package io.busbar.core.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps every accepted event until all its deliveries are finished, and the control plane beside it.
 *
 * <p>The contract is the one a replicated log can also keep, so that a distributed log (Kafka, with several Busbar
 * nodes sharing a bus) can take this one's place: events are appended in batches and acknowledged when durable;
 * the end of each delivery is recorded without waiting (losing such a mark only repeats a delivery, which
 * at-least-once allows); at open, what is still owed is read back once.
 *
 * <p>Thread-safe.
 */
public interface EventStore extends AutoCloseable {
    /**
     * Stores accepted events. The future completes when they are durable by the store's {@link Durability}, with
     * each event's position in order, or fails with {@link StoreException} (disk full, size limit reached, I/O error),
     * in which case none of them was kept.
     */
    CompletableFuture<long[]> append(List<AcceptedEvent> events);

    /** Route {@code route} of the event at {@code position} is finished (delivered, or given up). */
    void finished(long position, int route);

    /** Route {@code route} of the event at {@code position} failed; its next attempt will be {@code nextAttempt}. */
    void retrying(long position, int route, int nextAttempt);

    /**
     * Hands each event that was stored, in an earlier process, with deliveries still owed, oldest first. Call once,
     * before the first {@link #append}.
     */
    void recover(Consumer<PendingEvent> pending);

    /** The control plane, kept beside the events. */
    ControlStore control();

    /** Bytes the store occupies on disk (0 in memory). */
    long sizeBytes();

    /** Syncs what is written and releases the files; appends after this fail. */
    @Override
    void close();

    /**
     * The file store under {@code directory}: an append-only log in 64 MB segments, each deleted once every event in
     * it is finished, and {@code control.log} for the control plane.
     *
     * @param durability   {@code FSYNC} or {@code BATCH}
     * @param syncInterval in {@code BATCH}, the longest a written record waits for a sync
     * @param maxBytes     the data directory's size limit; appends beyond it fail as if the disk were full
     */
    static EventStore open(Path directory, Durability durability, Duration syncInterval, long maxBytes) {
        return new SegmentLog(directory, durability, syncInterval, maxBytes, SegmentLog.SEGMENT_BYTES);
    }
}
