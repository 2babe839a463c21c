package io.busbar.targets.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.Busbar;
import io.busbar.core.InputTransformer;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Target;
import io.busbar.core.TargetInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real {@link Busbar} with the provider found by its {@link java.util.ServiceLoader}, logging to a file. */
@Timeout(30)
class BusbarEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void matchedEventsAreLoggedOneLineEach() throws Exception {
        Path file = dir.resolve("orders.jsonl");
        try (Busbar bus = Busbar.builder().property(LogFileTargetProvider.DIRECTORY_PROPERTY, dir.toString())
                .build()) {
            bus.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example\"]}"));
            bus.putTargets(null, "r", List.of(Target.of("all", "arn:busbar:log:::orders.jsonl"),
                    new Target("ids", "arn:busbar:log:::orders.jsonl", null,
                            TargetInput.transformed(new InputTransformer(Map.of("id", "$.detail.id"),
                                    "\"order <id>\"")), null, null, null)));
            List<PutEventsEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(PutEventsEntry.of("com.example", "Order", "{\"id\":" + i + "}"));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(0, bus.putEvents(entries).failedEntryCount());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (bus.outstandingDeliveries() > 0 || !Files.exists(file) || Files.readAllLines(file).size() < 100) {
                assertTrue(System.nanoTime() < deadline, "not all lines arrived");
                Thread.sleep(10);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(100, lines.size());
        ObjectMapper json = new ObjectMapper();
        assertEquals(50, lines.stream().filter(l -> l.startsWith("\"order ")).count());
        for (String l : lines) {
            json.readTree(l);
        }
    }
}
