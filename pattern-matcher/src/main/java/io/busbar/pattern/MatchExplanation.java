package io.busbar.pattern;

import java.util.List;

/**
 * Why an event matches a rule or not: for each alternative of the pattern (one without {@code $or}), the
 * conditions that failed. A rule matches when some alternative has no failure.
 *
 * @param ruleName     the rule explained
 * @param matched      whether the event matches
 * @param alternatives one entry per alternative, in pattern order
 */
public record MatchExplanation(String ruleName, boolean matched, List<AlternativeResult> alternatives) {
    public MatchExplanation {
        alternatives = List.copyOf(alternatives);
    }

    /**
     * One alternative: the failed conditions, empty when the alternative matched.
     *
     * @param failures the conditions that were not satisfied
     */
    public record AlternativeResult(List<Failure> failures) {
        public AlternativeResult {
            failures = List.copyOf(failures);
        }

        public boolean matched() {
            return failures.isEmpty();
        }
    }

    /**
     * A condition the event did not satisfy.
     *
     * @param field    the dotted field path, e.g. {@code detail.state}
     * @param expected the pattern's value array for the field, as JSON
     * @param actual   the event's leaf values at that path, as JSON (empty when the field is absent)
     * @param reason   a sentence for people, e.g. {@code value "running" matches none of ["stopped"]}
     */
    public record Failure(String field, String expected, List<String> actual, String reason) {
        public Failure {
            actual = List.copyOf(actual);
        }
    }

    /** A short multi-line text for a CLI or an API answer. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(matched ? "matches" : "does not match");
        for (int i = 0; i < alternatives.size(); i++) {
            AlternativeResult alt = alternatives.get(i);
            if (alternatives.size() > 1) {
                sb.append("\n  alternative ").append(i + 1).append(alt.matched() ? ": matches" : ":");
            }
            for (Failure f : alt.failures()) {
                sb.append("\n    ").append(f.field()).append(": ").append(f.reason());
            }
        }
        return sb.toString();
    }
}
