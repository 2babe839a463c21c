package io.busbar.core.store;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The control plane kept in memory only. */
final class MemoryControlStore implements ControlStore {
    private final ConcurrentSkipListMap<String, String> entries = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, String value) {
        entries.put(key, value);
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public SortedMap<String, String> entries(String prefix) {
        return new TreeMap<>(entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false));
    }
}
