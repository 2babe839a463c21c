package io.busbar.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the conformance files of {@code ../shared/spec}. */
final class SharedSpec {
    static final ObjectMapper JSON = new ObjectMapper();

    private SharedSpec() {
    }

    static Path dir() {
        String configured = System.getProperty("busbar.shared.dir");
        Path base = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        Path spec = base.resolve("spec");
        if (!Files.isDirectory(spec)) {
            spec = Path.of("..", "..", "shared", "spec");
        }
        if (!Files.isDirectory(spec)) {
            throw new IllegalStateException("busbar.shared.dir: " + base.toAbsolutePath()
                    + " (expected: the shared folder with spec/ beside the checkout)");
        }
        return spec;
    }

    static List<JsonNode> lines(String file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(dir().resolve(file))) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw text when the case gives one (duplicate keys, number spellings), else the JSON value written out. */
    static String text(JsonNode c, String field) {
        JsonNode raw = c.get(field + "_raw");
        if (raw != null && raw.isTextual()) {
            return raw.asText();
        }
        JsonNode value = c.get(field);
        return value.isTextual() && field.equals("pattern") ? value.asText() : value.toString();
    }
}
