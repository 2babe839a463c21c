package io.busbar.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up in the middle of a write: the half-written batch is cut off again, its appends fail with a
 * message saying the disk is full, what was acknowledged before stays, and appends work again once there is room.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FullDiskTest {
    @TempDir
    Path dir;

    /** A real file channel whose writes, while {@code full}, write part of the buffer and then fail as ENOSPC does. */
    static final class FillingChannel extends FileChannel {
        final FileChannel real;
        volatile boolean full;

        FillingChannel(FileChannel real) {
            this.real = real;
        }

        private int failAfterPart(ByteBuffer src, long position) throws IOException {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + Math.min(5, part.remaining()));
            real.write(part, position);
            throw new IOException("No space left on device");
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return full ? failAfterPart(src, position) : real.write(src, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return full ? failAfterPart(src, real.position()) : real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            return real.write(srcs, offset, length);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }

    private static AcceptedEvent event(int n) {
        return new AcceptedEvent("default", "id-" + n, Instant.EPOCH, null, "{\"n\":" + n + "}",
                List.of(new AcceptedEvent.Route("r", "t")));
    }

    @Test
    void aFullDiskRefusesTheBatchAndKeepsWhatWasAcknowledged() {
        List<FillingChannel> channels = new ArrayList<>();
        try (SegmentLog s = new SegmentLog(dir, Durability.FSYNC, Duration.ofMillis(10), Long.MAX_VALUE,
                SegmentLog.SEGMENT_BYTES, p -> {
                    FillingChannel c = new FillingChannel(FileChannel.open(p, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE));
                    channels.add(c);
                    return c;
                })) {
            s.recover(p -> { });
            s.append(List.of(event(1), event(2))).join();
            channels.get(0).full = true;
            CompletionException e = assertThrows(CompletionException.class, () -> s.append(List.of(event(3))).join());
            assertInstanceOf(StoreException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("is full"), e.getCause().getMessage());
            channels.get(0).full = false;
            s.append(List.of(event(4))).join();
        }
        try (SegmentLog s = new SegmentLog(dir, Durability.FSYNC, Duration.ofMillis(10), Long.MAX_VALUE,
                SegmentLog.SEGMENT_BYTES)) {
            List<String> ids = new ArrayList<>();
            s.recover(p -> ids.add(p.event().eventId()));
            // id-3 was refused and cut; id-4, written after it, is not hidden behind a half record
            assertEquals(List.of("id-1", "id-2", "id-4"), ids);
        }
    }
}
