package io.busbar.targets.log;

import io.busbar.targets.testing.TestEnvironment;
import static io.busbar.targets.testing.TestEnvironment.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Log file targets on a real file system: lines intact under concurrency, flushed per batch, failures. */
@Timeout(30)
class LogFileTargetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final LogFileTargetProvider provider = new LogFileTargetProvider();
    private final List<DeliveryTarget> targets = new ArrayList<>();

    @AfterEach
    void closeTargets() {
        targets.forEach(DeliveryTarget::close);
    }

    private DeliveryTarget target(String arn) {
        DeliveryTarget t = provider.create(new TargetSpec(arn, Map.of()),
                new TestEnvironment(Map.of(LogFileTargetProvider.DIRECTORY_PROPERTY, dir.toString()))).orElseThrow();
        targets.add(t);
        return t;
    }

    private static DeliveryOutcome deliver(DeliveryTarget t, String payload) throws Exception {
        return t.deliver(delivery("e-1", payload)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private List<String> lines(String file) throws Exception {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void isFoundByTheServiceLoader() {
        assertTrue(ServiceLoader.load(TargetProvider.class).stream()
                .anyMatch(p -> p.type() == LogFileTargetProvider.class));
    }

    @Test
    void eachPayloadIsOneJsonLineFlushedWhenTheDeliveryCompletes() throws Exception {
        DeliveryTarget t = target("arn:busbar:log:::events.jsonl");
        assertEquals(DeliveryOutcome.delivered(), deliver(t, "{\n  \"id\": 1\n}"));
        assertEquals(List.of("{   \"id\": 1 }"), lines("events.jsonl"), "on disk as soon as the stage completes");
        deliver(t, "not json");
        deliver(t, "\"a JSON string\"");
        assertEquals(List.of("{   \"id\": 1 }", "\"not json\"", "\"a JSON string\""), lines("events.jsonl"));
    }

    @Test
    void absolutePathsAndAppendingToAnExistingFile() throws Exception {
        Path file = dir.resolve("existing.jsonl");
        Files.writeString(file, "{\"old\":true}\n");
        deliver(target("arn:busbar:log:::" + file), "{\"new\":true}");
        assertEquals(List.of("{\"old\":true}", "{\"new\":true}"), Files.readAllLines(file));
    }

    @Test
    void manyConcurrentDeliveriesLeaveEveryLineIntactAndPresent() throws Exception {
        int threads = 8;
        int perThread = 1500;
        // Two targets of the same file (two rules logging to it) share one writer.
        DeliveryTarget a = target("arn:busbar:log:::busy.jsonl");
        DeliveryTarget b = target("arn:busbar:log:::./sub/../busy.jsonl");
        assertNotSame(a, b);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<DeliveryOutcome>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int n = 0; n < perThread; n++) {
                        String pad = "x".repeat(padLength(thread, n));
                        String payload = "{\"t\":" + thread + ",\"n\":" + n + ",\"pad\":\"" + pad + "\"}";
                        all.add((n % 2 == 0 ? a : b).deliver(delivery("e-1", payload)).toCompletableFuture());
                    }
                });
            }
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        for (CompletableFuture<DeliveryOutcome> f : all) {
            assertEquals(DeliveryOutcome.delivered(), f.get(10, TimeUnit.SECONDS));
        }
        List<String> lines = lines("busy.jsonl");
        assertEquals(threads * perThread, lines.size());
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            int t = node.get("t").asInt();
            int n = node.get("n").asInt();
            assertEquals(padLength(t, n), node.get("pad").textValue().length());
            assertTrue(seen.add(t + "/" + n), "duplicate line " + t + "/" + n);
        }
        LogFile file = ((LogFileTarget) a).file();
        assertTrue(file.batches() < threads * perThread, "lines were grouped into batches: " + file.batches());
    }

    /** Mostly short lines, every 50th longer than the writer's 8 KB buffer, so that lines straddle flushes. */
    private static int padLength(int thread, int n) {
        return n % 50 == 0 ? 9_000 + thread : (n * 37 + thread * 101) % 300;
    }

    @Test
    void aFileThatCannotBeOpenedFailsForGood() throws Exception {
        DeliveryOutcome missingDir = deliver(target("arn:busbar:log:::no/such/dir/x.jsonl"), "{}");
        assertEquals(DeliveryOutcome.Status.PERMANENT, missingDir.status());
        assertEquals("NO_RESOURCE", missingDir.errorCode());
        assertTrue(missingDir.message().contains("x.jsonl"), missingDir.message());

        Files.createDirectory(dir.resolve("a-directory"));
        DeliveryOutcome isDir = deliver(target("arn:busbar:log:::a-directory"), "{}");
        assertEquals(DeliveryOutcome.Status.PERMANENT, isDir.status());
    }

    @Test
    void theFileIsOpenedAgainOnceItsDirectoryExists() throws Exception {
        DeliveryTarget t = target("arn:busbar:log:::later/x.jsonl");
        assertEquals(DeliveryOutcome.Status.PERMANENT, deliver(t, "{}").status());
        Files.createDirectory(dir.resolve("later"));
        assertEquals(DeliveryOutcome.delivered(), deliver(t, "{\"n\":2}"));
        assertEquals(List.of("{\"n\":2}"), lines("later/x.jsonl"));
    }

    @Test
    void closingTheLastTargetClosesTheFileAndANewTargetAppends() throws Exception {
        DeliveryTarget first = target("arn:busbar:log:::c.jsonl");
        deliver(first, "1");
        first.close();
        first.close(); // twice is harmless
        DeliveryOutcome after = deliver(first, "2");
        assertEquals(DeliveryOutcome.Status.RETRYABLE, after.status());
        deliver(target("arn:busbar:log:::c.jsonl"), "3");
        assertEquals(List.of("1", "3"), lines("c.jsonl"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:busbar:log:::", "arn:busbar:log:::   ", "arn:busbar:log:::dir/"})
    void rejectsArnsWithoutAFileNamingTheField(String arn) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new TargetSpec(arn, Map.of()), new TestEnvironment(Map.of())));
        assertTrue(e.getMessage().startsWith("Arn: " + arn + " (expected: "), e.getMessage());
    }

    @Test
    void leavesOtherArnsToOtherProviders() {
        assertTrue(provider.create(new TargetSpec("arn:aws:logs:us-east-1:123456789012:log-group:/x", Map.of()),
                new TestEnvironment(Map.of())).isEmpty());
    }
}
