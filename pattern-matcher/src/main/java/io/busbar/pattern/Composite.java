package io.busbar.pattern;

import io.busbar.pattern.CompiledRule.Sub;
import java.util.List;

/**
 * Alternatives whose selective part is a conjunction of exact strings on the same paths (say {@code source},
 * {@code detail-type} and {@code detail.state}), indexed by the tuple of values: one hash lookup per event finds
 * the few alternatives whose every exact value is in the event, where counting each field separately would touch
 * every rule that shares just the {@code source}.
 *
 * <p>Keys are the values in path order, each as a 4-byte length then its UTF-8 bytes. Immutable once published; a
 * change copies the table ({@link BytesMap#copyForUpdate}).
 *
 * <p>A signature may end in a prefix: then the key also holds the first {@code prefixLength} bytes of the string at
 * {@code tailPathId}, so "source is X and customer starts with cust-12" is one lookup as well.
 *
 * @param paths        the signature: the exact paths, sorted, then possibly a {@link #PREFIX_TAIL} element
 * @param pathIds      the ids of the exact paths in the machine
 * @param tuples       key to the alternatives it triggers
 * @param tailPathId   the id of the prefix's path, or -1
 * @param prefixLength the prefix's length in bytes, or -1 when the signature has no prefix
 * @param partitions   for a signature ending in a range: key to the numeric ranges of the rules with those exact
 *                     values, tested against the numbers at {@code tailPathId}; {@code null} otherwise
 */
record Composite(List<String> paths, int[] pathIds, BytesMap<Sub[]> tuples, int tailPathId, int prefixLength,
                 BytesMap<FieldIndex.RangeIndex> partitions) {
    /** Marks the last element of a signature whose key ends in a fixed-length prefix of another path. */
    static final String PREFIX_TAIL = "\u0000prefix:";
    /** Marks the last element of a signature whose values select a range index over another path. */
    static final String RANGE_TAIL = "\u0000range:";

    Composite withTuples(BytesMap<Sub[]> t) {
        return new Composite(paths, pathIds, t, tailPathId, prefixLength, partitions);
    }

    Composite withPartitions(BytesMap<FieldIndex.RangeIndex> p) {
        return new Composite(paths, pathIds, tuples, tailPathId, prefixLength, p);
    }

    boolean ranged() {
        return partitions != null;
    }

    static int keyLength(List<byte[]> values) {
        int n = 0;
        for (byte[] v : values) {
            n += 4 + v.length;
        }
        return n;
    }

    static byte[] key(List<byte[]> values) {
        byte[] key = new byte[keyLength(values)];
        int at = 0;
        for (byte[] v : values) {
            at = putLength(key, at, v.length);
            System.arraycopy(v, 0, key, at, v.length);
            at += v.length;
        }
        return key;
    }

    static int putLength(byte[] key, int at, int length) {
        key[at] = (byte) (length >>> 24);
        key[at + 1] = (byte) (length >>> 16);
        key[at + 2] = (byte) (length >>> 8);
        key[at + 3] = (byte) length;
        return at + 4;
    }
}
