package io.busbar.pattern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable hash map from byte strings to values, looked up by a slice of a larger array so that the event
 * scanner never copies a key or a value to find it.
 *
 * <p>Implementation notes: open addressing with linear probing at a load factor of at most one half; the table
 * length is a power of two; each slot keeps the key's full hash (never 0, which marks an empty slot) so that a
 * probe reads only the hash array until a hash agrees: with large tables every array touched is a cache miss.
 *
 * @param <V> value type
 */
final class BytesMap<V> {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final BytesMap<?> EMPTY = new BytesMap<>(new byte[1][], new Object[1], new int[1], 0, null);
    /** Tables from this many slots on get a {@link #filter}; smaller ones stay in cache anyway. */
    private static final int FILTER_MIN_SLOTS = 8192;
    /** Filter bits per slot: about 9% of absent keys get past it at the highest load of one half. */
    private static final int FILTER_BITS_PER_SLOT_LOG2 = 2;

    private byte[][] keys;
    private Object[] values;
    private int[] hashes;
    private int size;
    private int mask;
    /**
     * A one-hash Bloom filter over the keys, for large tables: most lookups in a large index are for keys it does
     * not hold (a composite index sees every event's tuple), and the filter, an eighth of the hash array's
     * size, answers those from cache where a probe of the table would miss it. Null for small tables.
     */
    private long[] filter;
    private int filterShift;

    private BytesMap(byte[][] keys, Object[] values, int[] hashes, int size, long[] filter) {
        this.keys = keys;
        this.values = values;
        this.hashes = hashes;
        this.size = size;
        this.mask = keys.length - 1;
        if (keys.length >= FILTER_MIN_SLOTS) {
            int bitsLog2 = Integer.numberOfTrailingZeros(keys.length) + FILTER_BITS_PER_SLOT_LOG2;
            this.filter = filter != null ? filter : new long[1 << (bitsLog2 - 6)];
            this.filterShift = 32 - bitsLog2;
        }
    }

    /** A map with {@code cap} empty slots (a power of two). */
    private static <V> BytesMap<V> withCapacity(int cap) {
        return new BytesMap<>(new byte[cap][], new Object[cap], new int[cap], 0, null);
    }

    private int filterBit(int h) {
        return (h * 0x9E3779B9) >>> filterShift;
    }

    @SuppressWarnings("unchecked")
    static <V> BytesMap<V> empty() {
        return (BytesMap<V>) EMPTY;
    }

    /** Builds a map; later duplicates of a key replace earlier ones. */
    static <V> BytesMap<V> of(List<byte[]> keyList, List<V> valueList) {
        if (keyList.isEmpty()) {
            return empty();
        }
        int cap = Integer.highestOneBit(Math.max(2, keyList.size() * 2 - 1)) << 1;
        BytesMap<V> map = withCapacity(cap);
        for (int k = 0; k < keyList.size(); k++) {
            map.putInPlace(keyList.get(k), valueList.get(k));
        }
        return map;
    }

    /**
     * A private copy with room for {@code extra} more keys, for {@link #putInPlace}; the copy must not be shared
     * until its owner has finished writing to it.
     */
    BytesMap<V> copyForUpdate(int extra) {
        int needed = (size + extra) * 2;
        int cap = keys.length;
        while (cap < needed) {
            cap <<= 1;
        }
        if (cap == keys.length) {
            return new BytesMap<>(keys.clone(), values.clone(), hashes.clone(), size,
                    filter == null ? null : filter.clone());
        }
        BytesMap<V> grown = withCapacity(cap);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                grown.insert(keys[i], hashes[i], values[i]);
            }
        }
        return grown;
    }

    /** Sets a key's value in a copy made by {@link #copyForUpdate}, which must have room for it. */
    void putInPlace(byte[] key, V value) {
        insert(key, hash(key, 0, key.length), value);
    }

    private void insert(byte[] key, int h, Object value) {
        int i = h & mask;
        while (keys[i] != null && !(hashes[i] == h && Arrays.equals(keys[i], key))) {
            i = (i + 1) & mask;
        }
        if (keys[i] == null) {
            size++;
            keys[i] = key;
            hashes[i] = h;
            if (filter != null) {
                int bit = filterBit(h);
                filter[bit >>> 6] |= 1L << bit;
            }
        }
        values[i] = value;
    }

    /** Calls {@code action} for each entry. */
    @SuppressWarnings("unchecked")
    void forEach(java.util.function.BiConsumer<byte[], V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    /**
     * The hash of a byte string, eight bytes at a time: keys are field values and composite tuples of tens of
     * bytes, and a byte-at-a-time hash was a chain of one multiply per byte on every lookup of every event.
     */
    static int hash(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int end = off + len;
        int i = off;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        if (i < end) {
            long tail;
            if (len >= 8) {
                tail = (long) LONGS.get(b, end - 8); // the last eight bytes, overlapping ones already mixed
            } else {
                tail = 0;
                for (int j = end - 1; j >= i; j--) {
                    tail = (tail << 8) | (b[j] & 0xff);
                }
            }
            h = Long.rotateLeft(h ^ (tail * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        int r = (int) h;
        // Never 0, so that a zero in the hash table marks an empty slot and a probe reads no key until hashes agree.
        return r == 0 ? 1 : r;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(byte[] b, int off, int len) {
        if (size == 0) {
            return null;
        }
        int h = hash(b, off, len);
        long[] f = filter;
        if (f != null) {
            int bit = filterBit(h);
            if ((f[bit >>> 6] & (1L << bit)) == 0) {
                return null;
            }
        }
        int[] hs = hashes;
        int i = h & mask;
        int slot;
        while ((slot = hs[i]) != 0) {
            if (slot == h) {
                byte[] k = keys[i];
                if (k.length == len && regionEquals(k, b, off)) {
                    return (V) values[i];
                }
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    V get(byte[] key) {
        return get(key, 0, key.length);
    }

    private static boolean regionEquals(byte[] k, byte[] b, int off) {
        return Arrays.equals(k, 0, k.length, b, off, off + k.length);
    }
}
