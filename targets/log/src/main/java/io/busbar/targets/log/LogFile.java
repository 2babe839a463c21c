package io.busbar.targets.log;

import io.busbar.core.spi.DeliveryOutcome;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log file and the thread that writes it.
 *
 * <p>Implementation notes: deliveries put their line on a queue and get a stage; the single writer thread takes
 * whatever has queued up (everything that arrived while it was writing the previous batch, up to
 * {@link #MAX_BATCH} lines), writes it, flushes once, and only then completes the batch's stages, so a delivery
 * counts as delivered once its line has reached the operating system. One thread means lines never interleave
 * and no lock is held while writing. The file is opened on the first batch, in append mode, without creating
 * missing directories: a file that cannot be opened fails that batch for good ({@code NO_RESOURCE}, or
 * {@code NO_PERMISSIONS} when access is denied) and is tried again with the next batch. A write that fails once
 * the file is open is retryable ({@code IO_ERROR}); the file is closed and reopened for the next batch (lines of
 * the failed batch may already be in the file: delivery is at least once). Flushed, not forced to disk: a crash
 * of the machine (not of the process) can lose the last lines.
 *
 * <p>{@link #close()} lets the thread finish what was queued before it, then closes the file; a line offered
 * after that fails retryably. Thread-safe.
 */
final class LogFile implements AutoCloseable {
    static final int MAX_BATCH = 4096;
    static final String IO_ERROR = "IO_ERROR";

    private record Entry(String line, CompletableFuture<DeliveryOutcome> done) {
    }

    /** Queued by {@link #close()} behind every accepted entry. */
    private static final Entry STOP = new Entry(null, null);

    private final Path path;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object accepting = new Object();
    private final AtomicLong batches = new AtomicLong();
    private boolean closed; // guarded by accepting
    private Writer writer; // only touched by the writer thread

    LogFile(Path path) {
        this.path = path;
        this.thread = new Thread(this::run, "busbar-log-" + path.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    Path path() {
        return path;
    }

    /** Batches written so far (for tests and diagnostics). */
    long batches() {
        return batches.get();
    }

    /** Queues one line (without its line break); the stage completes once it is flushed, or failed. */
    CompletableFuture<DeliveryOutcome> append(String line) {
        CompletableFuture<DeliveryOutcome> done = new CompletableFuture<>();
        synchronized (accepting) {
            if (closed) {
                done.complete(DeliveryOutcome.retryable(IO_ERROR, "The log file " + path + " is closed."));
                return done;
            }
            queue.add(new Entry(line, done));
        }
        return done;
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() should stop this thread, and it does so with STOP; carry on until it arrives.
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (batch.get(batch.size() - 1) == STOP) {
                batch.remove(batch.size() - 1);
                stopping = true; // STOP is queued last, so nothing follows it
            }
            if (!batch.isEmpty()) {
                write(batch);
            }
            batch.clear();
        }
        closeWriter();
    }

    private void write(List<Entry> batch) {
        batches.incrementAndGet();
        DeliveryOutcome outcome;
        if (writer == null) {
            try {
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (AccessDeniedException e) {
                complete(batch, DeliveryOutcome.permanent("NO_PERMISSIONS", "The log file " + path
                        + " cannot be opened: access denied."));
                return;
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                complete(batch, DeliveryOutcome.permanent("NO_RESOURCE", "The log file " + path + " cannot be opened: "
                        + e.getClass().getSimpleName() + ": " + e.getMessage()));
                return;
            }
        }
        try {
            for (Entry e : batch) {
                writer.write(e.line);
                writer.write('\n');
            }
            writer.flush();
            outcome = DeliveryOutcome.delivered();
        } catch (IOException e) {
            closeWriter();
            outcome = DeliveryOutcome.retryable(IO_ERROR, "Writing to the log file " + path + " failed: "
                    + e.getMessage());
        }
        complete(batch, outcome);
    }

    private static void complete(List<Entry> batch, DeliveryOutcome outcome) {
        for (Entry e : batch) {
            e.done.complete(outcome);
        }
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                // Nothing is waiting on it any more: every stage of the batches before has been completed.
            }
            writer = null;
        }
    }

    /** Finishes what is queued, then closes the file and ends the thread. Waits up to 10 s for that. */
    @Override
    public void close() {
        synchronized (accepting) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
