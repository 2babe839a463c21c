package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.busbar.pattern.PatternGenerator.GeneratedPattern;
import io.busbar.pattern.PatternGenerator.J;
import io.busbar.pattern.PatternGenerator.JArr;
import io.busbar.pattern.PatternGenerator.JLit;
import io.busbar.pattern.PatternGenerator.JObj;
import io.busbar.pattern.PatternGenerator.JStr;
import io.busbar.pattern.PatternGenerator.Member;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.MachineComplexityEvaluator;

/**
 * Differential test: Busbar's {@link RuleSet} against AWS's event-ruler 2.1.0 ({@code Machine.rulesForJSONEvent},
 * array-consistent) on generated (rule set, event) pairs, with a fixed seed.
 *
 * <p>For every pair the two engines must return the same set of rule names, and {@link RuleSet#explain} (Busbar's
 * independent reference interpreter) must agree with {@link RuleSet#match} for every rule. The generator stays away
 * from the deliberate differences listed in the spec (EVENTBRIDGE.md sections 3 and 11); see the
 * {@code knownDifference_*} filters in {@link PatternGenerator} and {@link #knownDifference_wildcardComplexityLimit}.
 * Any other disagreement fails the test with the pattern(s), the event and both results, minimised and grouped.
 *
 * <p>Disagreements found so far are also pinned as focused cases below: {@link #busbarDeparturesFromEventRuler()}
 * (Busbar departs from event-ruler where the spec follows the engine; these fail until the engine changes) and
 * {@link #eventRulerBugs()} plus the tests after it (event-ruler 2.1.0 is wrong by the spec; they pass and notice
 * an event-ruler that stops being wrong). The generated comparison does not hide the latter: it keeps reporting
 * them, so it stays red until they are either fixed or declared known differences.
 *
 * <p>event-ruler 2.1.0 also crashes on one-sided ranges from the largest double (avoided by the generator, see
 * {@link PatternGenerator#eventRulerCrash_oneSidedRangeFromDoubleMax}), trips one of its own Java assertions on
 * some valid rule sets (assertions are switched off for it below, as in production), and answers some rule sets
 * nondeterministically (reported as group {@code event-ruler-nondeterministic}).
 */
class DifferentialTest {

    static {
        // event-ruler runs without Java assertions in production; with -ea (as Surefire runs tests) an internal
        // assert in ByteMachine.addAnythingButValuesSetPattern ("nameStateChecker == nameStateToBeReturned") fires
        // on some valid rule sets. Assertion status is fixed when a class is initialised, so this must run before
        // event-ruler's classes are first used in this JVM.
        ClassLoader loader = Machine.class.getClassLoader();
        loader.setPackageAssertionStatus("software.amazon.event.ruler", false);
        loader.setPackageAssertionStatus("software.amazon.event.ruler.input", false);
    }

    private static final long SEED = 0x5EED_B05BA2L;
    // event-ruler needs up to ~5 ms to add one numeric range rule, so rule sets are reused for many events
    private static final int RULE_SETS = 2_000;
    private static final int EVENTS_PER_RULE_SET = 50;
    private static final int MAX_RULES = 8;

    /**
     * Disagreements are minimised (each with at most {@link #MINIMISE_BUDGET} evaluations) until this much time has
     * gone to minimising; the minimised cases are grouped by {@link #signature} and one example per group is shown.
     */
    private static final long MINIMISE_NANOS = 8_000_000_000L;
    /** ... and only while the test has run for less than this (keeps the run short on a busy machine). */
    private static final long MINIMISE_UNTIL_NANOS = 30_000_000_000L;
    private static final int MINIMISE_BUDGET = 2_500;

