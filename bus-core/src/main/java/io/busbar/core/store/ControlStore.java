package io.busbar.core.store;

import java.util.SortedMap;

/**
 * Keeps the control plane (buses, rules, targets, connections, API destinations, archives, replays, tags, the
 * scheduler's last fire times) as text values under string keys. Keys are namespaced by a prefix that names the
 * resource kind ({@code rule/<bus>/<name>}); values are JSON documents the owning component writes and reads.
 *
 * <p>{@link #put} and {@link #delete} are durable when they return (on disk for the file store); a failure to store
 * throws {@link StoreException} and leaves the previous value in place, so the caller can refuse the change.
 * Thread-safe.
 */
public interface ControlStore {
    /** Stores {@code value} under {@code key}, replacing what was there. */
    void put(String key, String value);

    /** Stores every entry with one sync (a {@code null} value removes its key). */
    default void putAll(java.util.Map<String, String> values) {
        values.forEach((k, v) -> {
            if (v == null) {
                delete(k);
            } else {
                put(k, v);
            }
        });
    }

    /** Removes the key; nothing happens when it is absent. */
    void delete(String key);

    /** Every entry whose key starts with {@code prefix}, in key order (a copy). */
    SortedMap<String, String> entries(String prefix);

    /** A store that lives and dies with the process (the server without {@code --data-dir}). */
    static ControlStore inMemory() {
        return new MemoryControlStore();
    }
}
