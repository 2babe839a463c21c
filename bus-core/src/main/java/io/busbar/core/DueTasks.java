package io.busbar.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Work to run at an instant of the injected clock: retries after their back-off, delivery timeouts, schedules.
 *
 * <p>Implementation notes: a priority queue ordered by due time (then by arrival, so ties keep their order). A
 * task runs when {@link #runDue()} finds its instant reached on the clock; in production a daemon thread calls it
 * and sleeps until the next task is due (at most {@link #MAX_IDLE_MILLIS}, so a clock that jumps is noticed); with
 * a manual clock a test advances the clock and calls {@link #runDue()} itself, and no thread sleeps. Thread-safe.
 */
final class DueTasks implements AutoCloseable {
    static final long MAX_IDLE_MILLIS = 50;

    private record Task(Instant due, long seq, Runnable action) {
    }

    private final Clock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = a.due.compareTo(b.due);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private final Thread ticker;
    private long seq;
    private volatile boolean closed;
    private volatile Runnable everyTick = () -> { };

    DueTasks(Clock clock, boolean autoTick) {
        this.clock = clock;
        if (autoTick) {
            ticker = new Thread(this::loop, "busbar-due-tasks");
            ticker.setDaemon(true);
            ticker.start();
        } else {
            ticker = null;
        }
    }

    void schedule(Instant due, Runnable action) {
        synchronized (queue) {
            queue.add(new Task(due, seq++, action));
            queue.notifyAll();
        }
    }

    /** Work to do on every {@link #runDue()}, after the due tasks: housekeeping that needs no instant of its own. */
    void onEveryTick(Runnable work) {
        this.everyTick = work;
    }

    int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Runs every task that is due now; returns how many ran. Tasks run outside the lock. */
    int runDue() {
        List<Runnable> due = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (queue) {
            while (!queue.isEmpty() && !queue.peek().due.isAfter(now)) {
                due.add(queue.poll().action);
            }
        }
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.getLogger(DueTasks.class.getName()).log(System.Logger.Level.ERROR, "scheduled task failed", e);
            }
        }
        try {
            everyTick.run();
        } catch (RuntimeException e) {
            System.getLogger(DueTasks.class.getName()).log(System.Logger.Level.ERROR, "housekeeping failed", e);
        }
        return due.size();
    }

    private void loop() {
        while (!closed) {
            runDue();
            synchronized (queue) {
                long wait = MAX_IDLE_MILLIS;
                if (!queue.isEmpty()) {
                    wait = Math.max(1, Math.min(wait,
                            queue.peek().due.toEpochMilli() - clock.instant().toEpochMilli()));
                }
                try {
                    queue.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.interrupt();
        }
    }
}
