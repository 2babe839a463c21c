package io.busbar.pattern;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map whose {@link #plus} and {@link #minus} copy one shard of it, not all of it, so that changing one
 * rule of a set of 100,000 costs a few microseconds rather than a copy of the whole name table.
 *
 * <p>Implementation notes: keys are spread over 256 shards by hash; each shard is a small {@link HashMap} that is
 * never modified once shared. Reads see it as an ordinary unmodifiable {@link Map}.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class ShardedMap<K, V> extends AbstractMap<K, V> {
    private static final int SHARDS = 256;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final ShardedMap<?, ?> EMPTY = new ShardedMap<Object, Object>(new HashMap[SHARDS], 0);

    private final HashMap<K, V>[] shards;
    private final int size;
    private Set<Entry<K, V>> entries;

    private ShardedMap(HashMap<K, V>[] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ShardedMap<K, V> empty() {
        return (ShardedMap<K, V>) EMPTY;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ShardedMap<K, V> of(Map<K, V> source) {
        HashMap<K, V>[] shards = new HashMap[SHARDS];
        for (Entry<K, V> e : source.entrySet()) {
            int s = shard(e.getKey());
            if (shards[s] == null) {
                shards[s] = new HashMap<>();
            }
            shards[s].put(e.getKey(), e.getValue());
        }
        return new ShardedMap<>(shards, source.size());
    }

    private static int shard(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (SHARDS - 1);
    }

    @Override
    public V get(Object key) {
        HashMap<K, V> shard = shards[shard(key)];
        return shard == null ? null : shard.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        HashMap<K, V> shard = shards[shard(key)];
        return shard != null && shard.containsKey(key);
    }

    @Override
    public int size() {
        return size;
    }

    ShardedMap<K, V> plus(K key, V value) {
        int s = shard(key);
        HashMap<K, V> copy = shards[s] == null ? new HashMap<>() : new HashMap<>(shards[s]);
        boolean existed = copy.containsKey(key);
        copy.put(key, value);
        HashMap<K, V>[] next = Arrays.copyOf(shards, SHARDS);
        next[s] = copy;
        return new ShardedMap<>(next, existed ? size : size + 1);
    }

    ShardedMap<K, V> minus(K key) {
        int s = shard(key);
        if (shards[s] == null || !shards[s].containsKey(key)) {
            return this;
        }
        HashMap<K, V> copy = new HashMap<>(shards[s]);
        copy.remove(key);
        HashMap<K, V>[] next = Arrays.copyOf(shards, SHARDS);
        next[s] = copy.isEmpty() ? null : copy;
        return new ShardedMap<>(next, size - 1);
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        Set<Entry<K, V>> e = entries;
        if (e == null) {
            e = new AbstractSet<>() {
                @Override
                public Iterator<Entry<K, V>> iterator() {
                    return new Iterator<>() {
                        private int shard = -1;
                        private Iterator<Entry<K, V>> current = java.util.Collections.emptyIterator();

                        @Override
                        public boolean hasNext() {
                            while (!current.hasNext()) {
                                if (++shard >= SHARDS) {
                                    return false;
                                }
                                if (shards[shard] != null) {
                                    current = java.util.Collections.unmodifiableMap(shards[shard]).entrySet()
                                            .iterator();
                                }
                            }
                            return true;
                        }

                        @Override
                        public Entry<K, V> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            return current.next();
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
            entries = e;
        }
        return e;
    }
}
