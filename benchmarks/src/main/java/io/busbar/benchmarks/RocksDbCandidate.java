package io.busbar.benchmarks;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Candidate {@code rocksdb}: RocksDB through rocksdbjni, default column family and options (so Snappy-compressed
 * SST files), key = the id as 8 big-endian bytes (so key order is id order); done = delete (a tombstone).
 *
 * <p>Durability: each group is one {@code WriteBatch} written with {@code WriteOptions.setSync(true)}: RocksDB
 * appends it to its write-ahead log and syncs the log ({@code fdatasync}) before {@code write} returns. A group of
 * done-marks only is written with {@code sync=false} (into the WAL, not synced; the next synced write syncs the WAL
 * up to and including it).
 */
final class RocksDbCandidate extends GroupCommitCandidate {
    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final WriteOptions synced;
    private final WriteOptions unsynced;
    private final RocksDB db;

    private RocksDbCandidate(Path dir) throws RocksDBException {
        super("rocksdb");
        options = new Options().setCreateIfMissing(true);
        synced = new WriteOptions().setSync(true);
        unsynced = new WriteOptions();
        db = RocksDB.open(options, dir.toString());
    }

    static RocksDbCandidate open(Path dir) {
        try {
            return new RocksDbCandidate(dir);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb: cannot open " + dir, e);
        }
    }

    private static byte[] key(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    @Override
    void writeGroup(long firstId, List<byte[]> records, long[] done, int doneCount, boolean sync)
            throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < records.size(); i++) {
                batch.put(key(firstId + i), records.get(i));
            }
            for (int i = 0; i < doneCount; i++) {
                batch.delete(key(done[i]));
            }
            db.write(sync ? synced : unsynced, batch);
        }
    }

    @Override
    long recoverRecords(RecordConsumer consumer) {
        long next = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long id = ByteBuffer.wrap(it.key()).getLong();
                consumer.accept(id, it.value());
                next = id + 1;
            }
        }
        return next;
    }

    @Override
    void closeEngine() {
        db.close();
        synced.close();
        unsynced.close();
        options.close();
    }
}
