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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
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
 * <p>For every pair {@link RuleSet#explain} (Busbar's independent reference interpreter) must agree with
 * {@link RuleSet#match} for every rule, and the two engines should return the same set of rule names. The generator
 * stays away from the deliberate differences listed in the spec (EVENTBRIDGE.md sections 3 and 11); see the
 * {@code knownDifference_*} filters in {@link PatternGenerator} and {@link #knownDifference_wildcardComplexityLimit}.
 *
 * <p>Every rule the engines disagree on is judged on its own ({@link #judge}): Busbar's answer must not depend on
 * the other rules; event-ruler is asked again with the rule alone in several fresh machines (which exposes its
 * nondeterminism and its rules interfering with each other); otherwise the single-rule case is minimised and the
 * disagreement is attributed to a known event-ruler bug only if one of the narrow {@code eventRulerBug_*}
 * predicates confirms the cause on it (each cites the spec and a pinned focused example). Each known bug's count is
 * printed and must stay under a generous bound ({@link KnownBug}). Any disagreement no predicate explains fails the
 * test with the pattern, the event and both results, minimised and grouped.
 *
 * <p>Disagreements found so far are also pinned as focused cases below: {@link #busbarDeparturesFromEventRuler()}
 * (where Busbar used to depart from event-ruler in behaviour the spec takes from the engine; now regression tests)
 * and {@link #eventRulerBugs()} plus the tests after it (event-ruler 2.1.0 is wrong by the spec; they pass and
 * notice an event-ruler that stops being wrong, except where event-ruler is nondeterministic).
 *
 * <p>event-ruler 2.1.0 also crashes on one-sided ranges from the largest double (avoided by the generator, see
 * {@link PatternGenerator#eventRulerCrash_oneSidedRangeFromDoubleMax}) and trips one of its own Java assertions on
 * some valid rule sets (assertions are switched off for it below, as in production).
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
     * Problems other than "the engines name different rules" (explain disagreeing with match, a crash, a rejected
     * pattern) are never known differences; they are minimised (each with at most {@link #MINIMISE_BUDGET}
     * evaluations) until this much time has gone to minimising them, and reported unminimised after that.
     */
    private static final long MINIMISE_NANOS = 8_000_000_000L;
    /** ... and only while the test has run for less than this (keeps the run short on a busy machine). */
    private static final long MINIMISE_UNTIL_NANOS = 30_000_000_000L;
    private static final int MINIMISE_BUDGET = 2_500;
    /** {@code -Ddifftest.verbose=true} prints every disagreement attributed to a known event-ruler bug. */
    private static final boolean VERBOSE = Boolean.getBoolean("difftest.verbose");

    @Test
    void busbarAgreesWithEventRuler() {
        long start = System.nanoTime();
        PatternGenerator g = new PatternGenerator(SEED);
        Stats stats = new Stats();
        Map<String, Disagreement> found = new LinkedHashMap<>();
        Map<String, Integer> perSignature = new LinkedHashMap<>();
        Map<KnownBug, Integer> known = new EnumMap<>(KnownBug.class);
        Map<KnownBug, String> knownExample = new EnumMap<>(KnownBug.class);
        long minimiseNanos = 0;
        long triageNanos = 0;
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
                if (result.disagreement() == null) {
                    stats.record(generated, result.eventRuler(), !result.eventRuler().isEmpty());
                    continue;
                }
                disagreeingPairs++;
                if (result.category().equals("different-rules") && result.explain() == null) {
                    // Busbar agrees with its reference interpreter; judge every rule the engines disagree on
                    long t2 = System.nanoTime();
                    for (String name : differingRules(result)) {
                        int index = Integer.parseInt(name.substring(1));
                        Verdict v = judge(patterns, index, event, result.busbar().contains(name), engines);
                        if (v.bug() != null) {
                            if (VERBOSE) {
                                System.out.println("known event-ruler bug " + v.bug().label() + ": " + v.example()
                                        + "\n    from " + name + " " + PatternGenerator.write(patterns.get(index))
                                        + " / " + eventText);
                            }
                            known.merge(v.bug(), 1, Integer::sum);
                            knownExample.putIfAbsent(v.bug(), v.example());
                        } else {
                            String sig = signature(v.unexplained());
                            found.putIfAbsent(sig, v.unexplained());
                            perSignature.merge(sig, 1, Integer::sum);
                        }
                    }
                    triageNanos += System.nanoTime() - t2;
                    continue;
                }
                // anything else is never a known difference: always reported, minimised while time allows
                Disagreement d;
                if (outcome(patterns, event).category() == null) {
                    d = notReproducible(patterns, event, result, engines);
                } else if (minimiseNanos < MINIMISE_NANOS && System.nanoTime() - start < MINIMISE_UNTIL_NANOS) {
                    long m0 = System.nanoTime();
                    d = minimise(patterns, event);
                    minimiseNanos += System.nanoTime() - m0;
                } else {
                    notMinimised++;
                    d = new Disagreement(texts(patterns), patterns, eventText, event, result.category(),
                            result.disagreement(), "(not minimised for time)");
                }
                String sig = signature(d);
                found.putIfAbsent(sig, d);
                perSignature.merge(sig, 1, Integer::sum);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder summary = new StringBuilder();
        int explained = 0;
        List<String> overBound = new ArrayList<>();
        for (KnownBug b : KnownBug.values()) {
            int n = known.getOrDefault(b, 0);
            explained += n;
            summary.append(String.format("known event-ruler bug %s: %d disagreeing (rule set, event, rule) cases "
                    + "(bound %d)%s%n", b.label(), n, b.bound(),
                    n == 0 ? "" : "; e.g. " + knownExample.get(b)));
            if (n > b.bound()) {
                overBound.add(b.label() + ": " + n + " > " + b.bound());
            }
        }
        System.out.printf("DifferentialTest: %d pairs (%d rule sets) in %.1f s (judging disagreements %.1f s), "
                + "%d disagreeing pairs, %d disagreeing rule results explained by known event-ruler bugs%n%s%s%n",
                stats.pairs, RULE_SETS, seconds, triageNanos / 1e9, disagreeingPairs, explained, summary,
                stats.describe());

        if (!found.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append(disagreeingPairs).append(" of ").append(stats.pairs)
                    .append(" (rule set, event) pairs disagree; ").append(explained)
                    .append(" disagreeing rule results are explained by known event-ruler bugs, the rest (")
                    .append(notMinimised).append(" not minimised for time) fall into ").append(found.size())
                    .append(" group(s), one example each:\n");
            int i = 0;
            for (Map.Entry<String, Disagreement> e : found.entrySet()) {
                sb.append("\n#").append(++i).append(" (").append(perSignature.get(e.getKey()))
                        .append(" case(s) in this group; ").append(e.getKey()).append(')')
                        .append(e.getValue().describe()).append('\n');
            }
            fail(sb.toString());
        }
        assertTrue(overBound.isEmpty(), () -> "more disagreements than expected from known event-ruler bugs "
                + overBound + " (a new cause hiding behind a known one?)\n" + summary);
        assertTrue(stats.pairs >= 100_000, "pairs: " + stats.pairs);
        stats.assertHealthyMix();
    }

    /** The names of the rules exactly one engine reports. */
    private static Set<String> differingRules(Result r) {
        Set<String> out = new TreeSet<>(r.busbar());
        out.addAll(r.eventRuler());
        Set<String> both = new TreeSet<>(r.busbar());
        both.retainAll(r.eventRuler());
        out.removeAll(both);
        return out;
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
     * Disagreements where Busbar used to depart from event-ruler in behaviour the spec takes from the engine (array
     * consistency, spec 3.2 item 6, is documented only by event-ruler); Busbar now follows, and these keep it so.
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
                // spec 3.3.6 + 3.2 item 4: "è" is not "x" in any case, so the anything-but matches (as it does alone)
                Arguments.of("wildcard beside anything-but equals-ignore-case misses a match",
                        "{\"a\":[{\"wildcard\":\"*i\"},{\"anything-but\":{\"equals-ignore-case\":\"x\"}}]}",
                        "{\"a\":\"è\"}", true),
                // spec 3.2 item 6 + 3.3.8: event-ruler judges exists:false against the elements chosen by the
                // fields whose names sort before it, so renaming "b" (which matches) to "d" changes its answer:
                // the same pattern with "b" is answered "match" (see busbarDeparturesFromEventRuler)
                Arguments.of("exists:false depends on the order of field names",
                        "{\"a\":{\"d\":[\"x\"],\"c\":[{\"exists\":false}]}}", "{\"a\":[{\"d\":\"x\"},{\"c\":1}]}",
                        true),
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

    /**
     * spec 3.3.6 + 3.2 item 4: "I" is not equal (ignoring case) to "σ", so the first anything-but is satisfied, and
     * the $or's second branch matches. event-ruler 2.1.0 misses it in about half of identically built machines (a
     * machine keeps its answer; the next one built from the same rule may not), so only Busbar's answer and its
     * reference interpreter's are asserted: an assertion on event-ruler's answer would flip from run to run.
     */
    @Test
    void busbarIgnoresNondeterministicEventRuler() {
        String pattern = "{\"account\":[{\"anything-but\":{\"equals-ignore-case\":\"σ\"}},{\"anything-but\":"
                + "{\"wildcard\":[\"*I\"]}}],\"$or\":[{\"detail\":{\"nested\":{\"deep\":{\"x\":"
                + "[{\"equals-ignore-case\":\".2.3.4.5\"}]}}}},{\"detail\":{\"state\":{\"status\":"
                + "[{\"prefix\":{\"equals-ignore-case\":\"R\"}}]}}}]}";
        String event = "{\"detail\":{\"state\":{\"status\":\"R\"}},\"account\":\"I\"}";
        for (int i = 0; i < 10; i++) {
            RuleSet rs = RuleSet.empty().with("r0", EventPattern.compile(pattern));
            assertEquals(List.of("r0"), rs.match(event), "Busbar");
            assertTrue(rs.explain("r0", event).matched(), "Busbar's reference interpreter");
        }
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
    // Judging a disagreement: which engine is wrong, and why.
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The event-ruler 2.1.0 bugs a disagreement may be attributed to, each with a generous bound on how many
     * disagreeing (rule set, event, rule) cases it may explain in one run (a sudden explosion fails the test: a new
     * cause could be hiding behind a known one). Each is decided by a named predicate below that checks the cause on
     * the case itself, never by the shape of the disagreement alone; each has a focused example pinned in
     * {@link #eventRulerBugs()} or in the tests after it.
     */
    enum KnownBug {
        // bounds: well above the counts seen so far (in order: 1-4, 2-4, 98-99, 49, 6, 4, 17, 4, 34)
        /** Identical event-ruler machines answer differently ({@link #eventRulerBug_nondeterministic}). */
        NONDETERMINISTIC("nondeterministic", 30),
        /**
         * Item 7: event-ruler answers the rule alone right (in several fresh machines), but not beside the other
         * rules of the set, rebuilt afresh too (pinned: {@link #busbarKeepsRulesApartWhereEventRulerMixesThem()}).
         */
        OTHER_RULES_INTERFERE("otherRulesInterfere", 30),
        /** {@link #eventRulerBug_cidrAcrossFamilies}. */
        CIDR_ACROSS_FAMILIES("cidrAcrossFamilies", 250),
        /** {@link #eventRulerBug_cidrMatchesNumber}. */
        CIDR_MATCHES_NUMBER("cidrMatchesNumber", 150),
        /** {@link #eventRulerBug_ipv6WithEmbeddedIpv4}. */
        IPV6_WITH_EMBEDDED_IPV4("ipv6WithEmbeddedIpv4", 30),
        /** {@link #eventRulerBug_quoteInOperand}. */
        QUOTE_IN_OPERAND("quoteInOperand", 30),
        /** {@link #eventRulerBug_multiMatcherFalsePositive}. */
        MULTI_MATCHER_FALSE_POSITIVE("multiMatcherFalsePositive", 60),
        /** {@link #eventRulerBug_multiMatcherFalseNegative}. */
        MULTI_MATCHER_FALSE_NEGATIVE("multiMatcherFalseNegative", 30),
        /** {@link #eventRulerBug_existsFalseKeyOrder}. */
        EXISTS_FALSE_KEY_ORDER("existsFalseKeyOrder", 100);

        private final String label;
        private final int bound;

        KnownBug(String label, int bound) {
            this.label = label;
            this.bound = bound;
        }

        String label() {
            return label;
        }

        int bound() {
            return bound;
        }
    }

    /** Either a known event-ruler bug (with a short example) or an unexplained, minimised disagreement. */
    record Verdict(KnownBug bug, String example, Disagreement unexplained) {
        static Verdict known(KnownBug bug, J rule, J event) {
            return new Verdict(bug, shorten(PatternGenerator.write(rule)) + " / "
                    + shorten(PatternGenerator.write(event)), null);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + " ...";
    }

    /** A single-rule case: one pattern and one event. */
    record Case(J rule, J event) {
    }

    /** How many fresh event-ruler machines answer for the rule alone before the rule is minimised. */
    private static final int FRESH_MACHINES = 4;
    /** ... and how many more, as a last resort, before a disagreement is reported as unexplained. */
    private static final int MORE_FRESH_MACHINES = 24;
    private static final int MINIMISE_ONE_BUDGET = 3_000;

    /**
     * Judges rule {@code index} of a rule set on which the two engines disagree for {@code event}, Busbar answering
     * {@code busbarInSet} (and agreeing with its reference interpreter): either a known event-ruler bug, or an
     * unexplained disagreement (minimised), which fails the test.
     *
     * <ol>
     * <li>Busbar's answer for the rule must not depend on the other rules of the set.
     * <li>event-ruler answers for the rule alone, in several freshly built machines: if they do not all give the
     * same answer, event-ruler is nondeterministic; if they all agree with Busbar, the other rules of the set
     * changed event-ruler's answer (or identically built sets answer differently).
     * <li>Otherwise the single-rule case is minimised (keeping Busbar's answer and event-ruler's opposite one)
     * and each {@code eventRulerBug_*} predicate checks its cause on the minimised case.
     * <li>As a last resort, many more fresh machines are asked; any that agrees with Busbar shows nondeterminism.
     * </ol>
     */
    static Verdict judge(List<J> patterns, int index, J event, boolean busbarInSet, Engines engines) {
        J rule = patterns.get(index);
        String ruleText = PatternGenerator.write(rule);
        String eventText = PatternGenerator.write(event);
        String name = "r" + index;
        String original = texts(patterns) + " / " + eventText;
        Boolean busbar = busbar(ruleText, eventText);
        if (busbar == null || busbar != busbarInSet) {
            return new Verdict(null, null, new Disagreement(List.of(ruleText), List.of(rule), eventText, event,
                    "busbar-depends-on-other-rules", name + " in the set: Busbar "
                    + (busbarInSet ? "match" : "no match") + "; alone: "
                    + (busbar == null ? "cannot compile" : busbar ? "match" : "no match"), original));
        }
        return judgeAlone(new Case(rule, event), busbar, name, original, engines, 0);
    }

    /**
     * Judges one rule alone (see {@link #judge}). When a known bug is found on the minimised case and that bug's
     * cause can be removed from the unminimised case ({@link #removeCause}) without changing Busbar's answer, the
     * engines must then agree, or what is left is judged in turn: a real Busbar bug in the same rule and event must
     * not hide behind the event-ruler bug the minimiser happened to keep.
     */
    private static Verdict judgeAlone(Case c, boolean busbar, String name, String original, Engines engines,
            int depth) {
        String ruleText = PatternGenerator.write(c.rule());
        String eventText = PatternGenerator.write(c.event());
        int agree = 0;
        int differ = 0;
        for (int i = 0; i < FRESH_MACHINES; i++) {
            Boolean er = eventRuler(ruleText, eventText);
            if (er == null) {
                differ = -1;
                break;
            }
            if (er == busbar) {
                agree++;
            } else {
                differ++;
            }
        }
        if (eventRulerBug_nondeterministic(agree, differ)) {
            return Verdict.known(KnownBug.NONDETERMINISTIC, c.rule(), c.event());
        }
        if (differ == 0) {
            if (depth > 0) {
                return Verdict.known(KnownBug.NONDETERMINISTIC, c.rule(), c.event());
            }
            // alone, event-ruler agrees with Busbar; is it the other rules, or a nondeterministic set?
            boolean freshSet = new Engines(engines.patterns).run(eventText).eventRuler().contains(name);
            return Verdict.known(freshSet == busbar ? KnownBug.NONDETERMINISTIC : KnownBug.OTHER_RULES_INTERFERE,
                    c.rule(), c.event());
        }
        Case m = minimiseOne(c.rule(), c.event(), busbar);
        KnownBug bug = null;
        if (eventRulerBug_cidrAcrossFamilies(m, busbar)) {
            bug = KnownBug.CIDR_ACROSS_FAMILIES;
        } else if (eventRulerBug_cidrMatchesNumber(m, busbar)) {
            bug = KnownBug.CIDR_MATCHES_NUMBER;
        } else if (eventRulerBug_ipv6WithEmbeddedIpv4(m, busbar)) {
            bug = KnownBug.IPV6_WITH_EMBEDDED_IPV4;
        } else if (eventRulerBug_quoteInOperand(m, busbar)) {
            bug = KnownBug.QUOTE_IN_OPERAND;
        } else if (eventRulerBug_multiMatcherFalsePositive(m, busbar)) {
            bug = KnownBug.MULTI_MATCHER_FALSE_POSITIVE;
        } else if (eventRulerBug_multiMatcherFalseNegative(m, busbar)) {
            bug = KnownBug.MULTI_MATCHER_FALSE_NEGATIVE;
        } else if (eventRulerBug_existsFalseKeyOrder(m, busbar)) {
            bug = KnownBug.EXISTS_FALSE_KEY_ORDER;
        }
        if (bug != null) {
            for (Case rest : depth < 3 ? removeCause(bug, c) : List.<Case>of()) {
                String r = PatternGenerator.write(rest.rule());
                String e = PatternGenerator.write(rest.event());
                if (Boolean.valueOf(busbar).equals(busbar(r, e)) && eventRulerConsistently(r, e, !busbar)) {
                    Verdict v = judgeAlone(rest, busbar, name, original + " (with the cause of " + bug.label()
                            + " removed: " + r + " / " + e + ")", engines, depth + 1);
                    if (v.bug() == null) {
                        return v;
                    }
                }
            }
            return Verdict.known(bug, m.rule(), m.event());
        }
        String mRule = PatternGenerator.write(m.rule());
        String mEvent = PatternGenerator.write(m.event());
        for (int i = 0; i < MORE_FRESH_MACHINES; i++) {
            if (Boolean.valueOf(busbar).equals(eventRuler(ruleText, eventText))
                    || Boolean.valueOf(busbar).equals(eventRuler(mRule, mEvent))) {
                return Verdict.known(KnownBug.NONDETERMINISTIC, c.rule(), c.event());
            }
        }
        return new Verdict(null, null, new Disagreement(List.of(mRule), List.of(m.rule()), mEvent, m.event(),
                "unexplained", "rule " + name + " alone: Busbar " + (busbar ? "match" : "no match")
                + ", event-ruler (" + (FRESH_MACHINES + MORE_FRESH_MACHINES) + " fresh machines) "
                + (busbar ? "no match" : "match"), original));
    }

    /**
     * The unminimised case with the cause of a known bug taken out in each of the ways that can be done for it
     * (none for some bugs): for cidr bugs, the cidr matchers that see values of the wrong kind replaced by a value
     * nothing matches, or those values removed from the event; IPv6 literals with an IPv4 part spelled in hex;
     * quotes replaced.
     */
    static List<Case> removeCause(KnownBug bug, Case c) {
        return switch (bug) {
            case CIDR_ACROSS_FAMILIES, CIDR_MATCHES_NUMBER -> {
                Map<J, List<J>> wrong = wrongCidrValues(c, bug == KnownBug.CIDR_MATCHES_NUMBER ? NUMBER : WRONG_FAMILY);
                Set<J> values = Collections.newSetFromMap(new IdentityHashMap<>());
                wrong.values().forEach(values::addAll);
                yield List.of(new Case(replaceMatchers(c.rule(), m -> wrong.containsKey(m) ? NEVER_MATCHES : m),
                        c.event()), new Case(c.rule(), removeLeaves(c.event(), values)));
            }
            case IPV6_WITH_EMBEDDED_IPV4 -> List.of(new Case(c.rule(), mapStrings(c.event(), s -> {
                String hex = s.contains(":") && s.contains(".") ? hexOnly(s) : null;
                return hex == null ? s : hex;
            }, false)));
            case QUOTE_IN_OPERAND -> anyString(c.rule(), s -> s.contains("'"))
                    || anyString(c.event(), s -> s.contains("'")) ? List.of()
                    : List.of(new Case(mapStrings(c.rule(), s -> s.replace('"', '\''), true),
                            mapStrings(c.event(), s -> s.replace('"', '\''), true)));
            default -> List.of();
        };
    }

    /**
     * Item 9 of the known event-ruler bugs: identically built event-ruler 2.1.0 machines answer differently for the
     * same rule and event (a machine answers consistently; the next one built from the same rule may not). Focused
     * example {@link #busbarIsDeterministicWhereEventRulerIsNot()} and the {@code $or} case in
     * {@link #busbarIgnoresNondeterministicEventRuler()}. Spec 3.2: a pattern's meaning depends only on the
     * pattern and the event.
     */
    static boolean eventRulerBug_nondeterministic(int freshMachinesAgreeing, int freshMachinesDiffering) {
        return freshMachinesAgreeing > 0 && freshMachinesDiffering > 0;
    }

    /**
     * Spec 3.3.9 (the event value must be an IP address of the pattern's family, compared as addresses): event-ruler
     * 2.1.0 compares hex-digit strings of different lengths as ranges, so {@code {"cidr":"0.0.0.0/0"}} matches
     * {@code "::"} and {@code "1:db8::"}, and {@code {"cidr":"::/0"}} matches {@code "1.2.3.4"} (pinned: "IPv4 CIDR
     * matches an IPv6 address", "IPv6 CIDR matches an IPv4 address"). Checked on the minimised case: event-ruler
     * matches and Busbar does not; at the path of some cidr matcher the event holds an IP literal of the other
     * family; event-ruler matches that cidr matcher alone against that value alone; and with those cidr matchers
     * replaced by a value nothing matches, event-ruler agrees with Busbar.
     */
    static boolean eventRulerBug_cidrAcrossFamilies(Case c, boolean busbar) {
        return !busbar && cidrMisfires(c, WRONG_FAMILY);
    }

    /**
     * Spec 3.4 (cidr: numbers never match) and 3.3.9: event-ruler 2.1.0 matches numbers against cidr patterns,
     * e.g. {@code {"cidr":"0.0.0.0/0"}} matches {@code 300} or {@code 1e2} (pinned: "IPv4 CIDR matches a number",
     * "IPv6 CIDR matches a number"). Checked as {@link #eventRulerBug_cidrAcrossFamilies}, for a number at the path.
     */
    static boolean eventRulerBug_cidrMatchesNumber(Case c, boolean busbar) {
        return !busbar && cidrMisfires(c, NUMBER);
    }

    /** An event value that is an IP literal of the other family than a cidr operand. */
    private static final BiPredicate<J, String> WRONG_FAMILY = (leaf, cidr) -> leaf instanceof JStr s
            && (cidr.contains(":") ? isIpv4(s.value()) : isIpv6(s.value()));
    /** An event value that is a number. */
    private static final BiPredicate<J, String> NUMBER = (leaf, cidr) -> isNumber(leaf);

    /** The cidr matchers of the pattern and the event values at their paths that are of the wrong kind. */
    private static Map<J, List<J>> wrongCidrValues(Case c, BiPredicate<J, String> wrongValue) {
        Map<J, List<J>> out = new IdentityHashMap<>();
        for (Cond cond : conditions(c.rule())) {
            if (cond.matcher() instanceof JObj o && o.members().size() == 1
                    && o.members().get(0).key().equals("cidr") && o.members().get(0).value() instanceof JStr op) {
                for (J leaf : leaves(c.event(), cond.path())) {
                    if (wrongValue.test(leaf, op.value())) {
                        out.computeIfAbsent(cond.matcher(), k -> new ArrayList<>()).add(leaf);
                    }
                }
            }
        }
        return out;
    }

    private static boolean cidrMisfires(Case c, BiPredicate<J, String> wrongValue) {
        Map<J, List<J>> misfiring = wrongCidrValues(c, wrongValue);
        if (misfiring.isEmpty()) {
            return false;
        }
        for (Map.Entry<J, List<J>> e : misfiring.entrySet()) {
            for (J leaf : e.getValue()) {
                // event-ruler, on that cidr matcher and that value alone, matches; Busbar does not
                String p = "{\"a\":[" + PatternGenerator.write(e.getKey()) + "]}";
                String ev = "{\"a\":" + PatternGenerator.write(leaf) + "}";
                if (!eventRulerConsistently(p, ev, true) || !Boolean.FALSE.equals(busbar(p, ev))) {
                    return false;
                }
            }
        }
        // ... and without those cidr matchers the engines agree
        J neutral = replaceMatchers(c.rule(), m -> misfiring.containsKey(m) ? NEVER_MATCHES : m);
        return agreeAfterChange(neutral, c.event(), false);
    }

    /** The event without the given values (by identity): array elements dropped, object members dropped. */
    static J removeLeaves(J j, Set<J> remove) {
        if (j instanceof JObj o) {
            List<Member> ms = new ArrayList<>();
            for (Member m : o.members()) {
                if (!remove.contains(m.value())) {
                    ms.add(new Member(m.key(), removeLeaves(m.value(), remove)));
                }
            }
            return new JObj(ms);
        }
        if (j instanceof JArr a) {
            List<J> items = new ArrayList<>();
            for (J i : a.items()) {
                if (!remove.contains(i)) {
                    items.add(removeLeaves(i, remove));
                }
            }
            return new JArr(items);
        }
        return j;
    }

    /**
     * Spec 3.3.9 ("compared as addresses") and RFC 4291 section 2.2 form 3: {@code "::ffff:10.0.0.1"} is an IPv6
     * literal, which event-ruler 2.1.0's IPv6 regex does not accept, so {@code {"cidr":"::/0"}} does not match it
     * (pinned: "IPv6 literal with an embedded IPv4 part"; Busbar's answer is kept, AWS's is unverified). Checked on
     * the minimised case: Busbar matches and event-ruler does not; at the path of some IPv6 cidr matcher the event
     * holds an IPv6 literal with an embedded IPv4 part; spelling that address in hex digits only ({@code
     * "::ffff:a00:1"}) makes event-ruler agree with Busbar (and leaves Busbar's answer unchanged).
     */
    static boolean eventRulerBug_ipv6WithEmbeddedIpv4(Case c, boolean busbar) {
        if (!busbar) {
            return false;
        }
        Map<String, String> respell = new HashMap<>();
        for (Cond cond : conditions(c.rule())) {
            if (cond.matcher() instanceof JObj o && o.members().size() == 1
                    && o.members().get(0).key().equals("cidr") && o.members().get(0).value() instanceof JStr op
                    && op.value().contains(":")) {
                for (J leaf : leaves(c.event(), cond.path())) {
                    if (leaf instanceof JStr s && s.value().contains(".") && isIpv6(s.value())) {
                        String hex = hexOnly(s.value());
                        if (hex != null) {
                            respell.put(s.value(), hex);
                        }
                    }
                }
            }
        }
        if (respell.isEmpty()) {
            return false;
        }
        J event = mapStrings(c.event(), s -> respell.getOrDefault(s, s), false);
        return agreeAfterChange(c.rule(), event, true);
    }

    /**
     * Spec 3.2 item 9, 3.3.2, 3.3.3, 3.3.6 (strings compare on their value): event-ruler 2.1.0 keeps the JSON quotes
     * around string values and operands, so an operand holding a quote can match across them: {@code {"prefix":"\""}},
     * {@code {"suffix":"\""}} and suffix equals-ignore-case {@code "\""} match {@code ""}; anything-but prefix
     * {@code "a\""} and suffix {@code "\"a"} exclude {@code "a"} (pinned: "prefix of a quote matches the empty
     * string" and the four cases after it). Checked on the minimised case: an operand of prefix, suffix or
     * anything-but contains {@code "}, and replacing {@code "} by {@code '} in every string of the pattern and the
     * event (a consistent renaming of one character, which leaves string comparisons unchanged) keeps Busbar's
     * answer and makes event-ruler agree with it.
     */
    static boolean eventRulerBug_quoteInOperand(Case c, boolean busbar) {
        boolean quoted = false;
        for (Cond cond : conditions(c.rule())) {
            if (cond.matcher() instanceof JObj o && o.members().size() == 1
                    && Set.of("prefix", "suffix", "anything-but").contains(o.members().get(0).key())
                    && anyString(o.members().get(0).value(), s -> s.contains("\""))) {
                quoted = true;
            }
        }
        if (!quoted || anyString(c.rule(), s -> s.contains("'")) || anyString(c.event(), s -> s.contains("'"))) {
            return false;
        }
        return agreeAfterChange(mapStrings(c.rule(), s -> s.replace('"', '\''), true),
                mapStrings(c.event(), s -> s.replace('"', '\''), true), busbar);
    }

    /**
     * Spec 3.2 item 4 and 3.3.11 (matchers in one value array are OR'ed): event-ruler 2.1.0 merges the matchers of
     * one value array into one byte automaton that can accept values none of them accepts, e.g.
     * {@code [{"wildcard":"*s"},{"equals-ignore-case":"u"}]} matches {@code "x"}, {@code [{"wildcard":"*é"},
     * {"suffix":"è"}]} matches {@code "ê"} (pinned: "wildcard beside equals-ignore-case matches anything" and the
     * cases after it). Checked on the minimised case: event-ruler matches and Busbar does not, and for some value
     * array of the pattern, keeping any single one of its matchers (removing all others) gives a pattern on which
     * event-ruler agrees with Busbar (and Busbar answers "no match" for each), so event-ruler's own answers violate
     * the OR.
     */
    static boolean eventRulerBug_multiMatcherFalsePositive(Case c, boolean busbar) {
        return !busbar && orOfSingleMatchersAgrees(c, busbar);
    }

    /**
     * Spec 3.2 item 4 and 3.3.11, the other way round (the missed match of item 8): beside a wildcard starting with
     * {@code *}, event-ruler 2.1.0 loses matches of an anything-but equals-ignore-case, e.g. {@code [{"wildcard":"*i"},
     * {"anything-but":{"equals-ignore-case":"x"}}]} does not match {@code "è"} although the anything-but alone does
     * (pinned: "wildcard beside anything-but equals-ignore-case misses a match"). Checked on the minimised case:
     * Busbar matches and event-ruler does not, and for some value array of the pattern, keeping any single one of
     * its matchers gives a pattern on which event-ruler agrees with Busbar, Busbar matching for at least one of them.
     */
    static boolean eventRulerBug_multiMatcherFalseNegative(Case c, boolean busbar) {
        return busbar && orOfSingleMatchersAgrees(c, busbar);
    }

    /**
     * Whether some value array of the pattern with two or more matchers is such that, for each of its matchers
     * kept alone, event-ruler agrees with Busbar, and the OR of Busbar's answers is {@code busbar}.
     */
    private static boolean orOfSingleMatchersAgrees(Case c, boolean busbar) {
        for (JArr values : valueArrays(c.rule())) {
            if (values.items().size() < 2) {
                continue;
            }
            boolean allAgree = true;
            boolean any = false;
            for (J keep : values.items()) {
                J single = replaceArray(c.rule(), values, new JArr(List.of(keep)));
                Boolean b = busbar(PatternGenerator.write(single), PatternGenerator.write(c.event()));
                if (b == null || !agreeAfterChange(single, c.event(), b)) {
                    allAgree = false;
                    break;
                }
                any |= b;
            }
            if (allAgree && any == busbar) {
                return true;
            }
        }
        return false;
    }

    /**
     * Spec 3.2 item 6 (fields of objects in one array must be satisfied by the same element) and 3.3.8: event-ruler
     * 2.1.0 visits a pattern's fields in the sorted order of their names and judges {@code exists:false} against
     * the array elements chosen by the fields visited before it, so its answer depends on how the fields are named:
     * {@code {"a":{"b":["x"],"c":[{"exists":false}]}}} matches {@code {"a":[{"b":"x"},{"c":1}]}} but the same
     * pattern with {@code b} renamed {@code d} does not match the same event with {@code b} renamed {@code d}
     * (pinned: "exists:false depends on the order of field names"). Busbar judges exists:false within the element
     * the other conditions matched, whatever the names. Checked on the minimised case: Busbar matches and event-ruler
     * does not; the pattern has an exists:false matcher whose path goes through an array of objects in the event;
     * renaming every field name in the pattern and the event consistently so that their sorted order is reversed
     * keeps Busbar's answer and makes event-ruler agree with it.
     */
    static boolean eventRulerBug_existsFalseKeyOrder(Case c, boolean busbar) {
        if (!busbar) {
            return false;
        }
        boolean inArray = false;
        for (Cond cond : conditions(c.rule())) {
            if (cond.matcher() instanceof JObj o && o.members().size() == 1
                    && o.members().get(0).key().equals("exists")
                    && o.members().get(0).value() instanceof JLit l && l.text().equals("false")
                    && throughArrayOfObjects(c.event(), cond.path())) {
                inArray = true;
            }
        }
        if (!inArray) {
            return false;
        }
        Set<String> names = new TreeSet<>();
        if (!fieldNames(c.rule(), true, names) || !fieldNames(c.event(), false, names)) {
            return false;
        }
        List<String> sorted = new ArrayList<>(names);
        Map<String, String> reversed = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            reversed.put(sorted.get(i), String.format("k%04d", sorted.size() - 1 - i));
        }
        return agreeAfterChange(renameFields(c.rule(), reversed, true), renameFields(c.event(), reversed, false),
                busbar);
    }

    /**
     * Whether, after a change to the case that must not change Busbar's answer {@code busbar} (or, for a
     * neutralised matcher, cannot turn a non-match into a match), Busbar still answers {@code busbar} and event-ruler
     * (two fresh machines) now agrees.
     */
    private static boolean agreeAfterChange(J rule, J event, boolean busbar) {
        String r = PatternGenerator.write(rule);
        String e = PatternGenerator.write(event);
        return Boolean.valueOf(busbar).equals(busbar(r, e)) && eventRulerConsistently(r, e, busbar);
    }

    /** A value no pattern or event of the generator holds. */
    private static final J NEVER_MATCHES = PatternGenerator.str("no-such-value");

    // --- the two engines on one rule ---

    /**
     * Busbar's answer for one rule, or null if Busbar rejects the pattern (or the event); its reference interpreter
     * must agree.
     */
    static Boolean busbar(String pattern, String event) {
        RuleSet rs;
        try {
            rs = RuleSet.empty().with("r0", EventPattern.compile(pattern));
        } catch (InvalidEventPatternException e) {
            return null;
        }
        boolean m;
        try {
            m = rs.match(event.getBytes(StandardCharsets.UTF_8)).contains("r0");
        } catch (InvalidEventException e) {
            return null;
        }
        boolean explained = rs.explain("r0", event).matched();
        assertEquals(m, explained, () -> "Busbar's match and explain disagree\n  pattern: " + pattern
                + "\n  event:   " + event);
        return m;
    }

    /** event-ruler's answer for one rule in a freshly built machine, or null if it cannot answer. */
    static Boolean eventRuler(String pattern, String event) {
        if (JsonRuleCompiler.check(pattern) != null) {
            return null;
        }
        try {
            Machine m = Machine.builder().build();
            m.addRule("r0", pattern);
            return m.rulesForJSONEvent(event).contains("r0");
        } catch (Exception e) {
            return null;
        }
    }

    /** Whether two freshly built event-ruler machines both answer {@code expected}. */
    private static boolean eventRulerConsistently(String pattern, String event, boolean expected) {
        return Boolean.valueOf(expected).equals(eventRuler(pattern, event))
                && Boolean.valueOf(expected).equals(eventRuler(pattern, event));
    }

    /** One rule loaded into both engines once, for trying many events. */
    private static final class OneRule {
        final Machine machine;
        final RuleSet ruleSet;

        private OneRule(Machine machine, RuleSet ruleSet) {
            this.machine = machine;
            this.ruleSet = ruleSet;
        }

        /** Null if either engine rejects the pattern, or it strays into a deliberate difference. */
        static OneRule of(J rule) {
            if (!(rule instanceof JObj)
                    || anyExactString(rule, PatternGenerator::knownDifference_exactStringLooksLikeIp)) {
                return null;
            }
            String text = PatternGenerator.write(rule);
            if (JsonRuleCompiler.check(text) != null || knownDifference_wildcardComplexityLimit(text)) {
                return null;
            }
            try {
                Machine m = Machine.builder().build();
                m.addRule("r0", text);
                return new OneRule(m, RuleSet.empty().with("r0", EventPattern.compile(text)));
            } catch (Exception e) {
                return null;
            }
        }

        /** Whether Busbar still answers {@code busbar} and event-ruler the opposite. */
        boolean disagrees(J event, boolean busbar) {
            if (!(event instanceof JObj)) {
                return false;
            }
            String text = PatternGenerator.write(event);
            try {
                return ruleSet.match(text.getBytes(StandardCharsets.UTF_8)).contains("r0") == busbar
                        && machine.rulesForJSONEvent(text).contains("r0") != busbar;
            } catch (Exception e) {
                return false;
            }
        }
    }

    /**
     * Greedy shrinking of one rule and its event while Busbar keeps its answer and event-ruler keeps the opposite one
     * (the machine is reused while the event shrinks, so that a nondeterministic machine does not steer the search).
     */
    static Case minimiseOne(J rule, J event, boolean busbar) {
        int budget = MINIMISE_ONE_BUDGET;
        J r = rule;
        J e = event;
        OneRule engines = OneRule.of(r);
        if (engines == null || !engines.disagrees(e, busbar)) {
            return new Case(rule, event);
        }
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            // the event: one pass over its shrinks, continuing after each accepted one
            List<J> candidates = PatternGenerator.shrinks(e);
            for (int i = 0; i < candidates.size() && budget > 0; i++) {
                budget--;
                if (engines.disagrees(candidates.get(i), busbar)) {
                    e = candidates.get(i);
                    candidates = PatternGenerator.shrinks(e);
                    i--;
                    progress = true;
                }
            }
            // the rule
            candidates = PatternGenerator.shrinks(r);
            for (int i = 0; i < candidates.size() && budget > 0; i++) {
                budget -= 3;
                OneRule smaller = OneRule.of(candidates.get(i));
                if (smaller != null && smaller.disagrees(e, busbar)) {
                    r = candidates.get(i);
                    engines = smaller;
                    candidates = PatternGenerator.shrinks(r);
                    i--;
                    progress = true;
                }
            }
        }
        return new Case(r, e);
    }

    // --- looking into patterns and events ---

    /** One element of a value array of a pattern, with the field path it applies to. */
    record Cond(List<String> path, J matcher) {
    }

    /** Every element of every value array of the pattern, through {@code $or} and dotted keys. */
    static List<Cond> conditions(J pattern) {
        List<Cond> out = new ArrayList<>();
        conditions(pattern, List.of(), out);
        return out;
    }

    private static void conditions(J j, List<String> path, List<Cond> out) {
        if (!(j instanceof JObj o)) {
            return;
        }
        for (Member m : o.members()) {
            if (m.key().equals("$or") && m.value() instanceof JArr branches) {
                for (J b : branches.items()) {
                    conditions(b, path, out);
                }
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.addAll(List.of(m.key().split("\\.", -1)));
            if (m.value() instanceof JArr values) {
                for (J v : values.items()) {
                    out.add(new Cond(p, v));
                }
            } else {
                conditions(m.value(), p, out);
            }
        }
    }

    /** The value arrays of a pattern (the objects themselves, for {@link #replaceArray}). */
    static List<JArr> valueArrays(J pattern) {
        List<JArr> out = new ArrayList<>();
        valueArrays(pattern, out);
        return out;
    }

    private static void valueArrays(J j, List<JArr> out) {
        if (j instanceof JObj o) {
            for (Member m : o.members()) {
                if (m.key().equals("$or") && m.value() instanceof JArr branches) {
                    branches.items().forEach(b -> valueArrays(b, out));
                } else if (m.value() instanceof JArr values) {
                    out.add(values);
                } else {
                    valueArrays(m.value(), out);
                }
            }
        }
    }

    /** The pattern with one value array (by identity) replaced. */
    static J replaceArray(J j, JArr target, JArr replacement) {
        if (!(j instanceof JObj o)) {
            return j;
        }
        List<Member> ms = new ArrayList<>();
        for (Member m : o.members()) {
            J v = m.value();
            if (m.key().equals("$or") && v instanceof JArr branches) {
                List<J> bs = new ArrayList<>();
                branches.items().forEach(b -> bs.add(replaceArray(b, target, replacement)));
                v = new JArr(bs);
            } else if (v == target) {
                v = replacement;
            } else if (v instanceof JObj) {
                v = replaceArray(v, target, replacement);
            }
            ms.add(new Member(m.key(), v));
        }
        return new JObj(ms);
    }

    /** The pattern with every value-array element mapped (the same object where the map keeps it). */
    static J replaceMatchers(J pattern, UnaryOperator<J> f) {
        J out = pattern;
        for (JArr values : valueArrays(pattern)) {
            List<J> items = new ArrayList<>();
            values.items().forEach(v -> items.add(f.apply(v)));
            out = replaceArray(out, values, new JArr(items));
        }
        return out;
    }

    /** The leaf values of the event at a path (arrays are transparent, dotted keys split). */
    static List<J> leaves(J event, List<String> path) {
        List<J> out = new ArrayList<>();
        leaves(event, path, out);
        return out;
    }

    private static void leaves(J j, List<String> rest, List<J> out) {
        if (j instanceof JArr a) {
            a.items().forEach(i -> leaves(i, rest, out));
        } else if (j instanceof JObj o) {
            for (Member m : o.members()) {
                List<String> key = List.of(m.key().split("\\.", -1));
                if (rest.size() >= key.size() && rest.subList(0, key.size()).equals(key)) {
                    leaves(m.value(), rest.subList(key.size(), rest.size()), out);
                }
            }
        } else if (rest.isEmpty()) {
            out.add(j);
        }
    }

    /** Whether the event has, strictly above the path's leaf, an array holding an object on that path. */
    static boolean throughArrayOfObjects(J j, List<String> rest) {
        if (j instanceof JArr a) {
            boolean objects = !rest.isEmpty() && a.items().stream().anyMatch(i -> i instanceof JObj);
            return objects || a.items().stream().anyMatch(i -> throughArrayOfObjects(i, rest));
        }
        if (j instanceof JObj o) {
            for (Member m : o.members()) {
                List<String> key = List.of(m.key().split("\\.", -1));
                if (rest.size() >= key.size() && rest.subList(0, key.size()).equals(key)
                        && throughArrayOfObjects(m.value(), rest.subList(key.size(), rest.size()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Collects the field names (dotted keys split); false if a name is empty. */
    private static boolean fieldNames(J j, boolean pattern, Set<String> out) {
        if (j instanceof JObj o) {
            for (Member m : o.members()) {
                if (pattern && m.key().equals("$or")) {
                    for (J b : ((JArr) m.value()).items()) {
                        if (!fieldNames(b, true, out)) {
                            return false;
                        }
                    }
                    continue;
                }
                for (String s : m.key().split("\\.", -1)) {
                    if (s.isEmpty()) {
                        return false;
                    }
                    out.add(s);
                }
                if (!(pattern && m.value() instanceof JArr) && !fieldNames(m.value(), pattern, out)) {
                    return false;
                }
            }
        } else if (j instanceof JArr a && !pattern) {
            for (J i : a.items()) {
                if (!fieldNames(i, false, out)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Field names renamed (dotted keys part by part); in a pattern, value arrays are left alone. */
    private static J renameFields(J j, Map<String, String> names, boolean pattern) {
        if (j instanceof JObj o) {
            List<Member> ms = new ArrayList<>();
            for (Member m : o.members()) {
                if (pattern && m.key().equals("$or")) {
                    List<J> branches = new ArrayList<>();
                    ((JArr) m.value()).items().forEach(b -> branches.add(renameFields(b, names, true)));
                    ms.add(new Member("$or", new JArr(branches)));
                    continue;
                }
                List<String> parts = new ArrayList<>();
                for (String s : m.key().split("\\.", -1)) {
                    parts.add(names.get(s));
                }
                J v = pattern && m.value() instanceof JArr ? m.value() : renameFields(m.value(), names, pattern);
                ms.add(new Member(String.join(".", parts), v));
            }
            return new JObj(ms);
        }
        if (j instanceof JArr a && !pattern) {
            List<J> items = new ArrayList<>();
            a.items().forEach(i -> items.add(renameFields(i, names, false)));
            return new JArr(items);
        }
        return j;
    }

    /** Every string value (and, if {@code keys}, every key) mapped. */
    static J mapStrings(J j, UnaryOperator<String> f, boolean keys) {
        if (j instanceof JObj o) {
            List<Member> ms = new ArrayList<>();
            for (Member m : o.members()) {
                ms.add(new Member(keys ? f.apply(m.key()) : m.key(), mapStrings(m.value(), f, keys)));
            }
            return new JObj(ms);
        }
        if (j instanceof JArr a) {
            List<J> items = new ArrayList<>();
            a.items().forEach(i -> items.add(mapStrings(i, f, keys)));
            return new JArr(items);
        }
        if (j instanceof JStr s) {
            return new JStr(f.apply(s.value()), s.escapeNonAscii());
        }
        return j;
    }

    /** Whether some string (value or key) in the tree satisfies {@code p}. */
    static boolean anyString(J j, Predicate<String> p) {
        if (j instanceof JObj o) {
            return o.members().stream().anyMatch(m -> p.test(m.key()) || anyString(m.value(), p));
        }
        if (j instanceof JArr a) {
            return a.items().stream().anyMatch(i -> anyString(i, p));
        }
        return j instanceof JStr s && p.test(s.value());
    }

    /** Whether some exact string operand (a string directly in a value array) satisfies {@code p}. */
    private static boolean anyExactString(J pattern, Predicate<String> p) {
        for (Cond c : conditions(pattern)) {
            if (c.matcher() instanceof JStr s && p.test(s.value())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(J leaf) {
        return leaf instanceof JLit l && !Set.of("true", "false", "null").contains(l.text());
    }

    private static final java.util.regex.Pattern STRICT_IPV4 = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    /** An IPv4 literal in dotted-quad form, no leading zeros (independently of Busbar's parser). */
    static boolean isIpv4(String s) {
        return STRICT_IPV4.matcher(s).matches();
    }

    /** An IPv6 literal (RFC 4291 text forms, as {@link InetAddress} parses them; no name lookup). */
    static boolean isIpv6(String s) {
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(s);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv6 literal ending in a dotted IPv4 part, spelled with hex groups only; null if it is not one. */
    static String hexOnly(String s) {
        int colon = s.lastIndexOf(':');
        String v4 = s.substring(colon + 1);
        if (!isIpv4(v4)) {
            return null;
        }
        String[] o = v4.split("\\.");
        int hi = Integer.parseInt(o[0]) << 8 | Integer.parseInt(o[1]);
        int lo = Integer.parseInt(o[2]) << 8 | Integer.parseInt(o[3]);
        String hex = s.substring(0, colon + 1) + Integer.toHexString(hi) + ":" + Integer.toHexString(lo);
        return isIpv6(hex) ? hex : null;
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
