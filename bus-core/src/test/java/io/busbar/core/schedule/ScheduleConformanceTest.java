package io.busbar.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code ../shared/spec/schedules.jsonl} (spec 7.3): valid expressions give exactly the row's
 * {@code next3}, the first three fire times strictly after {@code from} (for a rate, {@code from} is the creation
 * time, as the rows state); invalid ones are rejected with EventBridge's message. The rows are PutRule expressions,
 * so they go through {@link ScheduleExpression#parse(String)}; a row may name a {@code zone} or an {@code anchor},
 * which are then honoured.
 */
class ScheduleConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> rows() {
        List<JsonNode> rows = read("schedules.jsonl");
        assertTrue(rows.size() >= 39, "schedules.jsonl looks truncated: " + rows.size() + " rows");
        return rows.stream().map(r -> Arguments.of(Named.of(
                (r.get("valid").asBoolean() ? "valid " : "invalid ") + r.get("expr").asText(), r)));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void behavesAsTheRowSays(JsonNode row) {
        String expr = row.get("expr").asText();
        String note = row.path("note").asText();
        if (!row.get("valid").asBoolean()) {
            InvalidScheduleExpressionException e = assertThrows(InvalidScheduleExpressionException.class,
                    () -> parse(row, expr), () -> "accepted, but: " + note);
            JsonNode expected = row.get("expected_error");
            assertEquals(expected.get("message").asText(), e.getMessage());
            assertEquals("ValidationException", expected.get("code").asText());
            assertTrue(!e.reason().isBlank(), "reason must say what is wrong");
            return;
        }
        ScheduleExpression parsed = parse(row, expr);
        Instant from = Instant.parse(row.get("from").asText());
        List<Instant> expected = new ArrayList<>();
        row.get("next3").forEach(t -> expected.add(Instant.parse(t.asText())));
        List<Instant> actual = row.hasNonNull("anchor")
                ? Schedule.of(parsed, Instant.parse(row.get("anchor").asText())).next(from, expected.size())
                : parsed.next(from, expected.size());
        assertEquals(expected, actual, () -> expr + ": " + note);
    }

    private static ScheduleExpression parse(JsonNode row, String expr) {
        return row.hasNonNull("zone") ? ScheduleExpression.parse(expr, ZoneId.of(row.get("zone").asText()))
                : ScheduleExpression.parse(expr);
    }

    /** The shared spec folder: system property {@code busbar.shared.dir} (set by the parent POM), else ../../shared. */
    static Path specDir() {
        String configured = System.getProperty("busbar.shared.dir");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured, "spec"));
        }
        candidates.add(Path.of("..", "..", "shared", "spec"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("busbar.shared.dir: " + configured + " (expected: the shared folder with spec/"
                + " beside the checkout; also tried " + Path.of("..", "..", "shared").toAbsolutePath() + ")");
    }

    static List<JsonNode> read(String file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(specDir().resolve(file))) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
