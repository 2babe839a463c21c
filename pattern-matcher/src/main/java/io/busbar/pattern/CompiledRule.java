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
         * Indexed conditions that a leaf must hit (those that cannot be satisfied by an absent field and are not
         * deferred): when all are hit, the alternative is a candidate.
         */
        final int required;

        Sub(int id, CompiledRule rule, Cond[] conds) {
            this.id = id;
            this.rule = rule;
            // Indexed required conditions first, then deferred required ones, then those that accept absence: an
            // absence is judged against the leaves already chosen (see MatchState).
            Cond[] ordered = new Cond[conds.length];
            int k = 0;
            for (Cond c : conds) {
                if (c.required && !c.deferred) {
                    ordered[k++] = c;
                }
            }
            this.required = k;
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
        final Condition condition;
        Sub owner;

        Cond(int id, int pathId, Condition condition, boolean deferred) {
            this.id = id;
            this.pathId = pathId;
            this.condition = condition;
            this.required = !condition.matchesAbsent();
            this.deferred = deferred;
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

    /**
     * Which conditions of an alternative to defer: the broad ones, when the alternative has at least one required
     * condition without a broad matcher to make it a candidate. So a rule like "source is X and region is anything
     * but Y" costs nothing for events from other sources, however many such rules the set has.
     */
    static boolean[] deferred(java.util.List<Condition> conditions) {
        boolean[] broad = new boolean[conditions.size()];
        boolean selective = false;
        for (int i = 0; i < broad.length; i++) {
            Condition c = conditions.get(i);
            for (ValueMatcher m : c.matchers()) {
                broad[i] |= broad(m);
            }
            selective |= !broad[i] && !c.matchesAbsent();
        }
        if (!selective) {
            return new boolean[broad.length];
        }
        return broad;
    }
}
