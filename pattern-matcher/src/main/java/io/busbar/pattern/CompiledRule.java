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
        /** Conditions that a leaf must hit (those that cannot be satisfied by an absent field). */
        final int required;

        Sub(int id, CompiledRule rule, Cond[] conds) {
            this.id = id;
            this.rule = rule;
            this.conds = conds;
            int r = 0;
            for (Cond c : conds) {
                if (c.required) {
                    r++;
                }
            }
            this.required = r;
        }
    }

    /** One condition of one alternative, bound to the path it reads. */
    static final class Cond {
        final int id;
        final int pathId;
        final boolean required;
        final Condition condition;
        Sub owner;

        Cond(int id, int pathId, Condition condition) {
            this.id = id;
            this.pathId = pathId;
            this.condition = condition;
            this.required = !condition.matchesAbsent();
        }
    }
}
