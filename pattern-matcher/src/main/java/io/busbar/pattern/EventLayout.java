package io.busbar.pattern;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The top-level member names of events that their producer writes itself, in the order it writes them: an event
 * bus builds every envelope with the same members in the same order. With a layout and where each member's value
 * starts, {@link RuleSet#match(byte[], int, EventLayout, int[])} goes straight to the values the rules read, rather
 * than scanning and looking up every top-level key: on the bus's events that was nearly half of the matcher's work.
 *
 * <p>Immutable and thread-safe. Make one per event shape and keep it: a rule set remembers the last layout it was
 * given, so a layout made anew for each event would pay a lookup per member every time.
 */
public final class EventLayout {
    private final List<String> names;
    final byte[][] utf8;

    private EventLayout(List<String> names) {
        this.names = names;
        this.utf8 = new byte[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            utf8[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * A layout of the given member names, in order.
     *
     * @throws IllegalArgumentException if a name is empty or given twice
     */
    public static EventLayout of(String... memberNames) {
        List<String> names = List.of(memberNames);
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n.isEmpty()) {
                throw new IllegalArgumentException("memberNames: \"\" (expected: a non-empty member name)");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("memberNames: \"" + n + "\" is given twice");
            }
        }
        return new EventLayout(names);
    }

    /** The member names, in order. */
    public List<String> memberNames() {
        return names;
    }

    /** The number of members. */
    public int size() {
        return names.size();
    }

    /** The index of a member name, or -1. */
    public int indexOf(String memberName) {
        return names.indexOf(Objects.requireNonNull(memberName, "memberName"));
    }

    @Override
    public String toString() {
        return "EventLayout" + names;
    }
}
