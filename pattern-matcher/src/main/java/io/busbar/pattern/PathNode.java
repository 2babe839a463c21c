package io.busbar.pattern;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The field paths that the rules of a set name, as a trie the event scanner walks: at each object of the event it
 * looks the member's key up in the current node and skips the member when there is no child.
 *
 * <p>Since EventBridge joins keys with dots, a pattern path {@code detail.state.status} is reached by the event keys
 * {@code detail} then {@code state.status}, or {@code detail.state} then {@code status}, and so on: each node's
 * children are keyed by every dotted run of segments that leads to a deeper node (spec 3.2.7). Each node also
 * numbers its one-segment children, so the reader can tell when an object has shown every key the rules need from
 * it. Immutable once built.
 */
final class PathNode {
    /** The id of the path ending here (an index into the field indexes), or -1 when no rule reads this path. */
    final int pathId;
    /** Children keyed by a run of one or more segments; empty when nothing below is read. */
    final BytesMap<PathNode> children;
    /** Segments from the root to this node (0 for the root). */
    final int depth;
    /** One-segment children, numbered 0..n-1 by {@link #bit}; -1 when there are more than 62. */
    final int childCount;
    /** Whether a child is also reachable by a dotted key spanning several segments. */
    final boolean dottedChildren;
    /** This node's number among its parent's one-segment children, or -1. */
    int bit = -1;

    private PathNode(int pathId, BytesMap<PathNode> children, int depth, int childCount, boolean dottedChildren) {
        this.pathId = pathId;
        this.children = children;
        this.depth = depth;
        this.childCount = childCount;
        this.dottedChildren = dottedChildren;
    }

    boolean hasChildren() {
        return !children.isEmpty();
    }

    /** Builds the trie for paths with the given ids. */
    static PathNode build(Map<String, Integer> pathIds) {
        Set<String> prefixes = new TreeSet<>();
        for (String path : pathIds.keySet()) {
            String[] segs = path.split("\\.", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < segs.length; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(segs[i]);
                prefixes.add(sb.toString());
            }
        }
        Map<String, PathNode> nodes = new HashMap<>();
        // Build deepest first so children exist before their parents.
        List<String> order = new ArrayList<>(prefixes);
        order.sort((a, b) -> Integer.compare(depth(b), depth(a)));
        for (String prefix : order) {
            nodes.put(prefix, node(prefix + ".", prefixes, nodes, pathIds.getOrDefault(prefix, -1), depth(prefix) + 1,
                    false));
        }
        return node("", prefixes, nodes, -1, 0, true);
    }

    private static PathNode node(String base, Set<String> prefixes, Map<String, PathNode> nodes, int pathId,
                                 int depth, boolean root) {
        List<byte[]> keys = new ArrayList<>();
        List<PathNode> values = new ArrayList<>();
        List<PathNode> direct = new ArrayList<>();
        boolean dotted = false;
        for (String p : prefixes) {
            if (root || p.startsWith(base)) {
                String rest = root ? p : p.substring(base.length());
                keys.add(ValueMatcher.utf8(rest));
                PathNode child = nodes.get(p);
                values.add(child);
                if (rest.indexOf('.') < 0) {
                    direct.add(child);
                } else {
                    dotted = true;
                }
            }
        }
        int count = direct.size() <= 62 ? direct.size() : -1;
        if (count >= 0) {
            for (int i = 0; i < direct.size(); i++) {
                direct.get(i).bit = i;
            }
        }
        return new PathNode(pathId, BytesMap.of(keys, values), depth, count, dotted);
    }

    private static int depth(String prefix) {
        int d = 0;
        for (int i = 0; i < prefix.length(); i++) {
            if (prefix.charAt(i) == '.') {
                d++;
            }
        }
        return d;
    }
}
