package io.busbar.pattern;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One validated EventBridge event pattern. Immutable and thread-safe.
 *
 * <p>{@link #compile(String)} checks the whole grammar and the service limits and throws
 * {@link InvalidEventPatternException} with EventBridge's reason; a pattern that compiles never fails later.
 * To match many patterns at once, put them in a {@link RuleSet}; {@link #matches(String)} is a convenience that
 * builds a one-rule set.
 */
public final class EventPattern {
    private final String source;
    private final List<Alternative> alternatives;
    private volatile RuleSet single;

    private EventPattern(String source, List<Alternative> alternatives) {
        this.source = source;
        this.alternatives = alternatives;
    }

    /** Validates and compiles a pattern with EventBridge's default limits. */
    public static EventPattern compile(String patternJson) {
        return compile(patternJson, PatternLimits.defaults());
    }

    /** Validates and compiles a pattern with the given limits. */
    public static EventPattern compile(String patternJson, PatternLimits limits) {
        Objects.requireNonNull(patternJson, "patternJson");
        Objects.requireNonNull(limits, "limits");
        return new EventPattern(patternJson, PatternParser.parse(patternJson, limits));
    }

    /** The pattern text as given. */
    public String source() {
        return source;
    }

    /** Number of alternatives the pattern's {@code $or}s expand to (1 without {@code $or}). */
    public int alternativeCount() {
        return alternatives.size();
    }

    /** Whether the event (a JSON object) matches. Throws {@link InvalidEventException} for malformed JSON. */
    public boolean matches(String eventJson) {
        return matches(eventJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the event (UTF-8 JSON object) matches. Throws {@link InvalidEventException} for malformed JSON. */
    public boolean matches(byte[] utf8Event) {
        RuleSet set = single;
        if (set == null) {
            set = RuleSet.empty().with("pattern", this);
            single = set;
        }
        return !set.match(utf8Event).isEmpty();
    }

    /**
     * Whether the pattern uses {@code wildcard} (alone or inside {@code anything-but}): EventBridge allows only 30
     * such rules per bus.
     */
    public boolean usesWildcards() {
        for (Alternative alt : alternatives) {
            for (Condition c : alt.conditions()) {
                for (ValueMatcher m : c.matchers()) {
                    if (m instanceof ValueMatcher.WildcardMatch
                            || (m instanceof ValueMatcher.AnythingBut a && a.kind() == ValueMatcher.AnythingBut.Kind.WILDCARD)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    List<Alternative> alternatives() {
        return alternatives;
    }

    @Override
    public String toString() {
        return source;
    }
}
