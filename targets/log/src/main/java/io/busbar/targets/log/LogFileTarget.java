package io.busbar.targets.log;

import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A log file target: each delivery's payload becomes one JSON line ({@link JsonLine}) handed to the file's writer
 * ({@link LogFile}); the stage completes once the line is flushed. Thread-safe.
 */
final class LogFileTarget implements DeliveryTarget {
    private final LogFile file;
    private final OpenLogFiles files;
    private final AtomicBoolean closed = new AtomicBoolean();

    LogFileTarget(LogFile file, OpenLogFiles files) {
        this.file = file;
        this.files = files;
    }

    LogFile file() {
        return file;
    }

    @Override
    public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
        return file.append(JsonLine.of(delivery.payload()));
    }

    /** Lets the writer go once no other target uses the file; closing twice releases once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            files.release(file);
        }
    }
}
