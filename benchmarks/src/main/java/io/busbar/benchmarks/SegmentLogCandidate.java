package io.busbar.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Candidate {@code segment-log}: Busbar's own append-only log, as it would be built for the event store.
 *
 * <p>Implementation notes. The log is a directory of segment files {@code <index>.log} of at most
 * {@link #SEGMENT_BYTES}, written by the committer thread only. Each entry is framed as
 * {@code [length u32][crc32c u32][payload]} (big-endian; the CRC covers the payload), the payload being
 * {@code [kind u8][id u64][event bytes]} for an event and {@code [kind u8][id u64]} for a done-mark (17 bytes of
 * framing per event, 17 bytes per done-mark). A group is encoded into one direct buffer and written with one
 * {@code FileChannel.write}; that is what a gathering write of the records' heap arrays would do inside the JDK
 * anyway (it copies each heap buffer into a temporary direct one), minus the per-buffer bookkeeping.
 *
 * <p>Durability: a group with an append is acknowledged only after {@code force(false)} ({@code fdatasync}) of the
 * segment it ends in; a group that crosses into a new segment also forces the full one before moving on, and a new
 * segment's directory entry is synced ({@code force} on the directory) before anything in it is acknowledged.
 * Done-marks are written in order with the events but not forced on their own: the next append group's sync covers
 * them, and a lost done-mark only means a redelivery after a crash.
 *
 * <p>Recovery scans every segment twice through a read-only mapping: the first pass verifies every CRC and collects
 * the done ids in a bit set (ids are dense from 0) and the highest id; the second hands out the events that are not
 * done. A frame that is short, has a zero length or a bad CRC ends that segment (a torn tail: no acknowledged group
 * lies behind it, because a group is acknowledged only after it and everything before it was synced). Appending then
 * continues in a new segment, so a torn tail is never written over. Not built here, since the comparison does not
 * need it: deleting segments whose events are all done (today the log only grows).
 */
final class SegmentLogCandidate extends GroupCommitCandidate {
    static final long SEGMENT_BYTES = 64L << 20;
    private static final int FRAME_HEADER = 8;
    private static final int PAYLOAD_HEADER = 9;
    private static final byte EVENT = 1;
    private static final byte DONE = 2;

    private final Path dir;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private FileChannel segment;
    private long segmentIndex = -1;
    /** Bytes already written to the current segment (the buffer not counted). */
    private long segmentSize;

    private SegmentLogCandidate(Path dir) {
        super("segment-log");
        this.dir = dir;
    }

    static SegmentLogCandidate open(Path dir) {
        return new SegmentLogCandidate(dir);
    }

    @Override
    void writeGroup(long firstId, List<byte[]> records, long[] done, int doneCount, boolean sync) throws IOException {
        for (int i = 0; i < records.size(); i++) {
            frame(EVENT, firstId + i, records.get(i));
        }
        for (int i = 0; i < doneCount; i++) {
            frame(DONE, done[i], null);
        }
        writeBuffer();
        if (sync) {
            segment.force(false);
        }
    }

    private void frame(byte kind, long id, byte[] event) throws IOException {
        int payload = PAYLOAD_HEADER + (event == null ? 0 : event.length);
        int size = FRAME_HEADER + payload;
        if (segmentSize + buffer.position() + size > SEGMENT_BYTES) {
            writeBuffer();
            startSegment(segmentIndex + 1);
        }
        if (buffer.remaining() < size) {
            writeBuffer();
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(size) << 1);
            }
        }
        int start = buffer.position();
        buffer.putInt(payload).putInt(0).put(kind).putLong(id);
        if (event != null) {
            buffer.put(event);
        }
        crc.reset();
        crc.update(buffer.duplicate().position(start + FRAME_HEADER).limit(buffer.position()));
        buffer.putInt(start + 4, (int) crc.getValue());
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            segmentSize += segment.write(buffer);
        }
        buffer.clear();
    }

    /** Closes the current segment durably and starts {@code index}, its directory entry synced. */
    private void startSegment(long index) throws IOException {
        if (segment != null) {
            segment.force(false);
            segment.close();
        }
        segment = FileChannel.open(segmentPath(index), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentIndex = index;
        segmentSize = 0;
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private Path segmentPath(long index) {
        return dir.resolve(String.format(Locale.ROOT, "%020d.log", index));
    }

    @Override
    long recoverRecords(RecordConsumer consumer) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        List<MappedByteBuffer> maps = new ArrayList<>(segments.size());
        for (Path p : segments) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                maps.add(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            }
        }
        BitSet done = new BitSet();
        long maxId = -1;
        int[] ends = new int[maps.size()];
        for (int s = 0; s < maps.size(); s++) {
            MappedByteBuffer m = maps.get(s);
            int pos = 0;
            while (pos + FRAME_HEADER + PAYLOAD_HEADER <= m.limit()) {
                int length = m.getInt(pos);
                if (length < PAYLOAD_HEADER || length > m.limit() - pos - FRAME_HEADER) {
                    break;
                }
                crc.reset();
                crc.update(m.duplicate().position(pos + FRAME_HEADER).limit(pos + FRAME_HEADER + length));
                if ((int) crc.getValue() != m.getInt(pos + 4)) {
                    break;
                }
                long id = m.getLong(pos + FRAME_HEADER + 1);
                if (m.get(pos + FRAME_HEADER) == DONE) {
                    done.set(Math.toIntExact(id));
                }
                maxId = Math.max(maxId, id);
                pos += FRAME_HEADER + length;
            }
            ends[s] = pos;
        }
        for (int s = 0; s < maps.size(); s++) {
            MappedByteBuffer m = maps.get(s);
            for (int pos = 0; pos < ends[s]; ) {
                int length = m.getInt(pos);
                long id = m.getLong(pos + FRAME_HEADER + 1);
                if (m.get(pos + FRAME_HEADER) == EVENT && !done.get((int) id)) {
                    byte[] event = new byte[length - PAYLOAD_HEADER];
                    m.get(pos + FRAME_HEADER + PAYLOAD_HEADER, event);
                    consumer.accept(id, event);
                }
                pos += FRAME_HEADER + length;
            }
        }
        long last = segments.isEmpty() ? -1
                : Long.parseLong(segments.get(segments.size() - 1).getFileName().toString().replace(".log", ""));
        startSegment(last + 1);
        return maxId + 1;
    }

    @Override
    void closeEngine() throws IOException {
        if (segment != null) {
            segment.force(false);
            segment.close();
        }
    }
}
