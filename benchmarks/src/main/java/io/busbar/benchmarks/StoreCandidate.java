package io.busbar.benchmarks;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One storage engine under test in {@link StoreComparison}: the few operations Busbar's event store needs, so every
 * candidate is driven by the same code.
 *
 * <p>Lifecycle: open (a static factory of the implementation), {@link #recover} once, then any number of
 * {@link #appendDurably} and {@link #markDone} calls from any threads, then {@link #close}. Every candidate gives the
 * same guarantee: a future returned by {@code appendDurably} completes only once its records are on disk and synced
 * ({@code fsync}/{@code fdatasync}), so an acknowledged record survives a crash of the process or of the machine.
 * A done-mark need not be synced before the next append group is (it is then synced with it).
 */
interface StoreCandidate extends AutoCloseable {

    /**
     * Queues {@code records} for the next group commit. The future completes with the records' ids, in order, once
     * they are durable, or exceptionally if the write failed. {@code records} must not be empty.
     */
    CompletableFuture<long[]> appendDurably(List<byte[]> records);

    /** Queues a done-mark for {@code id}, a record whose future has completed; applied with a later group. */
    void markDone(long id);

    /**
     * Reads every record not marked done, in id order, and returns how many there were. Call once, before the first
     * append; the store then takes new ids above every id it has seen.
     */
    long recover(RecordConsumer consumer);

    /** Writes everything still queued (done-marks included), then releases files and threads. */
    @Override
    void close();

    /** Receives a recovered record. */
    @FunctionalInterface
    interface RecordConsumer {
        void accept(long id, byte[] record);
    }
}
