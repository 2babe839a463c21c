package io.busbar.core;

import io.busbar.core.internal.Frames;
import io.busbar.core.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * An archive in append-only segment files {@code segment-<n>.log} in its own directory.
 *
 * <p>Implementation notes: a record is a {@link Frames} frame (length and CRC-32C, as the event store's) around
 * {@code [long event time, epoch ms][event JSON, UTF-8]}. Each record is handed to the operating system
 * with one positional write as it is archived (so a process crash loses nothing), but not {@code fsync}ed per
 * event: {@link #flush()} syncs, which the owner does periodically and at close, so a machine crash can lose the
 * events archived since the last sync. Opening scans every segment: at the first record that is cut short (a torn
 * write) or fails its checksum, the segment is truncated there and a warning says what was cut. A segment rolls
 * over at {@link #SEGMENT_BYTES}; once retention has expired every event of a segment that is not the one being
 * written, its file is deleted, so disk use follows retention at segment granularity. Not thread-safe on its own:
 * {@link ArchiveLog} holds its lock around every call.
 */
final class FileArchiveLog extends ArchiveLog {
    static final long SEGMENT_BYTES = 64L << 20;
    private static final int HEADER = Frames.HEADER;
    /** Larger than any event (1 MiB at most); a larger length can only be corruption. */
    private static final System.Logger LOG = System.getLogger(FileArchiveLog.class.getName());

    private static final class Segment {
        final long id;
        final Path path;
        final FileChannel channel;
        long length;
        int live;

        Segment(long id, Path path, FileChannel channel) {
            this.id = id;
            this.path = path;
            this.channel = channel;
        }
    }

    private static final class FileRef extends Ref {
        final Segment segment;
        final long offset;
        final int length;

        FileRef(long timeMillis, Segment segment, long offset, int length) {
            super(timeMillis, length - 8);
            this.segment = segment;
            this.offset = offset;
            this.length = length;
        }
    }

    private final Path directory;
    private final String archiveName;
    private final long segmentBytes;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment active;
    private boolean dirty;

    private FileArchiveLog(Path directory, String archiveName, long segmentBytes) {
        this.directory = directory;
        this.archiveName = archiveName;
        this.segmentBytes = segmentBytes;
    }

    static FileArchiveLog open(Path directory, String archiveName, Instant expiredBefore, long segmentBytes) {
        FileArchiveLog log = new FileArchiveLog(directory, archiveName, segmentBytes);
        try {
            Files.createDirectories(directory);
            TreeMap<Long, Path> files = new TreeMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "segment-*.log")) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    try {
                        files.put(Long.parseLong(n.substring("segment-".length(), n.length() - ".log".length())), p);
                    } catch (NumberFormatException e) {
                        LOG.log(System.Logger.Level.WARNING, "Archive {0}: ignoring {1} (not a segment name)",
                                archiveName, p);
                    }
                }
            }
            long cutoff = expiredBefore == null ? Long.MIN_VALUE : expiredBefore.toEpochMilli();
            for (Map.Entry<Long, Path> f : files.entrySet()) {
                Segment s = log.openSegment(f.getKey(), f.getValue());
                log.recover(s, cutoff);
            }
            if (log.segments.isEmpty()) {
                log.active = log.openSegment(1, log.segmentPath(1));
            } else {
                log.active = log.segments.lastEntry().getValue();
            }
            log.deleteEmptySegments();
        } catch (IOException e) {
            log.release();
            throw new StoreException("Archive " + archiveName + ": cannot open " + directory + ": " + e.getMessage(), e);
        }
        return log;
    }

    private Path segmentPath(long id) {
        return directory.resolve(String.format("segment-%020d.log", id));
    }

    private Segment openSegment(long id, Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Segment s = new Segment(id, path, ch);
        s.length = ch.size();
        segments.put(id, s);
        return s;
    }

    /** Indexes a segment's records, cutting it at the first torn or corrupt one. */
    private void recover(Segment s, long cutoff) throws IOException {
        long size = s.channel.size();
        long good = Frames.scan(s.channel, (offset, payload) -> {
            int length = payload.remaining();
            long time = payload.getLong();
            if (time >= cutoff) {
                recovered(new FileRef(time, s, offset, length));
                s.live++;
            }
        });
        if (good < size) {
            LOG.log(System.Logger.Level.WARNING, "Archive {0}: cut {1} bytes of a torn or corrupt tail at offset {2}"
                    + " of {3}", archiveName, size - good, good, s.path);
            s.channel.truncate(good);
            s.channel.force(true);
        }
        s.length = good;
    }

    @Override
    Ref store(long timeMillis, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        int length = 8 + body.length;
        if (active.length > 0 && active.length + HEADER + length > segmentBytes) {
            roll();
        }
        Frames.Writer w = new Frames.Writer(HEADER + length);
        int start = w.beginFrame();
        w.i64(timeMillis).raw(body);
        w.endFrame(start);
        ByteBuffer buf = ByteBuffer.wrap(w.bytes, 0, w.length);
        long offset = active.length;
        try {
            while (buf.hasRemaining()) {
                active.channel.write(buf, offset + buf.position());
            }
        } catch (IOException e) {
            // The length is not advanced, so the next record overwrites whatever part of this one was written.
            throw new StoreException("Archive " + archiveName + ": cannot write " + active.path + ": "
                    + e.getMessage(), e);
        }
        active.length += buf.limit();
        active.live++;
        dirty = true;
        return new FileRef(timeMillis, active, offset, length);
    }

    private void roll() {
        try {
            active.channel.force(false);
            dirty = false;
            long id = active.id + 1;
            active = openSegment(id, segmentPath(id));
        } catch (IOException e) {
            throw new StoreException("Archive " + archiveName + ": cannot start a new segment in " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    String load(Ref ref) {
        FileRef f = (FileRef) ref;
        ByteBuffer buf = ByteBuffer.allocate(HEADER + f.length);
        try {
            while (buf.hasRemaining()) {
                if (f.segment.channel.read(buf, f.offset + buf.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Archive {0}: cannot read {1} at offset {2}: {3}", archiveName,
                    f.segment.path, f.offset, e.getMessage());
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), HEADER, f.length);
        buf.order(ByteOrder.LITTLE_ENDIAN);
        if (buf.hasRemaining() || buf.getInt(0) != f.length || buf.getInt(4) != (int) crc.getValue()) {
            LOG.log(System.Logger.Level.WARNING, "Archive {0}: the record at offset {1} of {2} is damaged; skipped",
                    archiveName, f.offset, f.segment.path);
            return null;
        }
        return new String(buf.array(), HEADER + 8, f.length - 8, StandardCharsets.UTF_8);
    }

    @Override
    void dropped(List<Ref> gone) {
        for (Ref r : gone) {
            ((FileRef) r).segment.live--;
        }
        deleteEmptySegments();
    }

    /** Deletes the files of segments (but the one being written) that hold no live event. */
    private void deleteEmptySegments() {
        for (Iterator<Segment> it = segments.values().iterator(); it.hasNext(); ) {
            Segment s = it.next();
            if (s != active && s.live == 0) {
                try {
                    s.channel.close();
                    Files.deleteIfExists(s.path);
                    it.remove();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "Archive {0}: cannot delete expired segment {1}: {2}",
                            archiveName, s.path, e.getMessage());
                }
            }
        }
    }

    @Override
    void flush() {
        if (dirty) {
            try {
                active.channel.force(false);
                dirty = false;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Archive {0}: cannot sync {1}: {2}", archiveName, active.path,
                        e.getMessage());
            }
        }
    }

    @Override
    void release() {
        if (active != null) {
            flush();
        }
        for (Segment s : segments.values()) {
            try {
                s.channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Archive {0}: cannot close {1}: {2}", archiveName, s.path,
                        e.getMessage());
            }
        }
    }

    @Override
    void erase() {
        segments.clear();
        try {
            deleteDirectory(directory);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Archive {0}: cannot delete {1}: {2}", archiveName, directory,
                    e.getMessage());
        }
    }

    /** Deletes a directory and everything in it (a deleted archive's, or what a former archive of the name left). */
    static void deleteDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
