package io.busbar.pattern;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable hash map from byte strings to values, looked up by a slice of a larger array so that the event
 * scanner never copies a key or a value to find it.
 *
 * <p>Implementation notes: open addressing with linear probing at a load factor of at most one half; the table
 * length is a power of two; each slot keeps the key's full hash so that most mismatches are rejected without
 * comparing bytes.
 *
 * @param <V> value type
 */
final class BytesMap<V> {
    private static final BytesMap<?> EMPTY = new BytesMap<>(new byte[1][], new Object[1], new int[1], 0);

    private final byte[][] keys;
    private final Object[] values;
    private final int[] hashes;
    private final int size;
    private final int mask;

    private BytesMap(byte[][] keys, Object[] values, int[] hashes, int size) {
        this.keys = keys;
        this.values = values;
        this.hashes = hashes;
        this.size = size;
        this.mask = keys.length - 1;
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
        byte[][] keys = new byte[cap][];
        Object[] values = new Object[cap];
        int[] hashes = new int[cap];
        int size = 0;
        for (int k = 0; k < keyList.size(); k++) {
            byte[] key = keyList.get(k);
            int h = hash(key, 0, key.length);
            int i = h & (cap - 1);
            while (keys[i] != null && !(hashes[i] == h && Arrays.equals(keys[i], key))) {
                i = (i + 1) & (cap - 1);
            }
            if (keys[i] == null) {
                size++;
            }
            keys[i] = key;
            hashes[i] = h;
            values[i] = valueList.get(k);
        }
        return new BytesMap<>(keys, values, hashes, size);
    }

    static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
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
        int i = h & mask;
        byte[] k;
        while ((k = keys[i]) != null) {
            if (hashes[i] == h && k.length == len && regionEquals(k, b, off)) {
                return (V) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    V get(byte[] key) {
        return get(key, 0, key.length);
    }

    private static boolean regionEquals(byte[] k, byte[] b, int off) {
        for (int j = 0; j < k.length; j++) {
            if (k[j] != b[off + j]) {
                return false;
            }
        }
        return true;
    }
}
