package io.busbar.pattern;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * Differential test: Busbar's {@link RuleSet} against AWS's event-ruler 2.1.0 ({@code Machine.rulesForJSONEvent},
 * array-consistent) on generated (rule set, event) pairs, with a fixed seed.
 *
 * <p>For every pair the two engines must return the same set of rule names, and {@link RuleSet#explain} (Busbar's
 * independent reference interpreter) must agree with {@link RuleSet#match} for every rule. The generator stays away
 * from the deliberate differences listed in the spec (EVENTBRIDGE.md sections 3 and 11); see the
 * {@code knownDifference_*} filters in {@link PatternGenerator}. Any other disagreement fails the test with the
 * pattern(s), the event and both results, minimised.
 */
class DifferentialTest {

    private static final long SEED = 0x5EED_B05BA2L;
    // event-ruler needs up to ~5 ms to add one numeric range rule, so rule sets are reused for many events
    private static final int RULE_SETS = 2_000;
    private static final int EVENTS_PER_RULE_SET = 50;
    private static final int MAX_RULES = 8;

    /** At most this many disagreements are minimised (each costs up to {@link #MINIMISE_BUDGET} evaluations). */
    private static final int MAX_MINIMISED = 12;
    private static final int MINIMISE_BUDGET = 2_500;

    @Test
    void busbarAgreesWithEventRuler() {
        long start = System.nanoTime();
        PatternGenerator g = new PatternGenerator(SEED);
        Stats stats = new Stats();
        List<Disagreement> found = new ArrayList<>();
        Set<String> distinct = new LinkedHashSet<>();
        int disagreeingPairs = 0;

        for (int set = 0; set < RULE_SETS; set++) {
            int ruleCount = 1 + g.random().nextInt(MAX_RULES);
            List<GeneratedPattern> generated = new ArrayList<>();
            for (int r = 0; r < ruleCount; r++) {
                generated.add(g.pattern());
            }
            List<J> patterns = new ArrayList<>();
            for (GeneratedPattern p : generated) {
                String invalid = JsonRuleCompiler.check(p.text());
                assertTrue(invalid == null, () -> "generator bug: event-ruler rejects " + p.text() + ": " + invalid);
                patterns.add(p.json());
            }
            Map<String, List<J>> hints = PatternGenerator.hints(generated);
            Engines engines = new Engines(texts(patterns));
            for (int e = 0; e < EVENTS_PER_RULE_SET; e++) {
                J event = g.event(hints);
                String eventText = PatternGenerator.write(event);
                Result result = engines.run(eventText);
                stats.pairs++;
                if (result.disagreement() != null) {
                    disagreeingPairs++;
                    if (found.size() < MAX_MINIMISED) {
                        Disagreement d = minimise(patterns, event);
                        if (distinct.add(d.patterns() + " " + d.event())) {
                            found.add(d);
                        }
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
                    .append(" (rule set, event) pairs disagree; ").append(found.size())
                    .append(" distinct minimised case(s):\n");
            for (int i = 0; i < found.size(); i++) {
                sb.append("\n#").append(i + 1).append(' ').append(found.get(i).describe()).append('\n');
            }
            fail(sb.toString());
        }
        assertTrue(stats.pairs >= 100_000, "pairs: " + stats.pairs);
        stats.assertHealthyMix();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Running both engines.
    // ------------------------------------------------------------------------------------------------------------

    /** Both engines loaded with the same named rules ({@code r0}, {@code r1}, ...). */
    static final class Engines {
        final List<String> patterns;
        final Machine machine;
        RuleSet ruleSet = RuleSet.empty();
        /** Non-null when Busbar rejected a pattern that event-ruler accepts, or when a pattern is invalid. */
        String setupProblem;
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
                    return;
                }
                try {
                    ruleSet = ruleSet.with(name, EventPattern.compile(p));
                } catch (InvalidEventPatternException e) {
                    setupProblem = "Busbar rejects " + name + " (event-ruler accepts it): " + e.getMessage();
                    return;
                } catch (RuntimeException e) {
                    setupProblem = "Busbar compile threw " + e + " for " + name;
                    return;
                }
            }
        }

        Result run(String event) {
            if (invalidForEventRuler) {
                return new Result(null, Set.of(), Set.of(), null);
            }
            if (setupProblem != null) {
                return new Result(setupProblem, Set.of(), Set.of(), null);
            }
            Set<String> er;
            try {
                er = new TreeSet<>(machine.rulesForJSONEvent(event));
            } catch (Exception e) {
                return new Result("event-ruler threw " + e, Set.of(), Set.of(), null);
            }
            Set<String> bb;
            try {
                bb = new TreeSet<>(ruleSet.match(event.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                return new Result("Busbar match threw " + e, er, Set.of(), null);
            }
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
            String explain = explainProblems.length() == 0 ? null : explainProblems.toString();
            if (!er.equals(bb) || explain != null) {
                String d = (!er.equals(bb) ? "Busbar " + bb + " vs event-ruler " + er : "results agree " + bb)
                        + (explain != null ? "; explain/match disagree: " + explain : "");
                return new Result(d, er, bb, explain);
            }
            return new Result(null, er, bb, null);
        }
    }

    /** The outcome of one pair; {@code disagreement} is null when all checks agree. */
    record Result(String disagreement, Set<String> eventRuler, Set<String> busbar, String explain) {
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
    record Disagreement(List<String> patterns, String event, String result, String original) {
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < patterns.size(); i++) {
                sb.append("\n  pattern r").append(i).append(": ").append(patterns.get(i));
            }
            sb.append("\n  event:      ").append(event);
            sb.append("\n  result:     ").append(result);
            sb.append("\n  (before minimisation: ").append(original).append(')');
            return sb.toString();
        }
    }

    private static String disagreement(List<J> patterns, J event) {
        for (J p : patterns) {
            if (!(p instanceof JObj)) {
                return null;
            }
        }
        return new Engines(texts(patterns)).run(PatternGenerator.write(event)).disagreement();
    }

    /** Greedy one-step shrinking of the rule set, each pattern and the event while they still disagree. */
    static Disagreement minimise(List<J> patterns, J event) {
        String original = disagreement(patterns, event);
        String originalText = texts(patterns) + " / " + PatternGenerator.write(event) + " -> " + original;
        int budget = MINIMISE_BUDGET;
        List<J> ps = new ArrayList<>(patterns);
        J ev = event;
        // drop whole rules first
        for (int i = ps.size() - 1; i >= 0 && ps.size() > 1; i--) {
            List<J> candidate = new ArrayList<>(ps);
            candidate.remove(i);
            budget--;
            if (disagreement(candidate, ev) != null) {
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
                if (smaller instanceof JObj && disagreement(ps, smaller) != null) {
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
                    if (disagreement(candidate, ev) != null) {
                        ps = candidate;
                        progress = true;
                        break outer;
                    }
                }
            }
        }
        return new Disagreement(texts(ps), PatternGenerator.write(ev), disagreement(ps, ev), originalText);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Coverage statistics: every operator must both match and fail to match a reasonable number of times.
    // ------------------------------------------------------------------------------------------------------------

    static final class Stats {
        long pairs;
        long pairsMatching;
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
            sb.append(String.format("pairs with a match: %d of %d; rule evaluations matching: %d of %d%n",
                    pairsMatching, pairs, ruleMatches, ruleEvaluations));
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
