package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.busbar.pattern.PatternGenerator.GeneratedPattern;
import io.busbar.pattern.PatternGenerator.J;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Robustness: whatever text is handed to the matcher, the only failures are the documented ones.
 * <ul>
 *   <li>{@link EventPattern#compile(String)} either succeeds or throws {@link InvalidEventPatternException};</li>
 *   <li>{@link RuleSet#match(byte[])} either succeeds or throws {@link InvalidEventException}, and so does
 *       {@link RuleSet#explain(String, String)};</li>
 *   <li>every pattern the {@link PatternGenerator} makes compiles, with {@code alternativeCount() >= 1} (and equal
 *       to the number of combinations its {@code $or}s expand to).</li>
 * </ul>
 * Fixed seeds, a few tens of thousands of cases per test, a few seconds each.
 */
class FuzzTest {

    private static final long SEED = 0xF022_B05BA2L;
    private static final int MAX_REPORTED = 15;

    // ------------------------------------------------------------------------------------------------------------
    // Patterns.
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void compileThrowsOnlyInvalidEventPatternException() {
        PatternGenerator g = new PatternGenerator(SEED);
        Failures failures = new Failures("EventPattern.compile");
        int accepted = 0;
        int rejected = 0;
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            inputs.add(new String(g.randomBytes(64), chooseCharset(g)));
        }
        for (int i = 0; i < 10_000; i++) {
            inputs.add(PatternGenerator.write(g.randomJson(1 + g.random().nextInt(6))));
        }
        for (int i = 0; i < 10_000; i++) {
            inputs.add(g.mutate(g.pattern().text()));
        }
        for (int depth : new int[] {50, 99, 100, 101, 200, 1_000, 10_000, 100_000}) {
            inputs.add(PatternGenerator.deeplyNested(depth, true, false, true));
            inputs.add(PatternGenerator.deeplyNested(depth, false, false, true));
            inputs.add(PatternGenerator.deeplyNested(depth, true, true, false));
            inputs.add("{\"a\":[" + "{\"anything-but\":".repeat(depth) + "1" + "}".repeat(depth) + "]}");
            inputs.add("{" + "\"$or\":[{\"a\":[1]},{".repeat(depth) + "\"b\":[2]" + "}]".repeat(depth) + "}");
        }
        inputs.addAll(List.of("", " ", "{", "}", "[]", "null", "1", "\"x\"", "{}", "{\"a\":[]}", "{\"a\":{}}",
                "{\"a\":[{}]}", "{\"a\":[{\"exactly\":\"x\"}]}", "{\"a\":[{\"numeric\":[\">\",1e400]}]}",
                "{\"a\":[{\"cidr\":\"10.0.0.0/32\"}]}", "{\"a\":[\"\\ud800\"]}", "{\"a\":[{\"wildcard\":\"\\\\\"}]}",
                "{\"a\":[1]}garbage", "{\"a\":[1]}{\"b\":[2]}", "{\"a\":[1],}", "{\"a\" [1]}", "\u0000",
                "{\"" + "a".repeat(5_000) + "\":[1]}", "{\"a\":[" + "1,".repeat(3_000) + "1]}"));
        for (String input : inputs) {
            try {
                EventPattern.compile(input);
                accepted++;
            } catch (InvalidEventPatternException e) {
                rejected++;
            } catch (Throwable t) {
                failures.add(input, t);
            }
        }
        failures.assertNone();
        assertTrue(accepted > 100 && rejected > 100, "accepted " + accepted + ", rejected " + rejected);
    }

    @Test
    void generatedPatternsCompile() {
        PatternGenerator g = new PatternGenerator(SEED + 1);
        Failures failures = new Failures("EventPattern.compile of a valid generated pattern");
        for (int i = 0; i < 20_000; i++) {
            GeneratedPattern p = g.pattern();
            try {
                EventPattern compiled = EventPattern.compile(p.text());
                if (compiled.alternativeCount() < 1) {
                    failures.add(p.text(), new AssertionError("alternativeCount() = " + compiled.alternativeCount()));
                } else if (compiled.alternativeCount() != p.alternatives()) {
                    failures.add(p.text(), new AssertionError("alternativeCount() = " + compiled.alternativeCount()
                            + ", but the $ors expand to " + p.alternatives() + " combinations"));
                }
            } catch (Throwable t) {
                failures.add(p.text(), t);
            }
        }
        failures.assertNone();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Events.
    // ------------------------------------------------------------------------------------------------------------

    /** A rule set with a variety of patterns: generated ones plus a few that read deep and wide. */
    private static RuleSet ruleSet(PatternGenerator g) {
        RuleSet rs = RuleSet.empty();
        for (int i = 0; i < 40; i++) {
            rs = rs.with("g" + i, EventPattern.compile(g.pattern().text()));
        }
        String[] extra = {
            "{\"a\":[{\"exists\":true}]}",
            "{\"a\":[{\"exists\":false}]}",
            "{\"a\":{\"a\":{\"a\":[{\"anything-but\":\"x\"}]}}}",
            "{\"detail\":{\"items\":{\"kind\":[{\"prefix\":\"\"}],\"size\":[{\"numeric\":[\">\",0]}]}}}",
            "{\"source\":[{\"exists\":false}],\"detail\":{\"count\":[{\"exists\":false}]}}",
            "{\"$or\":[{\"a\":[1]},{\"b\":[{\"wildcard\":\"*\"}]}]}",
        };
        for (int i = 0; i < extra.length; i++) {
            rs = rs.with("x" + i, EventPattern.compile(extra[i]));
        }
        return rs;
    }

    private static List<byte[]> eventInputs(PatternGenerator g, RuleSet rs) {
        List<GeneratedPattern> forHints = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            forHints.add(g.pattern());
        }
        Map<String, List<J>> hints = PatternGenerator.hints(forHints);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 8_000; i++) {
            inputs.add(g.randomBytes(96));
        }
        for (int i = 0; i < 8_000; i++) {
            inputs.add(utf8(PatternGenerator.write(g.randomJson(1 + g.random().nextInt(6)))));
        }
        for (int i = 0; i < 12_000; i++) {
            String valid = PatternGenerator.write(g.event(hints));
            inputs.add(g.random().nextInt(10) == 0 ? utf8(valid) : utf8(g.mutate(valid)));
        }
        for (int i = 0; i < 2_000; i++) {
            // valid events with a few raw bytes flipped: invalid UTF-8, stray control bytes
            byte[] b = utf8(PatternGenerator.write(g.event(hints)));
            for (int k = 0, n = 1 + g.random().nextInt(3); k < n && b.length > 0; k++) {
                b[g.random().nextInt(b.length)] = (byte) g.random().nextInt(256);
            }
            inputs.add(b);
        }
        for (int depth : new int[] {10, 100, 999, 1_000, 1_001, 5_000, 100_000}) {
            for (boolean closed : new boolean[] {true, false}) {
                inputs.add(utf8(PatternGenerator.deeplyNested(depth, true, false, closed)));
                inputs.add(utf8(PatternGenerator.deeplyNested(depth, false, false, closed)));
                inputs.add(utf8(PatternGenerator.deeplyNested(depth, false, true, closed)));
                inputs.add(utf8("{\"detail\":{\"items\":" + "[".repeat(depth) + "{\"kind\":\"a\"}"
                        + (closed ? "]".repeat(depth) + "}}" : "")));
                inputs.add(utf8("{\"zzz\":" + "[".repeat(depth) + (closed ? "]".repeat(depth) + "}" : "")));
            }
        }
        for (String s : new String[] {"", " ", "{", "}", "[]", "[1]", "null", "true", "1", "\"x\"", "{}", "{\"a\"}",
            "{\"a\":}", "{\"a\":1,}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
            "{\"a\":-}", "{\"a\":1e}", "{\"a\":1e999}", "{\"a\":-1e999}", "{\"a\":NaN}", "{\"a\":Infinity}",
            "{\"a\":\"\\ud800\"}", "{\"a\":\"\\uZZZZ\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\u0001\"}", "{\"a\":tru}",
            "{\"a\":nul}", "{a:1}", "{'a':1}", "{\"a\":1 /* c */}", "\ufeff{\"a\":1}", "{\"a\":[1,]}",
            "{\"a\":[,1]}", "{\"a\":\"" + "x".repeat(100_000) + "\"}", "{\"a\":" + "9".repeat(5_000) + "}",
            "{\"detail\":{\"count\":" + "1".repeat(400) + "e-400}}"}) {
            inputs.add(utf8(s));
        }
        inputs.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'});
        inputs.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'});
        inputs.add(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        inputs.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80,
            '"', '}'});
        return inputs;
    }

    @Test
    void matchThrowsOnlyInvalidEventException() {
        PatternGenerator g = new PatternGenerator(SEED + 2);
        RuleSet rs = ruleSet(g);
        Failures failures = new Failures("RuleSet.match");
        int[] outcomes = new int[2];
        for (byte[] input : eventInputs(g, rs)) {
            run(failures, input, outcomes, b -> rs.match(b));
        }
        failures.assertNone();
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100, "ok " + outcomes[0] + ", invalid " + outcomes[1]);
    }

    @Test
    void explainThrowsOnlyInvalidEventException() {
        PatternGenerator g = new PatternGenerator(SEED + 3);
        RuleSet rs = ruleSet(g);
        List<String> names = new ArrayList<>(rs.ruleNames());
        names.sort(null);
        Failures failures = new Failures("RuleSet.explain");
        int[] outcomes = new int[2];
        int i = 0;
        for (byte[] input : eventInputs(g, rs)) {
            if (i++ % 3 != 0) {
                continue; // a third of the inputs: explain is the slow path
            }
            String name = names.get(g.random().nextInt(names.size()));
            run(failures, input, outcomes, b -> rs.explain(name, new String(b, StandardCharsets.UTF_8)));
        }
        failures.assertNone();
        assertTrue(outcomes[0] > 100 && outcomes[1] > 100, "ok " + outcomes[0] + ", invalid " + outcomes[1]);
    }

    private static void run(Failures failures, byte[] input, int[] outcomes, Consumer<byte[]> action) {
        try {
            action.accept(input);
            outcomes[0]++;
        } catch (InvalidEventException e) {
            outcomes[1]++;
        } catch (Throwable t) {
            failures.add(printable(input), t);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers.
    // ------------------------------------------------------------------------------------------------------------

    private static java.nio.charset.Charset chooseCharset(PatternGenerator g) {
        return g.random().nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The input as text when it is valid UTF-8 (cut when long), else as hex. */
    private static String printable(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        if (java.util.Arrays.equals(s.getBytes(StandardCharsets.UTF_8), b)) {
            return cut(s);
        }
        return "hex:" + cut(HexFormat.of().formatHex(b));
    }

    private static String cut(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    /** Unexpected throwables, grouped by type and origin, with the smallest input for each group. */
    private static final class Failures {
        private final String what;
        private final Map<String, String> byKind = new LinkedHashMap<>();
        private int count;

        Failures(String what) {
            this.what = what;
        }

        void add(String input, Throwable t) {
            count++;
            StackTraceElement top = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
            String kind = t.getClass().getName() + (top == null ? "" : " at " + top);
            String shown = cut(input);
            String previous = byKind.get(kind);
            if (previous == null && byKind.size() < MAX_REPORTED
                    || previous != null && shown.length() < previous.indexOf("\n    ")) {
                byKind.put(kind, shown + "\n    " + t);
            }
        }

        void assertNone() {
            if (count == 0) {
                return;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(what).append(" threw an unexpected throwable for ").append(count).append(" input(s):");
            for (Map.Entry<String, String> e : byKind.entrySet()) {
                sb.append("\n  ").append(e.getKey()).append("\n    input: ").append(e.getValue());
            }
            fail(sb.toString());
        }
    }
}
