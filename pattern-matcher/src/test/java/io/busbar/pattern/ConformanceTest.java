package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executable corpus of the pattern language: every case of {@code ../shared/spec/conformance.jsonl} through the
 * compiled matcher and the reference interpreter, and every case of {@code invalid-patterns.jsonl} through the
 * validator, with EventBridge's error text.
 */
class ConformanceTest {

    static Stream<Arguments> matchingCases() {
        List<JsonNode> cases = SharedSpec.lines("conformance.jsonl");
        assertTrue(cases.size() >= 100, "conformance corpus looks truncated: " + cases.size());
        return cases.stream().map(c -> Arguments.of(Named.of(c.get("name").asText(), c)));
    }

    @ParameterizedTest
    @MethodSource("matchingCases")
    void matchesAsEventBridgeDoes(JsonNode c) {
        String pattern = SharedSpec.text(c, "pattern");
        String event = SharedSpec.text(c, "event");
        boolean expected = c.get("matches").asBoolean();
        EventPattern compiled = EventPattern.compile(pattern);
        RuleSet set = RuleSet.empty().with("rule", compiled);
        assertEquals(expected, !set.match(event).isEmpty(), () -> "compiled matcher: " + pattern + " vs " + event);
        MatchExplanation why = set.explain("rule", event);
        assertEquals(expected, why.matched(), () -> "reference interpreter: " + why.describe());
    }

    static Stream<Arguments> invalidCases() {
        List<JsonNode> cases = SharedSpec.lines("invalid-patterns.jsonl");
        assertTrue(cases.size() >= 40, "invalid-pattern corpus looks truncated: " + cases.size());
        return cases.stream().map(c -> Arguments.of(Named.of(c.get("name").asText(), c)));
    }

    @ParameterizedTest
    @MethodSource("invalidCases")
    void rejectsWithEventBridgesMessage(JsonNode c) {
        String pattern = SharedSpec.text(c, "pattern");
        InvalidEventPatternException e =
                assertThrows(InvalidEventPatternException.class, () -> EventPattern.compile(pattern));
        JsonNode expected = c.get("expected_error");
        assertEquals(expected.get("code").asText(), e.errorCode(), e::getMessage);
        JsonNode prefix = expected.get("message_prefix");
        if (prefix != null && !prefix.isNull()) {
            assertPrefixWithElisions(prefix.asText(), e.getMessage());
        } else {
            assertTrue(e.getMessage().startsWith("Event pattern is not valid. Reason: "), e::getMessage);
        }
    }

    /** The expected prefix may elide the echoed value as {@code ...}: the pieces must appear in order. */
    private static void assertPrefixWithElisions(String expected, String actual) {
        String[] pieces = expected.split("\\.\\.\\.", -1);
        assertTrue(actual.startsWith(pieces[0]), () -> "expected prefix <" + expected + "> but was <" + actual + ">");
        int at = pieces[0].length();
        for (int i = 1; i < pieces.length; i++) {
            int found = actual.indexOf(pieces[i], at);
            int from = at;
            int piece = i;
            assertTrue(found >= 0, () -> "expected <" + pieces[piece] + "> after offset " + from + " in <" + actual + ">");
            at = found + pieces[i].length();
        }
    }
}
