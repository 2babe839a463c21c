package io.busbar.core;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events of one archive: stored in memory ({@link MemoryArchiveLog}) or in append-only files
 * ({@link FileArchiveLog}), with an index in memory of every live event's event time and size.
 *
 * <p>Implementation notes: the index is a list in archive order, so EventCount and SizeBytes are kept as running
 * totals, a replay window is a scan plus a stable sort by event time (events with the same time keep their archive
 * order), and retention is a scan that drops every event whose time is before the cutoff (O(n), run once an hour).
 * A dropped {@link Ref} is marked expired, so a replay that selected it before it expired skips it. Every method
 * holds the log's lock; appends of different archives never contend. Thread-safe.
 */
abstract class ArchiveLog implements AutoCloseable {
    /** One archived event: its event time, its size and (in the subclass) where its JSON is. */
    abstract static class Ref {
        final long timeMillis;
        final int bytes;
        /** Guarded by the log's lock. */
        boolean expired;

        Ref(long timeMillis, int bytes) {
            this.timeMillis = timeMillis;
            this.bytes = bytes;
        }

        Instant time() {
            return Instant.ofEpochMilli(timeMillis);
        }
    }

    private final List<Ref> refs = new ArrayList<>();
    private long bytes;
    private boolean closed;

    static ArchiveLog inMemory() {
        return new MemoryArchiveLog();
    }

    /**
     * Opens (or creates) the log in {@code directory}, cutting a torn or corrupt tail, and leaving out events
     * whose time is before {@code expiredBefore} (they expired before the last process stopped).
     *
     * @throws io.busbar.core.store.StoreException when the directory cannot be read or written
     */
    static ArchiveLog open(Path directory, String archiveName, Instant expiredBefore) {
        return FileArchiveLog.open(directory, archiveName, expiredBefore, FileArchiveLog.SEGMENT_BYTES);
    }

    /**
     * Archives an event; nothing happens once the log is closed.
     *
     * @throws io.busbar.core.store.StoreException when it cannot be stored (nothing was added)
     */
    final synchronized void append(Instant eventTime, String json) {
        if (closed) {
            return;
        }
        Ref r = store(eventTime.toEpochMilli(), json);
        refs.add(r);
        bytes += r.bytes;
    }

    final synchronized long eventCount() {
        return refs.size();
    }

    final synchronized long sizeBytes() {
        return bytes;
    }

    /** The live events whose time is in {@code [from, to)}, in event-time order (ties in archive order). */
    final synchronized List<Ref> window(Instant from, Instant to) {
        long a = from.toEpochMilli();
        long b = to.toEpochMilli();
        List<Ref> out = new ArrayList<>();
        for (Ref r : refs) {
            if (r.timeMillis >= a && r.timeMillis < b) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingLong(r -> r.timeMillis));
        return out;
    }

    /** The JSON of an event of {@link #window}, or {@code null} when it expired since or the log is closed. */
    final synchronized String read(Ref ref) {
        if (closed || ref.expired) {
            return null;
        }
        return load(ref);
    }

    /** Drops the events whose time is before {@code cutoff}; returns how many. */
    final synchronized int expireBefore(Instant cutoff) {
        long c = cutoff.toEpochMilli();
        List<Ref> gone = new ArrayList<>();
        refs.removeIf(r -> {
            if (r.timeMillis < c) {
                r.expired = true;
                gone.add(r);
                return true;
            }
            return false;
        });
        for (Ref r : gone) {
            bytes -= r.bytes;
        }
        if (!gone.isEmpty() && !closed) {
            dropped(gone);
        }
        return gone.size();
    }

    /** Makes what was appended durable (a no-op in memory). */
    final synchronized void sync() {
        if (!closed) {
            flush();
        }
    }

    /** Syncs and releases the files; later appends are ignored and reads answer null. */
    @Override
    public final synchronized void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Closes the log and removes what it stored. */
    final synchronized void delete() {
        close();
        refs.clear();
        bytes = 0;
        erase();
    }

    /** Adds an event found when the log was opened. Only for the subclass's constructor. */
    final void recovered(Ref r) {
        refs.add(r);
        bytes += r.bytes;
    }

    /** Stores one event; called with the lock held. */
    abstract Ref store(long timeMillis, String json);

    /** Reads one stored event, or null when it cannot be read; called with the lock held. */
    abstract String load(Ref ref);

    /** Told of expired events, to free their storage; called with the lock held. */
    void dropped(List<Ref> gone) {
    }

    void flush() {
    }

    void release() {
    }

    void erase() {
    }
}
