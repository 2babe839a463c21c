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
 * children are keyed by every dotted run of segments that leads to a deeper node (spec 3.2.7). Immutable.
 */
final class PathNode {
    /** The id of the path ending here (an index into the field indexes), or -1 when no rule reads this path. */
    final int pathId;
    /** Children keyed by a run of one or more segments; empty when nothing below is read. */
    final BytesMap<PathNode> children;
    /** The root's single-segment children, counted so the scanner may stop once it has seen them all. */
    final int topLevelKeys;
    /** For a child of the root reached by one segment: its bit in the set of top-level keys seen; else -1. */
    int topBit = -1;

    private PathNode(int pathId, BytesMap<PathNode> children, int topLevelKeys) {
        this.pathId = pathId;
        this.children = children;
        this.topLevelKeys = topLevelKeys;
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
            nodes.put(prefix, node(prefix + ".", prefixes, nodes, pathIds.getOrDefault(prefix, -1), false));
        }
        PathNode root = node("", prefixes, nodes, -1, true);
        return root;
    }

    private static PathNode node(String base, Set<String> prefixes, Map<String, PathNode> nodes, int pathId,
                                 boolean root) {
        List<byte[]> keys = new ArrayList<>();
        List<PathNode> values = new ArrayList<>();
        List<PathNode> topLevel = new ArrayList<>();
        for (String p : prefixes) {
            if (root || p.startsWith(base)) {
                String rest = root ? p : p.substring(base.length());
                keys.add(ValueMatcher.utf8(rest));
                PathNode child = nodes.get(p);
                values.add(child);
                if (root && rest.indexOf('.') < 0) {
                    topLevel.add(child);
                }
            }
        }
        if (root && topLevel.size() <= 62) {
            for (int i = 0; i < topLevel.size(); i++) {
                topLevel.get(i).topBit = i;
            }
        }
        return new PathNode(pathId, BytesMap.of(keys, values), root && topLevel.size() <= 62 ? topLevel.size() : -1);
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
