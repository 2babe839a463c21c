package io.busbar.core.store;

import io.busbar.core.internal.Frames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The control plane in one append-only file, {@code control.log}: a frame per change ({@code put key value} or
 * {@code delete key}), replayed into memory at open. Every change is written and {@code fsync}ed before the call
 * returns. Control-plane changes are rare next to events, so one sync per change is affordable and keeps the code
 * simple; {@link #putAll} shares one sync among many keys.
 *
 * <p>At open, a torn or corrupt tail is cut (and logged), and a file more than twice the size of what it holds is
 * rewritten to a temporary file, synced and moved over the old one atomically, so the log never grows without bound.
 * Thread-safe: writers are serialised; readers see the in-memory copy.
 */
final class FileControlStore implements ControlStore, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileControlStore.class.getName());
    private static final byte PUT = 1;
    private static final byte DELETE = 2;

    private final Path file;
    private final ConcurrentSkipListMap<String, String> entries = new ConcurrentSkipListMap<>();
    private FileChannel channel;

    FileControlStore(Path directory) {
        this.file = directory.resolve("control.log");
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long good = Frames.scan(channel, (offset, payload) -> apply(payload));
            long size = channel.size();
            if (good < size) {
                LOG.log(System.Logger.Level.WARNING, "{0}: cut {1} bytes of a torn or corrupt tail at offset {2}",
                        file, size - good, good);
                channel.truncate(good);
                channel.force(true);
            }
            long live = 0;
            for (Map.Entry<String, String> e : entries.entrySet()) {
                live += Frames.HEADER + 9 + 3L * (e.getKey().length() + e.getValue().length());
            }
            if (good > 2 * live + (1 << 20)) {
                compact();
            }
            channel.position(channel.size());
        } catch (IOException e) {
            throw new StoreException(file + ": cannot open the control-plane log: " + e.getMessage(), e);
        }
    }

    private void apply(ByteBuffer payload) {
        byte type = payload.get();
        String key = Frames.str(payload);
        if (type == PUT) {
            entries.put(key, Frames.str(payload));
        } else {
            entries.remove(key);
        }
    }

    private void compact() throws IOException {
        Path tmp = file.resolveSibling("control.log.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                ByteBuffer b = record(PUT, e.getKey(), e.getValue());
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            out.force(true);
        }
        channel.close();
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static void syncDirectory(Path directory) {
        // Makes a rename or a new file durable; not every platform can open a directory, and there it is moot.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot sync directory " + directory + ": " + e);
        }
    }

    private static ByteBuffer record(byte type, String key, String value) {
        Frames.Writer w = new Frames.Writer(16 + key.length() + (value == null ? 0 : value.length()));
        w.u8(type).str(key);
        if (type == PUT) {
            w.str(value);
        }
        return Frames.frame(w.bytes, w.length);
    }

    @Override
    public void put(String key, String value) {
        putAll(Map.of(key, value));
    }

    @Override
    public void delete(String key) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key, null);
        putAll(m);
    }

    @Override
    public synchronized void putAll(Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        ByteBuffer[] frames = new ByteBuffer[values.size()];
        int i = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            frames[i++] = record(e.getValue() == null ? DELETE : PUT, e.getKey(), e.getValue());
        }
        long before;
        try {
            before = channel.size();
        } catch (IOException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
        try {
            long total = 0;
            for (ByteBuffer f : frames) {
                total += f.remaining();
            }
            long written = 0;
            while (written < total) {
                written += channel.write(frames);
            }
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(before);
                channel.position(before);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new StoreException("The control-plane change was not stored (" + file + "): " + e.getMessage(), e);
        }
        values.forEach((k, v) -> {
            if (v == null) {
                entries.remove(k);
            } else {
                entries.put(k, v);
            }
        });
    }

    @Override
    public SortedMap<String, String> entries(String prefix) {
        return new TreeMap<>(entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false));
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