    @Test
    void busbarAgreesWithEventRuler() {
        long start = System.nanoTime();
        PatternGenerator g = new PatternGenerator(SEED);
        Stats stats = new Stats();
        Map<String, Disagreement> found = new LinkedHashMap<>();
        Map<String, Integer> perSignature = new LinkedHashMap<>();
        long minimiseNanos = 0;
        int disagreeingPairs = 0;
        int notMinimised = 0;

        for (int set = 0; set < RULE_SETS; set++) {
            int ruleCount = 1 + g.random().nextInt(MAX_RULES);
            List<GeneratedPattern> generated = new ArrayList<>();
            while (generated.size() < ruleCount) {
                GeneratedPattern p = g.pattern();
                if (knownDifference_wildcardComplexityLimit(p.text())) {
                    stats.tooComplex++;
                    continue;
                }
                generated.add(p);
            }
            List<J> patterns = new ArrayList<>();
            for (GeneratedPattern p : generated) {
                String invalid = JsonRuleCompiler.check(p.text());
                assertTrue(invalid == null, () -> "generator bug: event-ruler rejects " + p.text() + ": " + invalid);
                patterns.add(p.json());
            }
            Map<String, List<J>> hints = PatternGenerator.hints(generated);
            long t0 = System.nanoTime();
            Engines engines = new Engines(texts(patterns));
            stats.setupNanos += System.nanoTime() - t0;
            for (int e = 0; e < EVENTS_PER_RULE_SET; e++) {
                J event = g.event(hints);
                String eventText = PatternGenerator.write(event);
                long t1 = System.nanoTime();
                Result result = engines.run(eventText);
                stats.runNanos += System.nanoTime() - t1;
                stats.pairs++;
                if (result.disagreement() != null) {
                    disagreeingPairs++;
                    Disagreement d = null;
                    if (outcome(patterns, event).category() == null) {
                        d = notReproducible(patterns, event, result, engines); // always reported
                    } else if (minimiseNanos < MINIMISE_NANOS && System.nanoTime() - start < MINIMISE_UNTIL_NANOS) {
                        long m0 = System.nanoTime();
                        d = minimise(patterns, event);
                        minimiseNanos += System.nanoTime() - m0;
                    } else {
                        notMinimised++;
                    }
                    if (d != null) {
                        String sig = signature(d);
                        found.putIfAbsent(sig, d);
                        perSignature.merge(sig, 1, Integer::sum);
                    }
                    continue;
                }
                stats.record(generated, result.eventRuler(), !result.eventRuler().isEmpty());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("DifferentialTest: %d pairs (%d rule sets) in %.1f s, %d disagreeing pairs%n%s%n",
                stats.pairs, RULE_SETS, seconds, disagreeingPairs, stats.describe());

        if (!found.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(disagreeingPairs).append(" of ").append(stats.pairs)
                    .append(" (rule set, event) pairs disagree (").append(notMinimised)
                    .append(" not minimised for time); minimised, they fall into ").append(found.size())
                    .append(" group(s), one example each:\n");
            int i = 0;
            for (Map.Entry<String, Disagreement> e : found.entrySet()) {
                sb.append("\n#").append(++i).append(" (").append(perSignature.get(e.getKey()))
                        .append(" minimised pair(s) in this group; ").append(e.getKey()).append(')')
                        .append(e.getValue().describe()).append('\n');
            }
            fail(sb.toString());
        }
        assertTrue(stats.pairs >= 100_000, "pairs: " + stats.pairs);
        stats.assertHealthyMix();
    }

    /**
     * Spec 3.3.5 and 11 item 14 (a service limit, not a matching difference): EventBridge rejects a pattern whose
     * wildcards are too complex ("Rule is too complex - ..."), which event-ruler's {@code addRule} does not check
     * (the library leaves it to {@link MachineComplexityEvaluator}). A generated pattern is skipped when Busbar
     * rejects it for that reason <em>and</em> event-ruler's own evaluator also puts it above Busbar's default
     * threshold; if Busbar rejected a pattern the evaluator accepts, the pattern is kept and the test reports the
     * rejection.
     */
    static boolean knownDifference_wildcardComplexityLimit(String pattern) {
        try {
            EventPattern.compile(pattern);
            return false;
        } catch (InvalidEventPatternException e) {
            if (!e.reason().startsWith("Rule is too complex")) {
                return false;
            }
        }
        try {
            Machine m = Machine.builder().build();
            m.addRule("r", pattern);
            int limit = PatternLimits.defaults().maxWildcardComplexity();
            return m.evaluateComplexity(new MachineComplexityEvaluator(limit + 1)) > limit;
        } catch (Exception e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Minimised disagreements found by the generated comparison, as focused cases.
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Disagreements where Busbar departs from event-ruler in behaviour the spec takes from the engine (array
     * consistency, spec 3.2 item 6, is documented only by event-ruler): these fail until the engine follows.
     */
    static Stream<Arguments> busbarDeparturesFromEventRuler() {
        return Stream.of(
                // A scalar directly in an array is not an element "object" (spec 3.2 item 6 constrains fields that
                // resolve into objects in the same array), so it does not have to share an element with the
                // object fields; event-ruler matches.
                Arguments.of("scalar array element and object field of the same array",
                        "{\"a\":[\"s\"],\"a.b\":[\"x\"]}", "{\"a\":[{\"b\":\"x\"},\"s\"]}"),
                Arguments.of("scalar array element and object field of the same array (generated)",
                        "{\"detail\":{\"items\":[{\"suffix\":\"\"}]},\"detail.items\":{\"owner\":{\"id\":"
                                + "[{\"suffix\":{\"equals-ignore-case\":\"\"}}]}}}",
                        "{\"detail\":{\"items\":[{\"owner\":{\"id\":\"\"}},\"\"]}}"),
                // exists:false on a field of array elements is evaluated per element under array consistency:
                // element 0 has b = "x" and no c, so event-ruler matches.
                Arguments.of("exists:false evaluated in the same array element",
                        "{\"a\":{\"b\":[\"x\"],\"c\":[{\"exists\":false}]}}",
                        "{\"a\":[{\"b\":\"x\"},{\"c\":1}]}"),
                Arguments.of("exists:false evaluated in the same array element (generated)",
                        "{\"detail\":{\"items\":{\"sub\":{\"z\":[{\"exists\":false}]},\"owner\":{\"id\":"
                                + "[{\"suffix\":\"\"}]}}}}",
                        "{\"detail\":{\"items\":[{\"sub\":[{\"z\":\"\"}]},{\"owner\":{\"id\":\"\"}}]}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("busbarDeparturesFromEventRuler")
    void busbarAgreesWithEventRulerOnMinimisedCase(String name, String pattern, String event) {
        Result r = new Engines(List.of(pattern)).run(event);
        assertTrue(r.disagreement() == null, () -> name + "\n  pattern: " + pattern + "\n  event:   " + event
                + "\n  " + r.disagreement());
    }

    /**
     * Disagreements where event-ruler 2.1.0 is wrong by the spec; Busbar must keep the spec's answer. Each case also
     * checks that event-ruler still answers differently, so that an upgrade that fixes it is noticed.
     */
    static Stream<Arguments> eventRulerBugs() {
        return Stream.of(
                // spec 3.3.9: compared as addresses; an IPv6 address is not in an IPv4 network and vice versa
                // (event-ruler compares hex-digit strings of different lengths as ranges)
                Arguments.of("IPv4 CIDR matches an IPv6 address", "{\"a\":[{\"cidr\":\"0.0.0.0/0\"}]}",
                        "{\"a\":\"::\"}", false),
                Arguments.of("IPv4 CIDR matches an IPv6 address (not /0)", "{\"a\":[{\"cidr\":\"10.0.0.0/8\"}]}",
                        "{\"a\":\"a00::\"}", false),
                Arguments.of("IPv6 CIDR matches an IPv4 address", "{\"a\":[{\"cidr\":\"::/0\"}]}",
                        "{\"a\":\"1.2.3.4\"}", false),
                // spec 3.3.9 and 3.4: numbers never match cidr
                Arguments.of("IPv4 CIDR matches a number", "{\"a\":[{\"cidr\":\"0.0.0.0/0\"}]}", "{\"a\":300}",
                        false),
                Arguments.of("IPv6 CIDR matches a number", "{\"a\":[{\"cidr\":\"::/0\"}]}", "{\"a\":1.0}", false),
                // spec 3.3.4/3.3.5: neither matcher accepts "x"; event-ruler's combined automaton does
                Arguments.of("wildcard beside equals-ignore-case matches anything",
                        "{\"a\":[{\"wildcard\":\"*s\"},{\"equals-ignore-case\":\"u\"}]}", "{\"a\":\"x\"}", false),
                Arguments.of("anything-but wildcard beside equals-ignore-case",
                        "{\"a\":[{\"anything-but\":{\"wildcard\":\"*\"}},{\"equals-ignore-case\":\"e\"}]}",
                        "{\"a\":\"x\"}", false),
                // spec 3.2 item 9 / 3.3.2 / 3.3.3: strings compare on their value; event-ruler keeps the JSON quotes
                // around string values and operands, so an operand holding a quote can match across them
                Arguments.of("prefix of a quote matches the empty string", "{\"a\":[{\"prefix\":\"\\\"\"}]}",
                        "{\"a\":\"\"}", false),
                Arguments.of("suffix of a quote matches the empty string", "{\"a\":[{\"suffix\":\"\\\"\"}]}",
                        "{\"a\":\"\"}", false),
                Arguments.of("suffix/equals-ignore-case of a quote matches the empty string",
                        "{\"a\":[{\"suffix\":{\"equals-ignore-case\":\"\\\"\"}}]}", "{\"a\":\"\"}", false),
                Arguments.of("anything-but prefix with a quote excludes a shorter value",
                        "{\"a\":[{\"anything-but\":{\"prefix\":\"a\\\"\"}}]}", "{\"a\":\"a\"}", true),
                Arguments.of("anything-but suffix with a quote excludes a shorter value",
                        "{\"a\":[{\"anything-but\":{\"suffix\":\"\\\"a\"}}]}", "{\"a\":\"a\"}", true),
                // spec 3.3.3/3.3.5: "ê" neither ends with "è" nor ends with "é"; event-ruler's merged byte automaton
                // confuses characters that share their UTF-8 lead byte
                Arguments.of("wildcard beside suffix, characters sharing a UTF-8 lead byte",
                        "{\"a\":[{\"wildcard\":\"*é\"},{\"suffix\":\"è\"}]}", "{\"a\":\"ê\"}", false),
                Arguments.of("wildcard beside suffix, titlecase letters",
                        "{\"a\":[{\"wildcard\":\"*Ǆ\"},{\"suffix\":\"ǅ\"}]}", "{\"a\":\"ǆ\"}", false),
                // spec 3.3.6 + 3.2 item 4: "I" is not equal (ignoring case) to "σ", so the first anything-but is
                // satisfied, and the $or's second branch matches
                Arguments.of("anything-but equals-ignore-case beside anything-but wildcard, with $or",
                        "{\"account\":[{\"anything-but\":{\"equals-ignore-case\":\"σ\"}},{\"anything-but\":"
                                + "{\"wildcard\":[\"*I\"]}}],\"$or\":[{\"detail\":{\"nested\":{\"deep\":{\"x\":"
                                + "[{\"equals-ignore-case\":\".2.3.4.5\"}]}}}},{\"detail\":{\"state\":{\"status\":"
                                + "[{\"prefix\":{\"equals-ignore-case\":\"R\"}}]}}}]}",
                        "{\"detail\":{\"state\":{\"status\":\"R\"}},\"account\":\"I\"}", true),
                // spec 3.3.9 says "compared as addresses"; "::ffff:10.0.0.1" is an IPv6 literal (RFC 4291 2.2
                // form 3) that event-ruler's IPv6 regex does not accept. Busbar's answer is kept here; AWS's is
                // unverified.
                Arguments.of("IPv6 literal with an embedded IPv4 part", "{\"a\":[{\"cidr\":\"::/0\"}]}",
                        "{\"a\":\"::ffff:10.0.0.1\"}", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventRulerBugs")
    void busbarKeepsTheSpecWhereEventRulerIsWrong(String name, String pattern, String event, boolean matches) {
        Result r = new Engines(List.of(pattern)).run(event);
        assertEquals(matches, r.busbar().contains("r0"), name + ": Busbar");
        assertEquals(!matches, r.eventRuler().contains("r0"), name + ": event-ruler no longer differs");
    }

    /**
     * Two rules in one machine: event-ruler 2.1.0 also reports the second, although {@code "\"b"} does not start
     * with "ab" in any case (each rule alone is answered correctly).
     */
    @Test
    void busbarKeepsRulesApartWhereEventRulerMixesThem() {
        String r0 = "{\"account\":[{\"wildcard\":\"*x\\\\*\\\\*\"}]}";
        String r1 = "{\"account\":[{\"prefix\":{\"equals-ignore-case\":\"ab\"}}]}";
        String event = "{\"account\":\"\\\"b\"}";
        Result r = new Engines(List.of(r0, r1)).run(event);
        assertEquals(Set.of(), r.busbar());
        assertEquals(Set.of("r1"), r.eventRuler(), "event-ruler no longer differs");
    }

    /** event-ruler 2.1.0 answers this pair nondeterministically (about half of identical machines miss r0). */
    @Test
    void busbarIsDeterministicWhereEventRulerIsNot() {
        String r0 = "{\"b\":[{\"anything-but\":{\"wildcard\":\"AB\"}}],\"a\":[null]}";
        String r1 = "{\"a\":[{\"numeric\":[\">=\",-1e9,\"<=\",1.7976931348623157e308]},{\"exists\":false},null]}";
        String event = "{\"b\":[1,0.5],\"a\":null}";
        for (int i = 0; i < 20; i++) {
            assertEquals(Set.of("r0", "r1"), new Engines(List.of(r0, r1)).run(event).busbar());
        }
    }

    /**
     * Patterns event-ruler 2.1.0 cannot load although they are valid: Busbar compiles them and never matches a value
     * beyond the largest double.
     */
    @Test
    void busbarLoadsRangesEventRulerCrashesOn() {
        for (String p : List.of("{\"x\":[{\"numeric\":[\">\",1.7976931348623157e308]}]}",
                "{\"x\":[{\"numeric\":[\"<\",-1.7976931348623157e308]}]}")) {
            EventPattern compiled = EventPattern.compile(p);
            assertFalse(compiled.matches("{\"x\":1.7976931348623157e308}"), p);
            assertFalse(compiled.matches("{\"x\":-1.7976931348623157e308}"), p);
            assertFalse(compiled.matches("{\"x\":0}"), p);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Running both engines.
    // ------------------------------------------------------------------------------------------------------------

    /** Both engines loaded with the same named rules ({@code r0}, {@code r1}, ...). */
    static final class Engines {
        static long eventRulerNanos;
        static long busbarNanos;
        static long explainNanos;

        final List<String> patterns;
        final Machine machine;
        RuleSet ruleSet = RuleSet.empty();
        /** Non-null when Busbar rejected a pattern that event-ruler accepts, or when a pattern is invalid. */
        String setupProblem;
        String setupCategory;
        boolean invalidForEventRuler;

        Engines(List<String> patterns) {
            this.patterns = patterns;
            this.machine = Machine.builder().build();
            for (int i = 0; i < patterns.size(); i++) {
                String name = "r" + i;
                String p = patterns.get(i);
                if (JsonRuleCompiler.check(p) != null) {
                    invalidForEventRuler = true;
                    return;
                }
                try {
                    machine.addRule(name, p);
                } catch (Exception e) {
                    setupProblem = "event-ruler addRule threw " + e + " for " + p;
                    setupCategory = "event-ruler-addRule-threw";
                    return;
                }
                try {
                    ruleSet = ruleSet.with(name, EventPattern.compile(p));
                } catch (InvalidEventPatternException e) {
                    setupProblem = "Busbar rejects " + name + " (event-ruler accepts it): " + e.getMessage();
                    setupCategory = "busbar-rejects-pattern";
                    return;
                } catch (RuntimeException e) {
                    setupProblem = "Busbar compile threw " + e + " for " + name;
                    setupCategory = "busbar-compile-threw";
                    return;
                }
            }
        }

        Result run(String event) {
            if (invalidForEventRuler) {
                return new Result(null, null, Set.of(), Set.of(), null);
            }
            if (setupProblem != null) {
                return new Result(setupProblem, setupCategory, Set.of(), Set.of(), null);
            }
            Set<String> er;
            long t0 = System.nanoTime();
            try {
                er = new TreeSet<>(machine.rulesForJSONEvent(event));
            } catch (Exception e) {
                return new Result("event-ruler threw " + e, "event-ruler-threw", Set.of(), Set.of(), null);
            }
            long t1 = System.nanoTime();
            Set<String> bb;
            try {
                bb = new TreeSet<>(ruleSet.match(event.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                return new Result("Busbar match threw " + e, "busbar-match-threw", er, Set.of(), null);
            }
            long t2 = System.nanoTime();
            eventRulerNanos += t1 - t0;
            busbarNanos += t2 - t1;
            StringBuilder explainProblems = new StringBuilder();
            for (int i = 0; i < patterns.size(); i++) {
                String name = "r" + i;
                boolean explained;
                try {
                    explained = ruleSet.explain(name, event).matched();
                } catch (RuntimeException e) {
                    explainProblems.append(name).append(": explain threw ").append(e).append("; ");
                    continue;
                }
                if (explained != bb.contains(name)) {
                    explainProblems.append(name).append(": explain says ").append(explained ? "match" : "no match")
                            .append(" but match() says ").append(bb.contains(name) ? "match" : "no match")
                            .append("; ");
                }
            }
            explainNanos += System.nanoTime() - t2;
            String explain = explainProblems.length() == 0 ? null : explainProblems.toString();
            if (!er.equals(bb) || explain != null) {
                String d = (!er.equals(bb) ? "Busbar " + bb + " vs event-ruler " + er : "results agree " + bb)
                        + (explain != null ? "; explain/match disagree: " + explain : "");
                return new Result(d, !er.equals(bb) ? "different-rules" : "explain-vs-match", er, bb, explain);
            }
            return new Result(null, null, er, bb, null);
        }
    }

    /** The outcome of one pair; {@code disagreement} is null when all checks agree. */
    record Result(String disagreement, String category, Set<String> eventRuler, Set<String> busbar,
            String explain) {
    }

    static List<String> texts(List<J> patterns) {
        List<String> out = new ArrayList<>();
        for (J p : patterns) {
            out.add(PatternGenerator.write(p));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Minimisation.
    // ------------------------------------------------------------------------------------------------------------

    /** A minimised disagreement. */
    record Disagreement(List<String> patterns, List<J> patternTrees, String event, J eventTree, String category,
            String result, String original) {
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < patterns.size(); i++) {
                sb.append("\n  pattern r").append(i).append(": ").append(patterns.get(i));
            }
            sb.append("\n  event:      ").append(event);
            sb.append("\n  result:     ").append(result);
            sb.append("\n  category:   ").append(category);
            sb.append("\n  (before minimisation: ")
                    .append(original.length() <= 3_000 ? original : original.substring(0, 3_000) + " ...")
                    .append(')');
            return sb.toString();
        }
    }

    private static Result outcome(List<J> patterns, J event) {
        for (J p : patterns) {
            if (!(p instanceof JObj)) {
                return new Result(null, null, Set.of(), Set.of(), null);
            }
        }
        return new Engines(texts(patterns)).run(PatternGenerator.write(event));
    }

    /**
     * A disagreement seen with the engines built for the rule set but not with engines built afresh from the same
     * patterns. event-ruler 2.1.0 answers some rule sets nondeterministically (identical machines, different
     * answers), e.g. rules {@code {"b":[{"anything-but":{"wildcard":"AB"}}],"a":[null]}} and
     * {@code {"a":[{"numeric":[">=",-1e9,"<=",1.7976931348623157e308]},{"exists":false},null]}} with event
     * {@code {"b":[1,0.5],"a":null}} miss the first rule about half the time.
     */
    static Disagreement notReproducible(List<J> patterns, J event, Result seen, Engines used) {
        String text = PatternGenerator.write(event);
        Result again = used.run(text);
        Result fresh = outcome(patterns, event);
        boolean busbarStable = seen.busbar().equals(again.busbar()) && seen.busbar().equals(fresh.busbar());
        String category = busbarStable ? "event-ruler-nondeterministic" : "busbar-nondeterministic";
        return new Disagreement(texts(patterns), patterns, text, event, category,
                "engines built for the rule set: " + seen.disagreement() + "; same engines again: Busbar "
                        + again.busbar() + " event-ruler " + again.eventRuler() + "; engines built afresh: Busbar "
                        + fresh.busbar() + " event-ruler " + fresh.eventRuler(),
                "(not minimised: the answer changes between identical engines)");
    }

    /** Whether the pair still disagrees in the same way (same category), while the patterns stay valid. */
    private static boolean stillDisagrees(List<J> patterns, J event, String category) {
        return category.equals(outcome(patterns, event).category());
    }

    /** Greedy one-step shrinking of the rule set, each pattern and the event while they still disagree. */
    static Disagreement minimise(List<J> patterns, J event) {
        Result first = outcome(patterns, event);
        String original = first.disagreement();
        String category = first.category();
        String originalText = texts(patterns) + " / " + PatternGenerator.write(event) + " -> " + original;
        int budget = MINIMISE_BUDGET;
        List<J> ps = new ArrayList<>(patterns);
        J ev = event;
        // drop whole rules first
        for (int i = ps.size() - 1; i >= 0 && ps.size() > 1; i--) {
            List<J> candidate = new ArrayList<>(ps);
            candidate.remove(i);
            budget--;
            if (stillDisagrees(candidate, ev, category)) {
                ps = candidate;
            }
        }
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            // the event
            for (J smaller : PatternGenerator.shrinks(ev)) {
                if (budget-- <= 0) {
                    break;
                }
                if (smaller instanceof JObj && stillDisagrees(ps, smaller, category)) {
                    ev = smaller;
                    progress = true;
                    break;
                }
            }
            if (progress) {
                continue;
            }
            // each pattern
            outer:
            for (int i = 0; i < ps.size(); i++) {
                for (J smaller : PatternGenerator.shrinks(ps.get(i))) {
                    if (budget-- <= 0) {
                        break outer;
                    }
                    List<J> candidate = new ArrayList<>(ps);
                    candidate.set(i, smaller);
                    if (stillDisagrees(candidate, ev, category)) {
                        ps = candidate;
                        progress = true;
                        break outer;
                    }
                }
            }
        }
        Result last = outcome(ps, ev);
        return new Disagreement(texts(ps), ps, PatternGenerator.write(ev), ev, last.category(), last.disagreement(),
                originalText);
    }

    /**
     * A coarse class of a minimised disagreement, to group many hits of the same cause: its category, the features
     * of its patterns and the kinds of leaf values in its event.
     */
    static String signature(Disagreement d) {
        Set<String> features = new TreeSet<>();
        for (J p : d.patternTrees()) {
            features.addAll(features(p));
        }
        Set<String> leaves = new TreeSet<>();
        eventLeaves(d.eventTree(), leaves, false);
        return d.category() + " " + features + " event " + leaves;
    }

    private static void eventLeaves(J j, Set<String> out, boolean inArray) {
        String where = inArray ? "array:" : "";
        if (j instanceof JObj o) {
            if (o.members().isEmpty()) {
                out.add(where + "{}");
            }
            for (Member m : o.members()) {
                if (m.key().contains(".")) {
                    out.add("dotted-key");
                }
                eventLeaves(m.value(), out, false);
            }
            if (inArray) {
                out.add("array-of-objects");
            }
        } else if (j instanceof JArr a) {
            if (a.items().isEmpty()) {
                out.add(where + "[]");
            }
            for (J i : a.items()) {
                eventLeaves(i, out, true);
            }
        } else if (j instanceof JStr s) {
            String v = s.value();
            out.add(where + (v.matches("[0-9.]+") && v.contains(".") ? "ipv4-like string"
                    : v.contains(":") ? "ipv6-like string" : "string"));
        } else {
            String t = ((JLit) j).text();
            out.add(where + (t.equals("null") || t.equals("true") || t.equals("false") ? t : "number"));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Coverage statistics: every operator must both match and fail to match a reasonable number of times.
    // ------------------------------------------------------------------------------------------------------------

    static final class Stats {
        long pairs;
        long pairsMatching;
        long tooComplex;
        long setupNanos;
        long runNanos;
        long ruleEvaluations;
        long ruleMatches;
        final Map<String, long[]> byFeature = new TreeMap<>();

        void record(List<GeneratedPattern> rules, Set<String> matched, boolean any) {
            if (any) {
                pairsMatching++;
            }
            for (int i = 0; i < rules.size(); i++) {
                boolean m = matched.contains("r" + i);
                ruleEvaluations++;
                if (m) {
                    ruleMatches++;
                }
                for (String f : features(rules.get(i).json())) {
                    long[] c = byFeature.computeIfAbsent(f, k -> new long[2]);
                    c[m ? 0 : 1]++;
                }
            }
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("pairs with a match: %d of %d; rule evaluations matching: %d of %d; generated "
                    + "patterns skipped as too complex for both: %d%n", pairsMatching, pairs, ruleMatches,
                    ruleEvaluations, tooComplex));
            sb.append(String.format("time loading rules into both engines %.1f s, matching %.1f s (event-ruler "
                    + "%.1f s, Busbar match %.1f s, Busbar explain %.1f s)%n", setupNanos / 1e9, runNanos / 1e9,
                    Engines.eventRulerNanos / 1e9, Engines.busbarNanos / 1e9, Engines.explainNanos / 1e9));
            for (Map.Entry<String, long[]> e : byFeature.entrySet()) {
                sb.append(String.format("  %-28s match %8d  no match %8d%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1]));
            }
            return sb.toString();
        }

        void assertHealthyMix() {
            assertTrue(pairsMatching > pairs / 5 && pairsMatching < pairs * 4 / 5,
                    "unhealthy mix of matching pairs: " + describe());
            assertTrue(ruleMatches > ruleEvaluations / 20, "too few rule matches: " + describe());
            for (String f : FEATURES) {
                long[] c = byFeature.get(f);
                assertTrue(c != null && c[0] >= 100 && c[1] >= 100,
                        "feature " + f + " not exercised both ways: " + describe());
            }
        }
    }

    static final List<String> FEATURES = List.of("exact-string", "exact-number", "exact-true/false", "exact-null",
            "prefix", "suffix", "equals-ignore-case", "prefix-equals-ignore-case", "suffix-equals-ignore-case",
            "wildcard", "wildcard-escape", "anything-but-string", "anything-but-number", "anything-but-string-list",
            "anything-but-number-list", "anything-but-prefix", "anything-but-suffix", "anything-but-equals-ignore-case",
            "anything-but-wildcard", "numeric-one-sided", "numeric-range", "numeric-=", "exists-true", "exists-false",
            "cidr-ipv4", "cidr-ipv6", "$or", "$or-nested", "several-matchers", "dotted-key", "array-of-objects-2-fields",
            "unicode-operand");

    /** The features a pattern uses (operators and structures). */
    static Set<String> features(J pattern) {
        Set<String> out = new TreeSet<>();
        collect(pattern, out, 0, List.of());
        return out;
    }

    private static void collect(J j, Set<String> out, int orDepth, List<String> path) {
        if (!(j instanceof JObj o)) {
            return;
        }
        int itemsFields = 0;
        for (Member m : o.members()) {
            if (m.key().equals("$or")) {
                out.add(orDepth > 0 ? "$or-nested" : "$or");
                for (J b : ((JArr) m.value()).items()) {
                    collect(b, out, orDepth + 1, path);
                }
                continue;
            }
            if (m.key().contains(".")) {
                out.add("dotted-key");
            }
            List<String> p = new ArrayList<>(path);
            p.addAll(List.of(m.key().split("\\.")));
            if (p.size() > 2 && p.get(0).equals("detail") && p.get(1).equals("items")) {
                itemsFields++;
            }
            if (m.value() instanceof JObj) {
                if (p.equals(List.of("detail", "items"))) {
                    itemsFields += countLeaves(m.value());
                }
                collect(m.value(), out, orDepth, p);
            } else if (m.value() instanceof JArr a) {
                if (a.items().size() > 1) {
                    out.add("several-matchers");
                }
                for (J v : a.items()) {
                    valueFeatures(v, out);
                }
            }
        }
        if (itemsFields >= 2) {
            out.add("array-of-objects-2-fields");
        }
    }

    private static int countLeaves(J j) {
        if (j instanceof JObj o) {
            int n = 0;
            for (Member m : o.members()) {
                n += m.value() instanceof JArr ? 1 : countLeaves(m.value());
            }
            return n;
        }
        return 0;
    }

    private static void valueFeatures(J v, Set<String> out) {
        if (v instanceof JStr s) {
            out.add("exact-string");
            unicode(s.value(), out);
            return;
        }
        if (v instanceof JLit l) {
            out.add(switch (l.text()) {
                case "true", "false" -> "exact-true/false";
                case "null" -> "exact-null";
                default -> "exact-number";
            });
            return;
        }
        Member m = ((JObj) v).members().get(0);
        String op = m.key();
        J arg = m.value();
        switch (op) {
            case "prefix", "suffix" -> {
                if (arg instanceof JObj) {
                    out.add(op + "-equals-ignore-case");
                } else {
                    out.add(op);
                }
            }
            case "wildcard" -> {
                out.add("wildcard");
                if (((JStr) arg).value().contains("\\")) {
                    out.add("wildcard-escape");
                }
            }
            case "numeric" -> {
                JArr a = (JArr) arg;
                String first = ((JStr) a.items().get(0)).value();
                out.add(a.items().size() == 4 ? "numeric-range" : first.equals("=") ? "numeric-=" : "numeric-one-sided");
            }
            case "exists" -> out.add("exists-" + ((JLit) arg).text());
            case "cidr" -> out.add(((JStr) arg).value().contains(":") ? "cidr-ipv6" : "cidr-ipv4");
            case "anything-but" -> {
                if (arg instanceof JStr) {
                    out.add("anything-but-string");
                } else if (arg instanceof JLit) {
                    out.add("anything-but-number");
                } else if (arg instanceof JArr a) {
                    out.add(a.items().get(0) instanceof JStr ? "anything-but-string-list" : "anything-but-number-list");
                } else {
                    out.add("anything-but-" + ((JObj) arg).members().get(0).key());
                }
            }
            default -> out.add(op);
        }
        if (arg instanceof JStr s) {
            unicode(s.value(), out);
        }
    }

    private static void unicode(String s, Set<String> out) {
        if (s.chars().anyMatch(c -> c > 0x7f)) {
            out.add("unicode-operand");
        }
    }
}
