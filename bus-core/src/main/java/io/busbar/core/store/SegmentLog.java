package io.busbar.core.store;

import io.busbar.core.internal.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The file event store: an append-only log of framed records ({@link Frames}) in numbered segments under
 * {@code <dir>/events/}, and the control plane in {@code <dir>/control.log}.
 *
 * <p>Implementation notes. Three record kinds: {@code ACCEPT} (an event and its routes), {@code DONE} (a route
 * finished) and {@code RETRY} (a route's next attempt number). An event's position is its segment number (high 24
 * bits) and the offset of its frame (low 40 bits). One writer thread owns the active segment: it takes every write
 * queued since its last pass, writes them with one system call, and then, in {@code FSYNC} durability, calls
 * {@code force} once for all of them before completing their futures: group commit, so N concurrent requests cost
 * one sync. In {@code BATCH} it completes the futures once written and syncs at least every sync interval.
 * Each segment counts the routes still owed by the events it holds; when that count reaches zero and the segment is
 * no longer active, its file is deleted. DONE and RETRY records ride along unsynced: losing one only repeats a
 * delivery (or restarts its attempt count lower), which at-least-once allows. A marks-only segment deleted before
 * the segment it marks also means a repeat after a crash, never a loss.
 *
 * <p>A write that fails (a full disk) is cut back off the file, so no half record is left for later records to
 * hide behind, and fails its futures; the size limit refuses appends before they are queued. At open, each
 * segment is scanned; a torn or corrupt tail is cut and logged; the events still owed are kept for
 * {@link #recover}; segments owing nothing are deleted; new records go to a new segment.
 */
final class SegmentLog implements EventStore {
    static final long SEGMENT_BYTES = 64L << 20;
    private static final System.Logger LOG = System.getLogger(SegmentLog.class.getName());
    private static final byte ACCEPT = 1;
    private static final byte DONE = 2;
    private static final byte RETRY = 3;
    private static final int OFFSET_BITS = 40;

    /** One segment file and the routes its events still owe. */
    private static final class Segment {
        final int id;
        final Path path;
        final AtomicLong owed = new AtomicLong();
        final AtomicBoolean deleted = new AtomicBoolean();
        volatile boolean active;
        volatile long bytes;

        Segment(int id, Path path) {
            this.id = id;
            this.path = path;
        }
    }

    /** Frames queued for the writer: an append (with a future) or delivery marks (without). */
    private static final class Write {
        final byte[] bytes;
        final int length;
        final int[] frameOffsets;
        final int[] routes;
        final CompletableFuture<long[]> future;

        Write(byte[] bytes, int length, int[] frameOffsets, int[] routes, CompletableFuture<long[]> future) {
            this.bytes = bytes;
            this.length = length;
            this.frameOffsets = frameOffsets;
            this.routes = routes;
            this.future = future;
        }
    }

    private static final Write STOP = new Write(new byte[0], 0, null, null, null);

    private final Path directory;
    private final Path eventsDir;
    private final Durability durability;
    private final long syncIntervalNanos;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileControlStore control;
    private final ConcurrentHashMap<Integer, Segment> segments = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final TreeMap<Long, PendingState> recovered = new TreeMap<>();
    private volatile boolean closed;
    private boolean recoveredHandedOut;

    // Owned by the writer thread.
    private Segment active;
    private FileChannel channel;
    private long position;
    private boolean dirty;
    private long lastSync = System.nanoTime();
    private ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);

    /** An event read back at open with its routes' state. */
    private record PendingState(AcceptedEvent event, int[] attempts, Segment segment) {
    }

    /** Opens a new segment file for writing; tests substitute a channel that fails like a full disk. */
    interface SegmentOpener {
        FileChannel open(Path path) throws IOException;
    }

    private final SegmentOpener opener;

    SegmentLog(Path directory, Durability durability, Duration syncInterval, long maxBytes, long segmentBytes) {
        this(directory, durability, syncInterval, maxBytes, segmentBytes,
                p -> FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    SegmentLog(Path directory, Durability durability, Duration syncInterval, long maxBytes, long segmentBytes,
               SegmentOpener opener) {
        this.opener = opener;
        if (durability == Durability.MEMORY) {
            throw new IllegalArgumentException("durability: MEMORY (expected: FSYNC or BATCH for a file store)");
        }
        this.directory = directory;
        this.eventsDir = directory.resolve("events");
        this.durability = durability;
        this.syncIntervalNanos = syncInterval.toNanos();
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(eventsDir);
        } catch (IOException e) {
            throw new StoreException(eventsDir + ": cannot create the data directory: " + e.getMessage(), e);
        }
        this.control = new FileControlStore(directory);
        int last = readSegments();
        try {
            openSegment(last + 1);
        } catch (IOException e) {
            throw new StoreException(eventsDir + ": cannot create a segment: " + e.getMessage(), e);
        }
        this.writer = new Thread(this::writeLoop, "busbar-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static Path segmentPath(Path dir, int id) {
        return dir.resolve(String.format("%010d.seg", id));
    }

    /** Reads every segment, cutting torn tails; returns the highest segment number (0 when none). */
    private int readSegments() {
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(eventsDir, "*.seg")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                try {
                    ids.add(Integer.parseInt(n.substring(0, n.length() - 4)));
                } catch (NumberFormatException e) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: ignoring a file that is not a segment", p);
                }
            }
        } catch (IOException e) {
            throw new StoreException(eventsDir + ": cannot list segments: " + e.getMessage(), e);
        }
        ids.sort(null);
        for (int id : ids) {
            Segment seg = new Segment(id, segmentPath(eventsDir, id));
            try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long good = Frames.scan(ch, (offset, payload) -> readRecord(seg, offset, payload));
                long size = ch.size();
                if (good < size) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: cut {1} bytes of a torn or corrupt tail at offset {2}",
                            seg.path, size - good, good);
                    ch.truncate(good);
                    ch.force(true);
                }
                seg.bytes = good;
            } catch (IOException e) {
                throw new StoreException(seg.path + ": cannot read segment: " + e.getMessage(), e);
            }
            segments.put(id, seg);
            totalBytes.addAndGet(seg.bytes);
        }
        for (PendingState st : recovered.values()) {
            for (int a : st.attempts()) {
                if (a != 0) {
                    st.segment().owed.incrementAndGet();
                }
            }
        }
        recovered.values().removeIf(st -> st.segment().owed.get() == 0
                || java.util.Arrays.stream(st.attempts()).allMatch(a -> a == 0));
        for (Segment seg : List.copyOf(segments.values())) {
            if (seg.owed.get() == 0) {
                delete(seg);
            }
        }
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    private void readRecord(Segment seg, long offset, ByteBuffer b) {
        byte type = b.get();
        switch (type) {
            case ACCEPT -> {
                AcceptedEvent e = decode(b);
                int[] attempts = new int[e.routes().size()];
                java.util.Arrays.fill(attempts, 1);
                recovered.put(position(seg.id, offset), new PendingState(e, attempts, seg));
            }
            case DONE, RETRY -> {
                long pos = b.getLong();
                int route = b.getInt();
                int next = type == RETRY ? b.getInt() : 0;
                PendingState st = recovered.get(pos);
                if (st != null && route >= 0 && route < st.attempts().length && st.attempts()[route] != 0) {
                    st.attempts()[route] = next;
                }
            }
            default -> LOG.log(System.Logger.Level.WARNING, "{0}: skipping a record of unknown type {1} at {2}",
                    seg.path, type, offset);
        }
    }

    private static long position(int segment, long offset) {
        return ((long) segment << OFFSET_BITS) | offset;
    }

    private static void encode(Frames.Writer w, AcceptedEvent e) {
        w.u8(ACCEPT).i64(e.ingestion().getEpochSecond()).i32(e.ingestion().getNano()).str(e.busName())
                .str(e.eventId()).str(e.traceHeader()).str(e.eventJson()).i32(e.routes().size());
        for (AcceptedEvent.Route r : e.routes()) {
            w.str(r.ruleName()).str(r.targetId());
        }
    }

    private static AcceptedEvent decode(ByteBuffer b) {
        Instant ingestion = Instant.ofEpochSecond(b.getLong(), b.getInt());
        String bus = Frames.str(b);
        String id = Frames.str(b);
        String trace = Frames.str(b);
        String json = Frames.str(b);
        int n = b.getInt();
        List<AcceptedEvent.Route> routes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            routes.add(new AcceptedEvent.Route(Frames.str(b), Frames.str(b)));
        }
        return new AcceptedEvent(bus, id, ingestion, trace, json, routes);
    }

    // ------------------------------------------------------------------ API

    @Override
    public CompletableFuture<long[]> append(List<AcceptedEvent> events) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException("The event store is closed."));
        }
        int estimate = 64;
        for (AcceptedEvent e : events) {
            estimate += 96 + e.eventJson().length() + e.busName().length() + 40 * e.routes().size();
        }
        Frames.Writer w = new Frames.Writer(estimate);
        int[] offsets = new int[events.size()];
        int[] routes = new int[events.size()];
        for (int i = 0; i < offsets.length; i++) {
            AcceptedEvent e = events.get(i);
            offsets[i] = w.beginFrame();
            encode(w, e);
            w.endFrame(offsets[i]);
            routes[i] = e.routes().size();
        }
        long used = totalBytes.get();
        if (used + w.length > maxBytes) {
            return CompletableFuture.failedFuture(new StoreException("Events not stored: the data directory "
                    + directory + " reached its size limit (" + used + " of " + maxBytes + " bytes used)."));
        }
        CompletableFuture<long[]> f = new CompletableFuture<>();
        synchronized (queue) {
            // Checked again under the lock close() takes, so no append is queued behind STOP and left waiting.
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("The event store is closed."));
            }
            queue.add(new Write(w.bytes, w.length, offsets, routes, f));
        }
        return f;
    }

    @Override
    public void finished(long position, int route) {
        mark(DONE, position, route, 0);
        Segment seg = segments.get((int) (position >>> OFFSET_BITS));
        if (seg != null && seg.owed.decrementAndGet() == 0 && !seg.active) {
            delete(seg);
        }
    }

    @Override
    public void retrying(long position, int route, int nextAttempt) {
        mark(RETRY, position, route, nextAttempt);
    }

    private void mark(byte type, long position, int route, int next) {
        if (closed) {
            return;
        }
        Frames.Writer w = new Frames.Writer(32);
        int start = w.beginFrame();
        w.u8(type).i64(position).i32(route);
        if (type == RETRY) {
            w.i32(next);
        }
        w.endFrame(start);
        queue.add(new Write(w.bytes, w.length, null, null, null));
    }

    @Override
    public synchronized void recover(Consumer<PendingEvent> pending) {
        if (recoveredHandedOut) {
            throw new IllegalStateException("recover: already called");
        }
        recoveredHandedOut = true;
        for (Map.Entry<Long, PendingState> e : recovered.entrySet()) {
            pending.accept(new PendingEvent(e.getKey(), e.getValue().event(), e.getValue().attempts()));
        }
        recovered.clear();
    }

    @Override
    public ControlStore control() {
        return control;
    }

    @Override
    public long sizeBytes() {
        return totalBytes.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (queue) {
            closed = true;
            queue.add(STOP);
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        control.close();
    }

    // ------------------------------------------------------------------ the writer

    private void delete(Segment seg) {
        if (!seg.deleted.compareAndSet(false, true)) {
            return;
        }
        segments.remove(seg.id);
        totalBytes.addAndGet(-seg.bytes);
        try {
            Files.deleteIfExists(seg.path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot delete a finished segment: {1}", seg.path,
                    e.getMessage());
        }
    }

    private void openSegment(int id) throws IOException {
        Segment seg = new Segment(id, segmentPath(eventsDir, id));
        seg.active = true;
        FileChannel ch = opener.open(seg.path);
        FileControlStore.syncDirectory(eventsDir);
        Segment previous = active;
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
        segments.put(id, seg);
        active = seg;
        channel = ch;
        position = 0;
        if (previous != null) {
            previous.active = false;
            if (previous.owed.get() == 0) {
                delete(previous);
            }
        }
    }

    private void writeLoop() {
        List<Write> group = new ArrayList<>();
        while (true) {
            Write first;
            try {
                first = dirty && durability == Durability.BATCH
                        ? queue.poll(Math.max(0, syncIntervalNanos - (System.nanoTime() - lastSync)),
                        TimeUnit.NANOSECONDS)
                        : queue.take();
            } catch (InterruptedException e) {
                first = STOP;
            }
            if (first == null) {
                sync();
                continue;
            }
            group.add(first);
            queue.drainTo(group, 8192);
            boolean stop = group.remove(STOP);
            write(group);
            group.clear();
            if (stop) {
                sync();
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "closing " + active.path + ": " + e.getMessage());
                }
                // Appends that raced with close: fail rather than leave their callers waiting.
                for (Write w; (w = queue.poll()) != null; ) {
                    if (w.future != null) {
                        w.future.completeExceptionally(new StoreException("The event store is closed."));
                    }
                }
                return;
            }
        }
    }

    private void sync() {
        if (!dirty) {
            return;
        }
        try {
            channel.force(false);
            dirty = false;
            lastSync = System.nanoTime();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "{0}: sync failed: {1}", active.path, e.getMessage());
        }
    }

    private void write(List<Write> group) {
        if (group.isEmpty()) {
            return;
        }
        try {
            if (position >= segmentBytes) {
                openSegment(active.id + 1);
            }
        } catch (IOException e) {
            fail(group, e);
            return;
        }
        long total = 0;
        boolean appends = false;
        for (Write w : group) {
            total += w.length;
            appends |= w.future != null;
        }
        if (out.capacity() < total) {
            out = ByteBuffer.allocateDirect((int) Math.max(total, out.capacity() * 2L));
        }
        out.clear();
        for (Write w : group) {
            out.put(w.bytes, 0, w.length);
        }
        out.flip();
        long before = position;
        try {
            while (out.hasRemaining()) {
                channel.write(out, position + out.position());
            }
            if (appends && durability == Durability.FSYNC) {
                channel.force(false);
                dirty = false;
                lastSync = System.nanoTime();
            } else {
                dirty = true;
                if (System.nanoTime() - lastSync >= syncIntervalNanos) {
                    sync();
                }
            }
        } catch (IOException e) {
            try {
                channel.truncate(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            fail(group, e);
            return;
        }
        position += total;
        active.bytes = position;
        totalBytes.addAndGet(total);
        long offset = before;
        for (Write w : group) {
            if (w.future != null) {
                long[] positions = new long[w.frameOffsets.length];
                long owed = 0;
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = position(active.id, offset + w.frameOffsets[i]);
                    owed += w.routes[i];
                }
                active.owed.addAndGet(owed);
                w.future.complete(positions);
            }
            offset += w.length;
        }
    }

    private void fail(List<Write> group, IOException e) {
        String why = e.getMessage() != null && e.getMessage().contains("No space left")
                ? "the disk of the data directory " + directory + " is full"
                : "writing to " + active.path + " failed: " + e.getMessage();
        LOG.log(System.Logger.Level.ERROR, "Events not stored: " + why);
        for (Write w : group) {
            if (w.future != null) {
                w.future.completeExceptionally(new StoreException("Events not stored: " + why + ".", e));
            }
        }
    }
}
