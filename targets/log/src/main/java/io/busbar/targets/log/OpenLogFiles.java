package io.busbar.targets.log;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The log files that targets are using, by absolute path, each with a count of the targets using it: every target
 * of one file shares its single writer (two rules logging to one file must not interleave lines), and the writer
 * is closed when its last target is. Thread-safe (one lock, held only to count, never while writing or closing).
 */
final class OpenLogFiles {
    private static final class Use {
        final LogFile file;
        int targets;

        Use(LogFile file) {
            this.file = file;
        }
    }

    private final Map<Path, Use> byPath = new HashMap<>();

    /** The writer of {@code path}, started if no target uses it yet; pair with {@link #release}. */
    LogFile acquire(Path path) {
        synchronized (byPath) {
            Use u = byPath.computeIfAbsent(path, p -> new Use(new LogFile(p)));
            u.targets++;
            return u.file;
        }
    }

    void release(LogFile file) {
        boolean last;
        synchronized (byPath) {
            Use u = byPath.get(file.path());
            if (u == null || u.file != file) {
                return; // already released by every target
            }
            last = --u.targets == 0;
            if (last) {
                byPath.remove(file.path());
            }
        }
        if (last) {
            file.close(); // outside the lock: it waits for the queued lines
        }
    }
}
