package io.busbar.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How often each rule matched over a set of events. Computed once per engine in {@code @Setup}: a throughput
 * figure means nothing unless both engines give the same answers, so a disagreement stops the run.
 */
final class MatchCounts {
    private final long total;
    private final Map<String, Long> perRule;

    private MatchCounts(long total, Map<String, Long> perRule) {
        this.total = total;
        this.perRule = perRule;
    }

    /** Matches every event once and counts the matches of each rule. */
    private static MatchCounts of(Engine engine, Events events) {
        Map<String, Long> perRule = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < events.size(); i++) {
            for (String rule : engine.match(events.utf8(i), events.text(i))) {
                perRule.merge(rule, 1L, Long::sum);
                total++;
            }
        }
        return new MatchCounts(total, perRule);
    }

    /**
     * Matches every event once with each engine, prints both totals on one {@code COUNT} line and throws unless
     * the engines agree rule by rule.
     *
     * @param workload names the workload in the output, e.g. {@code bank=EXACT}
     * @throws IllegalStateException naming both totals and the rules whose counts differ
     */
    static void requireAgreement(String workload, Events events, Engine measured, Engine comparator) {
        MatchCounts a = of(measured, events);
        MatchCounts b = of(comparator, events);
        System.out.println("COUNT " + workload + " events=" + events.size() + " " + measured.name() + "=" + a.total
                + " " + comparator.name() + "=" + b.total);
        if (a.perRule.equals(b.perRule)) {
            return;
        }
        StringBuilder differing = new StringBuilder();
        TreeSet<String> rules = new TreeSet<>(a.perRule.keySet());
        rules.addAll(b.perRule.keySet());
        int shown = 0;
        for (String rule : rules) {
            long countA = a.perRule.getOrDefault(rule, 0L);
            long countB = b.perRule.getOrDefault(rule, 0L);
            if (countA != countB && shown++ < 20) {
                differing.append(' ').append(rule).append('=').append(countA).append('/').append(countB);
            }
        }
        throw new IllegalStateException(workload + ": " + measured.name() + " matched " + a.total + " times, "
                + comparator.name() + " " + b.total + " times over " + events.size() + " events; rules that differ ("
                + measured.name() + "/" + comparator.name() + "):" + differing + (shown > 20 ? " ..." : ""));
    }
}
