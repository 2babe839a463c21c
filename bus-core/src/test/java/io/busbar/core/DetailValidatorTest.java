package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written Detail check against Jackson's parser, which it replaces on the PutEvents path. */
class DetailValidatorTest {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build()).build();

    /** The reference: what Busbar accepted when Jackson decided (one object, 64-bit integers, nesting 1,000). */
    static boolean jackson(String detail) {
        try (JsonParser p = JSON.createParser(detail)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return false;
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT -> {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return false;
                        }
                    }
                    default -> {
                    }
                }
            }
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void same(String detail) {
        assertEquals(jackson(detail), DetailValidator.isValid(detail), detail.length() > 300
                ? detail.substring(0, 300) + "..." : detail);
    }

    @Test
    void agreesWithJacksonOnHandPickedCases() {
        List<String> cases = List.of("{}", " {} ", "{}x", "{} {}", "[]", "1", "\"a\"", "", " ", "{",
                "{\"a\":1}", "{\"a\":-0}", "{\"a\":01}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":1.5e}",
                "{\"a\":1e5}", "{\"a\":0e5}", "{\"a\":-}", "{\"a\":1x}", "{\"a\":truex}", "{\"a\":true}",
                "{\"a\":nul}", "{\"a\":null,}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\" : [ 1 , 2 ] }",
                "{a:1}", "{'a':1}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\u00e9\\ud83d\"}",
                "{\"a\":\"\\x\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"\u0001\"}", "{\"a\":\"\u007f\u00e9\ud83d\ude00\"}",
                "{\"a\":9223372036854775807}", "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775808}",
                "{\"a\":-9223372036854775809}", "{\"a\":12345678901234567890}", "{\"a\":1e400}",
                "{\"a\":1}\n", "\uFEFF{}", "{\"a\":1}\u00a0", "{\"a\":NaN}", "{\"a\":[[]],\"b\":{\"c\":{}}}",
                "{\"a\":\"\\u0661\"}", "{\"\":1}", "{\"a\":1 \"b\":2}",
                "{\"a\" 1}", "{\"a\"::1}", "{/*c*/}", "{\"a\":[1 2]}", "{\"a\":1}}", "{\"a\":]}");
        for (String c : cases) {
            same(c);
        }
    }

    @Test
    void unicodeEscapesNeedAsciiHexDigits() {
        // Deliberately stricter than Jackson, which reads only the low byte of each char after \\u.
        String arabicIndicDigits = "{\"a\":\"\\u\u0661\u0661\u0661\u0661\"}";
        assertTrue(jackson(arabicIndicDigits));
        assertFalse(DetailValidator.isValid(arabicIndicDigits));
        assertTrue(DetailValidator.isValid("{\"a\":\"\\u00aF\"}"));
    }

    @Test
    void nestingUpToAThousandLevels() {
        for (int depth : new int[] {999, 1000, 1001, 1500}) {
            String d = "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
            same(d);
            assertEquals(depth <= 1000, DetailValidator.isValid(d), "depth " + depth);
            same("{\"a\":" + "{\"b\":".repeat(depth - 1) + "1" + "}".repeat(depth - 1) + "}");
        }
    }

    @Test
    void longNumbers() {
        same("{\"a\":" + "1".repeat(999) + ".5}");
        same("{\"a\":1." + "1".repeat(999) + "}");
        same("{\"a\":1." + "1".repeat(1200) + "}");
        same("{\"a\":1." + "1".repeat(1000) + "}");
        same("{\"a\":-1" + "1".repeat(997) + "e11}");
        same("{\"a\":-1" + "1".repeat(997) + "e111}");
        same("{\"a\":1e" + "1".repeat(1000) + "}");
        assertFalse(DetailValidator.isValid("{\"a\":" + "1".repeat(20) + "}"));
        assertTrue(DetailValidator.isValid("{\"a\":" + "1".repeat(18) + "}"));
    }

    private static final String[] ATOMS = {"{", "}", "[", "]", ",", ":", "\"k\"", "\"v\\n\"", "\"\\u00e9\"", "1",
        "-2.5e3", "0", "true", "false", "null", " ", "\n", "\"", "\\", "9223372036854775808", "x", "01", "1.", "\t"};

    @Test
    void agreesWithJacksonOnGeneratedAndMutatedDocuments() {
        SplittableRandom r = new SplittableRandom(20261126);
        for (int k = 0; k < 50_000; k++) {
            String doc = k % 2 == 0 ? valid(r, 0) : soup(r);
            same(doc);
            if (doc.length() > 0) {
                StringBuilder m = new StringBuilder(doc);
                int at = r.nextInt(m.length());
                switch (r.nextInt(3)) {
                    case 0 -> m.deleteCharAt(at);
                    case 1 -> m.insert(at, ATOMS[r.nextInt(ATOMS.length)]);
                    default -> m.setCharAt(at, (char) (r.nextInt(0x80)));
                }
                same(m.toString());
            }
        }
    }

    private static String soup(SplittableRandom r) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append(ATOMS[r.nextInt(ATOMS.length)]);
        }
        return b.append(r.nextInt(4) == 0 ? "" : "}").toString();
    }

    private static String valid(SplittableRandom r, int depth) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("\"k").append(i).append("\":").append(value(r, depth + 1));
        }
        return b.append('}').toString();
    }

    private static String value(SplittableRandom r, int depth) {
        return switch (depth > 4 ? r.nextInt(5) : r.nextInt(7)) {
            case 0 -> String.valueOf(r.nextLong());
            case 1 -> String.valueOf(r.nextDouble() * 1e6);
            case 2 -> "\"s\\\"\u00e9\"";
            case 3 -> r.nextBoolean() ? "true" : "null";
            case 4 -> "-0.5E-3";
            case 5 -> valid(r, depth);
            default -> "[" + value(r, depth + 1) + ", " + value(r, depth + 1) + "]";
        };
    }
}
