package io.busbar.pattern;

/**
 * The service limits checked when a pattern is compiled. The defaults are EventBridge's (spec section 3.7):
 * the API accepts at most 4,096 characters, the "event pattern size" quota is 2,048, {@code $or} may expand to at
 * most 1,000 combinations, and a wildcard operand may keep at most 10 automaton states alive at once (AWS accepts
 * complexity 7 and rejects 11 on its calibration examples; the threshold itself is unpublished).
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class PatternLimits {
    /** The largest pattern text the EventBridge API model accepts at all. */
    public static final int API_MAX_LENGTH = 4096;

    private static final PatternLimits DEFAULTS = builder().build();

    private final int maxLength;
    private final int maxOrCombinations;
    private final int maxWildcardComplexity;
    private final int maxNestingDepth;

    private PatternLimits(Builder b) {
        this.maxLength = b.maxLength;
        this.maxOrCombinations = b.maxOrCombinations;
        this.maxWildcardComplexity = b.maxWildcardComplexity;
        this.maxNestingDepth = b.maxNestingDepth;
    }

    /** EventBridge's default limits. */
    public static PatternLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Maximum pattern length in characters (the "event pattern size" quota, default 2,048). */
    public int maxLength() {
        return maxLength;
    }

    /** Maximum number of alternatives the {@code $or}s of one pattern may multiply out to (default 1,000). */
    public int maxOrCombinations() {
        return maxOrCombinations;
    }

    /** Maximum wildcard complexity: automaton states alive at once for one wildcard operand (default 10). */
    public int maxWildcardComplexity() {
        return maxWildcardComplexity;
    }

    /** Maximum nesting of objects and arrays in a pattern (default 100). */
    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    /** Builder; every setter rejects a value out of range, naming the field. */
    public static final class Builder {
        private int maxLength = 2048;
        private int maxOrCombinations = 1000;
        private int maxWildcardComplexity = 10;
        private int maxNestingDepth = 100;

        private Builder() {
        }

        public Builder maxLength(int value) {
            this.maxLength = inRange("maxLength", value, 1, API_MAX_LENGTH);
            return this;
        }

        public Builder maxOrCombinations(int value) {
            this.maxOrCombinations = inRange("maxOrCombinations", value, 1, 1_000_000);
            return this;
        }

        public Builder maxWildcardComplexity(int value) {
            this.maxWildcardComplexity = inRange("maxWildcardComplexity", value, 1, 1_000);
            return this;
        }

        public Builder maxNestingDepth(int value) {
            this.maxNestingDepth = inRange("maxNestingDepth", value, 1, 1_000);
            return this;
        }

        public PatternLimits build() {
            return new PatternLimits(this);
        }

        private static int inRange(String field, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        field + ": " + value + " (expected: between " + min + " and " + max + ")");
            }
            return value;
        }
    }
}
