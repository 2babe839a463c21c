package io.busbar.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Internal: not part of Busbar's API and may change without notice. Public only so that the bus's own packages
 * (the event store, archives) share one record format.
 *
 * <p>The framing of every record Busbar writes: {@code [length u32][crc32c u32][payload]}, little-endian, the checksum
 * over the payload. A reader stops at the first frame that is incomplete or fails its checksum: that is where a
 * crash tore the file (or the disk corrupted it), and everything from there on is cut.
 */
public final class Frames {
    public static final int HEADER = 8;
    /** No record is this large: a length beyond it means the header itself is garbage. */
    public static final int MAX_PAYLOAD = 64 << 20;

    private Frames() {
    }

    /** The payload framed, ready to write. */
    public static ByteBuffer frame(byte[] payload, int length) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + length).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, length);
        b.putInt(length).putInt((int) crc.getValue()).put(payload, 0, length).flip();
        return b;
    }

    /** Receives each whole, checksummed payload of a file with the offset of its frame. */
    public interface Visitor {
        void record(long offset, ByteBuffer payload) throws IOException;
    }

    /**
     * Reads every good frame from the start of {@code channel}; returns the offset where good frames end (the file's
     * size when nothing is torn).
     */
    public static long scan(FileChannel channel, Visitor visitor) throws IOException {
        long size = channel.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        while (pos + HEADER <= size) {
            header.clear();
            readFully(channel, header, pos);
            header.flip();
            int length = header.getInt();
            int sum = header.getInt();
            if (length < 0 || length > MAX_PAYLOAD || pos + HEADER + length > size) {
                return pos;
            }
            if (buf.capacity() < length) {
                buf = ByteBuffer.allocate(Math.max(length, buf.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
            }
            buf.clear().limit(length);
            readFully(channel, buf, pos + HEADER);
            buf.flip();
            crc.reset();
            crc.update(buf.duplicate());
            if ((int) crc.getValue() != sum) {
                return pos;
            }
            visitor.record(pos, buf.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
            pos += HEADER + length;
        }
        return pos;
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
        long p = at;
        while (into.hasRemaining()) {
            int n = channel.read(into, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }

    /** A growable little-endian payload writer. */
    public static final class Writer {
        public byte[] bytes;
        public int length;

        public Writer(int capacity) {
            bytes = new byte[capacity];
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
        }

        /** Starts a frame: room for its header, filled by {@link #endFrame}; returns the frame's offset. */
        public int beginFrame() {
            int start = length;
            room(HEADER);
            length += HEADER;
            return start;
        }

        /** Ends the frame begun at {@code start}: writes its length and checksum. */
        public void endFrame(int start) {
            int n = length - start - HEADER;
            CRC32C crc = new CRC32C();
            crc.update(bytes, start + HEADER, n);
            int sum = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                bytes[start + i] = (byte) (n >>> (8 * i));
                bytes[start + 4 + i] = (byte) (sum >>> (8 * i));
            }
        }

        public Writer u8(int v) {
            room(1);
            bytes[length++] = (byte) v;
            return this;
        }

        public Writer i32(int v) {
            room(4);
            for (int i = 0; i < 4; i++) {
                bytes[length++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        public Writer i64(long v) {
            room(8);
            for (int i = 0; i < 8; i++) {
                bytes[length++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        /** A string as its UTF-8 length and bytes; null as length -1. */
        public Writer str(String s) {
            if (s == null) {
                return i32(-1);
            }
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        /** Bytes as they are, without a length. */
        public Writer raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
            return this;
        }

        public Writer bytes(byte[] b) {
            i32(b.length);
            room(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
            return this;
        }
    }

    /** Reads what {@link Writer} wrote. */
    public static String str(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) {
            return null;
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
