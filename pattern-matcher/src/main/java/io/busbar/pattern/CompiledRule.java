package io.busbar.pattern;

/**
 * A rule inside a {@link Machine}: its name, its pattern and the compiled alternatives, each with an id that
 * indexes the per-match scratch arrays of {@link MatchState}.
 */
final class CompiledRule {
    final String name;
    final EventPattern pattern;
    final int id;
    final Sub[] subs;

    CompiledRule(String name, EventPattern pattern, int id, Sub[] subs) {
        this.name = name;
        this.pattern = pattern;
        this.id = id;
        this.subs = subs;
    }

    /** One alternative: matched when its {@code required} conditions are all hit and the rest hold. */
    static final class Sub {
        final int id;
        final CompiledRule rule;
        final Cond[] conds;
        /**
         * Triggers to collect before the alternative is a candidate: its indexed required conditions, or 1 when a
         * composite lookup triggers it; 0 for alternatives checked on every event.
         */
        final int required;
        /** The paths of the composite index that triggers this alternative, or {@code null}. */
        final java.util.List<String> compositePaths;
        /** Its keys in that index (one per combination of its exact values). */
        final byte[][] compositeKeys;
        /** The rule's id and name, copied here so that accepting a candidate does not load the rule. */
        final int ruleId;
        final String ruleName;
        /**
         * The conditions left to check when the event has no array of objects: {@link #conds} without the
         * {@link Cond#keyed} ones and without the single indexed trigger, which are settled by then.
         */
        final Cond[] flatChecks;

        Sub(int id, CompiledRule rule, Cond[] conds, int required, java.util.List<String> compositePaths,
            byte[][] compositeKeys) {
            this.id = id;
            this.rule = rule;
            this.required = required;
            this.compositePaths = compositePaths;
            this.compositeKeys = compositeKeys;
            // Indexed required conditions first, then deferred required ones, then those that accept absence: an
            // absence is judged against the leaves already chosen (see MatchState).
            Cond[] ordered = new Cond[conds.length];
            int k = 0;
            for (Cond c : conds) {
                if (c.required && !c.deferred) {
                    ordered[k++] = c;
                }
            }
            for (Cond c : conds) {
                if (c.required && c.deferred) {
                    ordered[k++] = c;
                }
            }
            for (Cond c : conds) {
                if (!c.required) {
                    ordered[k++] = c;
                }
            }
            this.conds = ordered;
            this.ruleId = rule.id;
            this.ruleName = rule.name;
            this.flatChecks = java.util.Arrays.stream(ordered)
                    .filter(c -> !c.keyed && (c.deferred || !c.required))
                    .toArray(Cond[]::new);
        }
    }

    /**
     * One condition of one alternative, bound to the path it reads. A deferred condition is not in any field index:
     * it is tested only for candidate alternatives, against the leaves recorded at its path.
     */
    static final class Cond {
        final int id;
        final int pathId;
        final boolean required;
        final boolean deferred;
        /**
         * Whether the composite lookup that triggers the alternative already compared this condition's value (an
         * exact value of the key, or its prefix tail): without arrays of objects in the event it need not be
         * tested again. With them it still is, since the key's values may come from different array elements.
         */
        final boolean keyed;
        final Condition condition;
        /**
         * The condition's matchers, held here so that a test reads no list on the way; equal arrays are one shared
         * instance within a machine (see {@code Machine.Draft#matchers}), so the many rules that test the same values
         * keep them in cache.
         */
        private final ValueMatcher[] matchers;
        Sub owner;

        Cond(int id, int pathId, Condition condition, boolean deferred, boolean keyed, ValueMatcher[] matchers) {
            this.id = id;
            this.pathId = pathId;
            this.condition = condition;
            this.required = !condition.matchesAbsent();
            this.deferred = deferred;
            this.keyed = keyed;
            this.matchers = matchers;
        }

        boolean test(Leaf leaf) {
            for (ValueMatcher m : matchers) {
                if (m.test(leaf)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Whether a matcher answers for most values rather than a few ({@code anything-but}, {@code exists},
     * wildcards, CIDR ranges, non-ASCII ignore-case): such a condition is cheap to index only when its rule has
     * nothing more selective.
     */
    static boolean broad(ValueMatcher m) {
        if (m instanceof ValueMatcher.IgnoreCase ic) {
            return ic.text().asciiLowerBytes() == null;
        }
        return m instanceof ValueMatcher.AnythingBut || m instanceof ValueMatcher.Exists
                || m instanceof ValueMatcher.WildcardMatch || m instanceof ValueMatcher.Cidr;
    }
}
