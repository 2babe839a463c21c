package io.busbar.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The group commit every {@link StoreCandidate} shares, so the engines differ only in how they write a group.
 *
 * <p>Implementation notes: producers put operations on one unbounded queue; a single committer thread takes the
 * first waiting operation, drains everything queued behind it (at most {@link #MAX_GROUP_OPS}), hands the whole group
 * to {@link #writeGroup} (appends and done-marks together, ids assigned consecutively in queue order), and then
 * completes the futures of the group's appends. A group with at least one append is written with
 * {@code sync = true}: {@code writeGroup} must not return before it is durable; a group of done-marks only is written
 * without a sync. So under load each sync covers every batch that arrived while the previous one was running, and a
 * lone producer pays one sync per batch. The engine is only ever touched by one thread at a time (the caller of
 * {@link #recover}, then the committer), which is what the single-writer engines (SQLite, MVStore without its own
 * background writer) need and what the others do not mind.
 */
abstract class GroupCommitCandidate implements StoreCandidate {
    /** The most operations written as one group (keeps one group's buffers bounded). */
    static final int MAX_GROUP_OPS = 4096;

    private static final Object CLOSE = new Object();

    private record Append(List<byte[]> records, CompletableFuture<long[]> acked) {
    }

    private record Done(long id) {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean started;
    private volatile boolean closed;
    /** Next id to hand out; the committer thread's after {@link #recover}. */
    private long nextId;
    /** The first write failure; every later group fails with it. */
    private Exception failure;

    GroupCommitCandidate(String name) {
        committer = new Thread(this::commitLoop, name + "-committer");
        committer.setDaemon(true);
    }

    /**
     * Writes one group: {@code records.get(i)} gets id {@code firstId + i}; {@code done[0 .. doneCount)} are ids to
     * mark done. With {@code sync}, returns only once all of it is on disk and synced.
     */
    abstract void writeGroup(long firstId, List<byte[]> records, long[] done, int doneCount, boolean sync)
            throws Exception;

    /** Reads every record not marked done, in id order; returns the next free id (above every id seen). */
    abstract long recoverRecords(RecordConsumer consumer) throws Exception;

    /** Closes the engine; the committer has stopped. */
    abstract void closeEngine() throws Exception;

    @Override
    public final long recover(RecordConsumer consumer) {
        if (started) {
            throw new IllegalStateException("recover: already recovered (expected: once, before the first append)");
        }
        long[] count = {0};
        try {
            nextId = recoverRecords((id, record) -> {
                count[0]++;
                consumer.accept(id, record);
            });
        } catch (Exception e) {
            throw new IllegalStateException("recover failed", e);
        }
        started = true;
        committer.start();
        return count[0];
    }

    @Override
    public final CompletableFuture<long[]> appendDurably(List<byte[]> records) {
        checkOpen();
        if (records.isEmpty()) {
            throw new IllegalArgumentException("records: empty (expected: at least one record)");
        }
        CompletableFuture<long[]> acked = new CompletableFuture<>();
        queue.add(new Append(records, acked));
        return acked;
    }

    @Override
    public final void markDone(long id) {
        checkOpen();
        queue.add(new Done(id));
    }

    private void checkOpen() {
        if (!started || closed) {
            throw new IllegalStateException("store is " + (closed ? "closed" : "not recovered yet"));
        }
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (started) {
                queue.add(CLOSE);
                committer.join();
            }
            closeEngine();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing", e);
        } catch (Exception e) {
            throw new IllegalStateException("close failed", e);
        }
    }

    private void commitLoop() {
        List<Object> ops = new ArrayList<>(MAX_GROUP_OPS);
        List<byte[]> records = new ArrayList<>();
        List<Append> appends = new ArrayList<>();
        long[] done = new long[MAX_GROUP_OPS];
        boolean closing = false;
        while (!closing) {
            try {
                ops.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(ops, MAX_GROUP_OPS - 1);
            int doneCount = 0;
            for (Object op : ops) {
                if (op instanceof Append a) {
                    appends.add(a);
                    records.addAll(a.records());
                } else if (op instanceof Done d) {
                    done[doneCount++] = d.id();
                } else {
                    closing = true; // CLOSE is queued last: nothing follows it
                }
            }
            long first = nextId;
            try {
                if (failure == null && (!records.isEmpty() || doneCount > 0)) {
                    writeGroup(first, records, done, doneCount, !appends.isEmpty());
                }
            } catch (Exception e) {
                failure = e;
            }
            if (failure == null) {
                nextId += records.size();
                long id = first;
                for (Append a : appends) {
                    long[] ids = new long[a.records().size()];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = id++;
                    }
                    a.acked().complete(ids);
                }
            } else {
                for (Append a : appends) {
                    a.acked().completeExceptionally(failure);
                }
            }
            ops.clear();
            records.clear();
            appends.clear();
        }
    }
}
