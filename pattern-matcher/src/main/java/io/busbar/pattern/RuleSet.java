package io.busbar.pattern;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, compiled set of named event patterns: the matcher of one event bus.
 *
 * <p>{@link #with(String, EventPattern)} and {@link #without(String)} return a new set and leave this one as it
 * was; the new set shares every part of the compiled automaton that the change did not touch, so an update costs
 * in proportion to what the changed rule uses, not to the size of the set. Publish successive sets with
 * {@link LiveRuleSet} (one atomic write) so that matching threads never lock.
 *
 * <p>{@link #match(byte[])} reads the event once, as a stream of UTF-8 bytes, and only as far as the rules need:
 * members that no rule names are skipped without being decoded, and reading stops once every top-level member the
 * rules name has been seen. The cost of a match grows with the rules that can match, not with the size of the set.
 *
 * <p>Thread-safe: any number of threads may match concurrently.
 */
public final class RuleSet {
    private static final RuleSet EMPTY = new RuleSet(Machine.EMPTY);

    private final Machine machine;

    private RuleSet(Machine machine) {
        this.machine = machine;
    }

    /** The set with no rules; it matches nothing. */
    public static RuleSet empty() {
        return EMPTY;
    }

    /**
     * A set of many rules built in one pass, which is much cheaper than adding them one by one: each field's index
     * is built once.
     */
    public static RuleSet of(Map<String, EventPattern> rules) {
        Map<String, EventPattern> copy = new HashMap<>();
        rules.forEach((name, pattern) -> {
            Objects.requireNonNull(name, "ruleName");
            Objects.requireNonNull(pattern, "pattern of " + name);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("ruleName: \"\" (expected: a non-empty name)");
            }
            copy.put(name, pattern);
        });
        return copy.isEmpty() ? EMPTY : new RuleSet(Machine.build(copy));
    }

    /**
     * A set with {@code ruleName} bound to {@code pattern}, replacing any pattern the name had.
     *
     * @throws IllegalArgumentException if the name is empty
     */
    public RuleSet with(String ruleName, EventPattern pattern) {
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(pattern, "pattern");
        if (ruleName.isEmpty()) {
            throw new IllegalArgumentException("ruleName: \"\" (expected: a non-empty name)");
        }
        CompiledRule old = machine.rule(ruleName);
        if (old != null && old.pattern == pattern) {
            return this;
        }
        Machine m = old == null ? machine : machine.without(ruleName);
        return new RuleSet(m.with(ruleName, pattern));
    }

    /** A set without {@code ruleName}; this set itself when it has no such rule. */
    public RuleSet without(String ruleName) {
        if (machine.rule(ruleName) == null) {
            return this;
        }
        return new RuleSet(machine.without(ruleName));
    }

    /** Number of rules. */
    public int size() {
        return machine.rules.size();
    }

    /** The rule names, unordered. */
    public Set<String> ruleNames() {
        return machine.rules.keySet();
    }

    /** The pattern bound to a rule name, or {@code null}. */
    public EventPattern pattern(String ruleName) {
        CompiledRule rule = machine.rule(ruleName);
        return rule == null ? null : rule.pattern;
    }

    /**
     * The names of every rule the event matches, each once, in no particular order.
     *
     * @param utf8Event a JSON object in UTF-8
     * @throws InvalidEventException if the part of the event that had to be read is not well-formed JSON, or the
     *                               event is not an object
     */
    public List<String> match(byte[] utf8Event) {
        Objects.requireNonNull(utf8Event, "utf8Event");
        return machine.match(utf8Event, 0, utf8Event.length);
    }

    /** As {@link #match(byte[])} for {@code length} bytes from {@code offset}. */
    public List<String> match(byte[] utf8Event, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, utf8Event.length);
        return machine.match(utf8Event, offset, length);
    }

    /**
     * As {@link #match(byte[])} for an event of a known layout, without reading its top-level keys: the event's
     * first {@code length} bytes must be a well-formed JSON object whose top-level members are exactly the
     * layout's members that have a start, in the layout's order, and {@code valueStarts[k]} the index of the first
     * byte of member {@code k}'s value (-1: the event has no such member). The caller vouches for this, as for an
     * event it wrote itself; the result is then the same as {@link #match(byte[], int, int)}'s.
     *
     * @throws IllegalArgumentException if {@code valueStarts} does not have one entry per member of the layout, or
     *                                  an entry is outside the event
     * @throws InvalidEventException    if a value the rules read is not well-formed JSON
     */
    public List<String> match(byte[] utf8Event, int length, EventLayout layout, int[] valueStarts) {
        Objects.checkFromIndexSize(0, length, utf8Event.length);
        Objects.requireNonNull(layout, "layout");
        if (valueStarts.length != layout.size()) {
            throw new IllegalArgumentException("valueStarts: " + valueStarts.length + " entries (expected: "
                    + layout.size() + ", one per member of " + layout + ")");
        }
        for (int k = 0; k < valueStarts.length; k++) {
            if (valueStarts[k] < -1 || valueStarts[k] >= length) {
                throw new IllegalArgumentException("valueStarts[" + k + "]: " + valueStarts[k]
                        + " (expected: -1 or an index in the event's " + length + " bytes)");
            }
        }
        return machine.match(utf8Event, length, layout, valueStarts);
    }

    /** As {@link #match(byte[])} for an event given as text. */
    public List<String> match(String eventJson) {
        byte[] bytes = eventJson.getBytes(StandardCharsets.UTF_8);
        return machine.match(bytes, 0, bytes.length);
    }

    /**
     * Explains why the event does or does not match one rule: the conditions that failed, per alternative. Reads
     * the whole event (this is the slow path, for people), and agrees with {@link #match(byte[])}.
     *
     * @throws IllegalArgumentException if there is no such rule
     * @throws InvalidEventException     if the event is not a well-formed JSON object
     */
    public MatchExplanation explain(String ruleName, String eventJson) {
        EventPattern pattern = pattern(ruleName);
        if (pattern == null) {
            throw new IllegalArgumentException("ruleName: \"" + ruleName + "\" (expected: a rule of this set)");
        }
        return ReferenceMatcher.explain(ruleName, pattern, eventJson);
    }
}
