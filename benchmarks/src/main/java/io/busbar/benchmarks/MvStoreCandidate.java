package io.busbar.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Candidate {@code mvstore}: H2's MVStore, one map {@code id -> event bytes}; done = remove.
 *
 * <p>Durability: the store is opened with {@code autoCommitDisabled()}, so it has no background writer and
 * {@code commit()} writes the group's chunk to the file on the calling (committer) thread; {@code commit()} never
 * syncs (in H2 2.5 only {@code FileStore.sync()} calls {@code FileChannel.force}), so a group with an append is
 * followed by {@code sync()} ({@code force(true)}) before it is acknowledged. A group of done-marks only is committed
 * without the sync. With the background writer off, MVStore also does no background compaction: dead chunks are
 * reclaimed only as its commits find them unused, and the file is compacted on close.
 */
final class MvStoreCandidate extends GroupCommitCandidate {
    private final MVStore store;
    private final MVMap<Long, byte[]> events;

    private MvStoreCandidate(Path dir) {
        super("mvstore");
        store = new MVStore.Builder().fileName(dir.resolve("events.mv.db").toString()).autoCommitDisabled().open();
        events = store.openMap("events");
    }

    static MvStoreCandidate open(Path dir) {
        return new MvStoreCandidate(dir);
    }

    @Override
    void writeGroup(long firstId, List<byte[]> records, long[] done, int doneCount, boolean sync) {
        for (int i = 0; i < records.size(); i++) {
            events.put(firstId + i, records.get(i));
        }
        for (int i = 0; i < doneCount; i++) {
            events.remove(done[i]);
        }
        store.commit();
        if (sync) {
            store.sync();
        }
    }

    @Override
    long recoverRecords(RecordConsumer consumer) {
        for (Map.Entry<Long, byte[]> e : events.entrySet()) {
            consumer.accept(e.getKey(), e.getValue());
        }
        Long last = events.lastKey();
        return last == null ? 0 : last + 1;
    }

    @Override
    void closeEngine() {
        store.close();
    }
}
