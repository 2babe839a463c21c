package io.busbar.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control-plane log: changes survive a reopen, a torn tail is cut, and the file is compacted. */
class FileControlStoreTest {
    @TempDir
    Path dir;

    @Test
    void changesSurviveAReopen() {
        try (FileControlStore s = new FileControlStore(dir)) {
            s.put("rule/default/a", "{\"n\":1}");
            s.put("rule/default/b", "{\"n\":2}");
            s.put("rule/other/c", "{\"n\":3}");
            s.put("rule/default/a", "{\"n\":4}");
            s.delete("rule/default/b");
            Map<String, String> many = new LinkedHashMap<>();
            many.put("tags/x", "{}");
            many.put("rule/other/c", null);
            s.putAll(many);
        }
        try (FileControlStore s = new FileControlStore(dir)) {
            assertEquals(Map.of("rule/default/a", "{\"n\":4}"), s.entries("rule/"));
            assertEquals(Map.of("tags/x", "{}"), s.entries("tags/"));
            assertEquals(Map.of(), s.entries("bus/"));
        }
    }

    @Test
    void aTornTailIsCut() throws IOException {
        try (FileControlStore s = new FileControlStore(dir)) {
            s.put("bus/a", "1");
        }
        Path file = dir.resolve("control.log");
        long good = Files.size(file);
        Files.write(file, new byte[] {50, 0, 0, 0, 9}, StandardOpenOption.APPEND);
        try (FileControlStore s = new FileControlStore(dir)) {
            assertEquals(Map.of("bus/a", "1"), s.entries("bus/"));
            assertEquals(good, Files.size(file));
            s.put("bus/b", "2");
        }
        try (FileControlStore s = new FileControlStore(dir)) {
            assertEquals(Map.of("bus/a", "1", "bus/b", "2"), s.entries("bus/"));
        }
    }

    @Test
    void aLogMostlyOfOldValuesIsCompactedAtOpen() throws IOException {
        String big = "x".repeat(1000);
        try (FileControlStore s = new FileControlStore(dir)) {
            for (int i = 0; i < 3000; i++) {
                s.put("rule/default/r" + (i % 10), big + i);
            }
        }
        long before = Files.size(dir.resolve("control.log"));
        try (FileControlStore s = new FileControlStore(dir)) {
            assertEquals(10, s.entries("rule/").size());
            assertEquals(big + 2999, s.entries("rule/").get("rule/default/r9"));
        }
        long after = Files.size(dir.resolve("control.log"));
        assertTrue(after < before / 10, before + " -> " + after);
        try (FileControlStore s = new FileControlStore(dir)) {
            assertEquals(10, s.entries("rule/").size());
        }
    }
}
