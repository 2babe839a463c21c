package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WildcardTest {

    private static boolean matches(String pattern, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return Wildcard.parseUnchecked(pattern).matches(b, 0, b.length);
    }

    @Test
    void complexityMatchesEventBridgesCalibration() {
        // AWS accepts the first two and rejects the third (spec 3.3.5); the default threshold is 10.
        assertEquals(5, Wildcard.parseUnchecked("arn:aws:events:us-east-1:*:event-bus/*").complexity(10));
        assertEquals(8, Wildcard.parseUnchecked("/Users/*/dir/dir/dir/dir/dir/doc.txt").complexity(10));
        assertEquals(13, Wildcard.parseUnchecked("*:*:*:*:*:event-bus/*").complexity(20));
    }

    @Test
    void tooComplexPatternIsRejectedWithAwsWording() {
        InvalidEventPatternException e = assertThrows(InvalidEventPatternException.class,
                () -> EventPattern.compile("{\"a\":[{\"wildcard\":\"*:*:*:*:*:event-bus/*\"}]}"));
        assertTrue(e.reason().startsWith("Rule is too complex"), e::getMessage);
        EventPattern.compile("{\"a\":[{\"wildcard\":\"/Users/*/dir/dir/dir/dir/dir/doc.txt\"}]}");
    }

    @Test
    void hostileOperandIsBoundedNotStalled() {
        String hostile = "*a".repeat(200) + "*";
        assertTrue(Wildcard.parseUnchecked(hostile).complexity(10) > 10);
    }

    @Test
    void anchoredGlobSemantics() {
        assertTrue(matches("a*b", "ab"));
        assertTrue(matches("a*b", "axxb"));
        assertFalse(matches("a*b", "axxbc"));
        assertTrue(matches("*ab*ab", "abab"));
        assertFalse(matches("ab*ba", "aba"));
        assertTrue(matches("", ""));
        assertFalse(matches("", "x"));
        assertTrue(matches("a\\*b", "a*b"));
        assertFalse(matches("a\\*b", "axb"));
        assertTrue(matches("a\\\\b", "a\\b"));
        assertTrue(matches("*", ""));
        assertTrue(matches("?[x]", "?[x]"));
    }
}
