package io.busbar.pattern;

import java.util.List;

/**
 * One branch of a pattern once its {@code $or}s are multiplied out: every condition must hold (AND across fields),
 * and the leaves that satisfy them must agree on the elements of any array of objects they share (spec 3.2.6).
 *
 * @param conditions the conditions, sorted by path, one per path
 */
record Alternative(List<Condition> conditions) {
    Alternative {
        conditions = List.copyOf(conditions);
    }
}
