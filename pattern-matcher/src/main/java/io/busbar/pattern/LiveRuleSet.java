package io.busbar.pattern;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The current {@link RuleSet} of a bus, replaced as rules change. Readers call {@link #current()} or
 * {@link #match(byte[])} and never lock: each match runs against one consistent set. Writers build the next set
 * beside the current one and publish it with a single atomic write; concurrent writers are serialised by
 * compare-and-set, so no update is lost.
 *
 * <p>Thread-safe.
 */
public final class LiveRuleSet {
    private final AtomicReference<RuleSet> current;

    private LiveRuleSet(RuleSet initial) {
        this.current = new AtomicReference<>(initial);
    }

    /** A live set that starts empty. */
    public static LiveRuleSet create() {
        return new LiveRuleSet(RuleSet.empty());
    }

    /** A live set that starts with {@code initial}. */
    public static LiveRuleSet of(RuleSet initial) {
        return new LiveRuleSet(Objects.requireNonNull(initial, "initial"));
    }

    /** The set published last. */
    public RuleSet current() {
        return current.get();
    }

    /** Binds a rule name to a pattern (adding or replacing) and returns the set now published. */
    public RuleSet put(String ruleName, EventPattern pattern) {
        return update(set -> set.with(ruleName, pattern));
    }

    /** Removes a rule and returns the set now published. */
    public RuleSet remove(String ruleName) {
        return update(set -> set.without(ruleName));
    }

    /**
     * Applies a change to the current set and publishes the result atomically; retried if another writer published
     * in between, so {@code change} must be free of side effects.
     */
    public RuleSet update(UnaryOperator<RuleSet> change) {
        return current.updateAndGet(change);
    }

    /** Matches against the set published last. */
    public List<String> match(byte[] utf8Event) {
        return current.get().match(utf8Event);
    }
}
