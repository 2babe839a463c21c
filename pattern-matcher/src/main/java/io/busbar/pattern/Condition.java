package io.busbar.pattern;

import java.util.List;

/**
 * One field of one alternative of a pattern: the dotted path and its value array. The field is satisfied when some
 * leaf of the event at that path matches some matcher, or, when the array holds {@code {"exists": false}}, when the
 * event has no leaf at that path at all.
 *
 * @param path          dotted field path ({@code detail.state})
 * @param matchers      the value array's matchers, without {@code exists: false}
 * @param matchesAbsent whether the value array holds {@code {"exists": false}}
 * @param sourceJson    the value array as written, for explanations
 */
record Condition(String path, List<ValueMatcher> matchers, boolean matchesAbsent, String sourceJson) {
    Condition {
        matchers = List.copyOf(matchers);
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
