package io.busbar.core;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Holds submitted work until the test runs it, so attempts can be kept "in flight". */
final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable command) {
        tasks.add(command);
    }

    /** Runs everything submitted, including work submitted while running; returns how many ran. */
    int runAll() {
        int n = 0;
        while (true) {
            Runnable r;
            synchronized (this) {
                r = tasks.poll();
            }
            if (r == null) {
                return n;
            }
            r.run();
            n++;
        }
    }

    synchronized int size() {
        return tasks.size();
    }
}
