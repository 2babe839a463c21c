package io.busbar.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file event store: what is owed survives a reopen, finished segments go, torn tails are cut, limits hold. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SegmentLogTest {
    @TempDir
    Path dir;

    private static AcceptedEvent event(int n, int routes) {
        List<AcceptedEvent.Route> r = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            r.add(new AcceptedEvent.Route("rule-" + i, "target-" + i));
        }
        return new AcceptedEvent("default", "id-" + n, Instant.ofEpochSecond(1_700_000_000L, n), n % 2 == 0 ? null
                : "Root=1-" + n, "{\"id\":\"id-" + n + "\",\"detail\":{\"n\":" + n + ",\"text\":\"h\u00e9llo\"}}", r);
    }

    private SegmentLog open(Durability d, long maxBytes, long segmentBytes) {
        return new SegmentLog(dir, d, Duration.ofMillis(10), maxBytes, segmentBytes);
    }

    private static List<PendingEvent> recover(EventStore s) {
        List<PendingEvent> out = new ArrayList<>();
        s.recover(out::add);
        return out;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("events"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void whatIsOwedComesBackWithAttemptsAndFinishedRoutesDoNot() {
        long[] pos;
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            assertEquals(List.of(), recover(s));
            pos = s.append(List.of(event(1, 2), event(2, 1), event(3, 3))).join();
            assertEquals(3, pos.length);
            s.finished(pos[0], 0);
            s.retrying(pos[0], 1, 4);
            s.finished(pos[1], 0);
            s.retrying(pos[2], 2, 2);
            s.finished(pos[2], 2);
            s.append(List.of(event(4, 1))).join(); // marks are written in order before this append completes
        }
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            List<PendingEvent> back = recover(s);
            assertEquals(List.of("id-1", "id-3", "id-4"), back.stream().map(p -> p.event().eventId()).toList());
            assertEquals(event(1, 2), back.get(0).event());
            assertEquals(event(3, 3), back.get(1).event());
            assertEquals(pos[0], back.get(0).position());
            assertArrayEquals(new int[] {0, 4}, back.get(0).attempts());
            assertArrayEquals(new int[] {1, 1, 0}, back.get(1).attempts());
            assertThrows(IllegalStateException.class, () -> s.recover(p -> { }));
        }
    }

    @Test
    void aSegmentIsDeletedOnceEverythingInItIsFinished() throws IOException {
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, 4096)) {
            recover(s);
            List<long[]> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                all.add(s.append(List.of(event(i, 1), event(i + 1000, 2))).join());
            }
            assertTrue(segments().size() > 3, "segments rolled: " + segments());
            long before = s.sizeBytes();
            for (long[] p : all) {
                s.finished(p[0], 0);
                s.finished(p[1], 0);
                s.finished(p[1], 1);
            }
            // only the active segment (and the one the writer is on) may remain
            assertTrue(segments().size() <= 2, "left: " + segments());
            assertTrue(s.sizeBytes() < before);
        }
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, 4096)) {
            assertEquals(List.of(), recover(s));
            assertEquals(1, segments().size(), "segments owing nothing are deleted at open: " + segments());
        }
    }

    @Test
    void aTornTailIsCutAndEverythingBeforeItKept() throws IOException {
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            recover(s);
            s.append(List.of(event(1, 1))).join();
            s.append(List.of(event(2, 1))).join();
        }
        Path seg = segments().get(0);
        long good = Files.size(seg);
        // a crash in the middle of a write: a header promising more than is there
        Files.write(seg, new byte[] {100, 0, 0, 0, 1, 2, 3, 4, 5, 6}, StandardOpenOption.APPEND);
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            assertEquals(List.of("id-1", "id-2"), recover(s).stream().map(p -> p.event().eventId()).toList());
            assertEquals(good, Files.size(seg));
            s.append(List.of(event(3, 1))).join();
        }
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            assertEquals(List.of("id-1", "id-2", "id-3"), recover(s).stream().map(p -> p.event().eventId()).toList());
        }
    }

    @Test
    void aCorruptRecordCutsTheSegmentThere() throws IOException {
        long[] second;
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            recover(s);
            s.append(List.of(event(1, 1))).join();
            second = s.append(List.of(event(2, 1))).join();
        }
        Path seg = segments().get(0);
        byte[] bytes = Files.readAllBytes(seg);
        int offset = (int) (second[0] & ((1L << 40) - 1));
        bytes[offset + 20] ^= 0x5a; // inside the second record's payload: its checksum no longer holds
        Files.write(seg, bytes);
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            assertEquals(List.of("id-1"), recover(s).stream().map(p -> p.event().eventId()).toList());
            assertEquals(offset, Files.size(seg));
        }
    }

    @Test
    void theSizeLimitRefusesNewEventsAndKeepsTheOldOnes() {
        try (SegmentLog s = open(Durability.FSYNC, 600, SegmentLog.SEGMENT_BYTES)) {
            recover(s);
            s.append(List.of(event(1, 1))).join();
            CompletableFuture<long[]> refused = s.append(List.of(event(2, 1), event(3, 1), event(4, 1), event(5, 1)));
            CompletionException e = assertThrows(CompletionException.class, refused::join);
            assertInstanceOf(StoreException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("reached its size limit"), e.getCause().getMessage());
            assertTrue(e.getCause().getMessage().contains(dir.toString()), e.getCause().getMessage());
        }
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            assertEquals(List.of("id-1"), recover(s).stream().map(p -> p.event().eventId()).toList());
        }
    }

    @Test
    void batchDurabilityAcknowledgesAndStillKeepsEverything() throws Exception {
        try (SegmentLog s = open(Durability.BATCH, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            recover(s);
            List<CompletableFuture<long[]>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                fs.add(s.append(List.of(event(i, 1))));
            }
            fs.forEach(CompletableFuture::join);
        }
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES)) {
            assertEquals(200, recover(s).size());
        }
    }

    @Test
    void concurrentAppendersShareSyncsAndAllComeBack() throws Exception {
        int threads = 8;
        int perThread = 100;
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, 64 * 1024)) {
            recover(s);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        s.append(List.of(event(base + i, 1))).join();
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        try (SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, 64 * 1024)) {
            assertEquals(threads * perThread, recover(s).stream().map(p -> p.event().eventId()).distinct().count());
        }
    }

    @Test
    void appendsAfterCloseFail() {
        SegmentLog s = open(Durability.FSYNC, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES);
        s.close();
        CompletionException e = assertThrows(CompletionException.class, () -> s.append(List.of(event(1, 1))).join());
        assertInstanceOf(StoreException.class, e.getCause());
    }

    @Test
    void memoryDurabilityIsNotAFileStore() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(Durability.MEMORY, Long.MAX_VALUE, SegmentLog.SEGMENT_BYTES));
        assertTrue(e.getMessage().startsWith("durability: MEMORY"), e.getMessage());
    }
}
