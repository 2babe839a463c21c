package io.busbar.pattern;

import io.busbar.pattern.CompiledRule.Cond;
import io.busbar.pattern.CompiledRule.Sub;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled automaton of a {@link RuleSet}: a trie of the field paths the rules read, one {@link FieldIndex} per
 * path, composite indexes for conjunctions of exact values, and the alternatives each trigger belongs to.
 *
 * <p>Implementation notes. Matching streams the event through {@link EventReader}; each leaf on a named path
 * reports the conditions it triggers to the thread's {@link MatchState}, and after the read each {@link Composite}
 * looks up the tuple of the event's values. An alternative becomes a candidate once all its triggers fired, and is
 * accepted if its other conditions hold on the leaves recorded at their paths, with array consistency.
 *
 * <p>How an alternative is triggered decides how the cost of a match grows with the rule set, so it is chosen per
 * alternative when the rule is compiled: (1) two or more exact-string conditions make a composite key, so an event
 * touches only the rules that share all of its exact values; (2) otherwise the one selective condition shared by
 * the fewest other rules (by the counts in {@link #shares}) is indexed and the rest are deferred; (3) an
 * alternative with nothing selective (a lone {@code anything-but}, say) indexes everything, its matches being most
 * events anyway. Deferred conditions are tested only for candidates.
 *
 * <p>Nothing is mutated after construction: {@link #with} and {@link #without} build a new machine that shares
 * every index, path and compiled rule the change did not touch; an index that changes is copied, not rebuilt. Ids
 * are dense and never reused; when more than half belong to removed rules, the next change renumbers everything.
 */
final class Machine {
    static final Machine EMPTY = new Draft(null).freeze();

    private static final ThreadLocal<Reader> READERS = ThreadLocal.withInitial(Reader::new);

    final ShardedMap<String, CompiledRule> rules;
    final Map<String, Integer> pathIds;
    final PathNode root;
    final FieldIndex[] fields;
    /** Conditions per path, so that a path with none left can be dropped from the trie. */
    final int[] pathUse;
    final Sub[] alwaysCheck;
    final Composite[] composites;
    /** How many selective conditions use each (path, matcher): the estimate behind trigger choices. */
    final ShardedMap<String, Integer> shares;
    final int ruleCapacity;
    final int subCapacity;
    final int condCapacity;
    final int pathCapacity;
    private final int liveSubs;

    private Machine(Draft d) {
        this.rules = d.rules;
        this.pathIds = d.pathIds;
        this.root = d.root;
        this.fields = d.fields;
        this.pathUse = d.pathUse;
        this.alwaysCheck = d.alwaysCheck;
        this.composites = d.composites;
        this.shares = d.shares;
        this.ruleCapacity = d.ruleCapacity;
        this.subCapacity = d.subCapacity;
        this.condCapacity = d.condCapacity;
        this.pathCapacity = d.fields.length;
        this.liveSubs = d.liveSubs;
    }

    /** One reader and its scratch state per thread. */
    private static final class Reader {
        final MatchState state = new MatchState();
        final EventReader reader = new EventReader(state);
    }

    List<String> match(byte[] event, int offset, int length) {
        Reader r = READERS.get();
        MatchState state = r.state;
        state.begin(this);
        r.reader.read(this, event, offset, length);
        for (Composite c : composites) {
            state.fire(c);
        }
        return state.finish(alwaysCheck);
    }

    /** As {@link #match(byte[], int, int)} for an event of a known layout (see {@link EventReader#readMembers}). */
    List<String> match(byte[] event, int length, EventLayout layout, int[] starts) {
        PathNode[] children = children(layout);
        Reader r = READERS.get();
        MatchState state = r.state;
        state.begin(this);
        r.reader.readMembers(this, event, length, children, starts);
        for (Composite c : composites) {
            state.fire(c);
        }
        return state.finish(alwaysCheck);
    }

    /** The trie nodes of a layout's members, for the last layout asked about. */
    private record LayoutChildren(EventLayout layout, PathNode[] children) {
    }

    /**
     * A cache of one: a bus asks with the same layout every time. Written racily; a thread that misses another's
     * write only computes the same array again.
     */
    private volatile LayoutChildren layoutChildren;

    private PathNode[] children(EventLayout layout) {
        LayoutChildren cached = layoutChildren;
        if (cached != null && cached.layout() == layout) {
            return cached.children();
        }
        PathNode[] children = new PathNode[layout.utf8.length];
        for (int k = 0; k < children.length; k++) {
            children[k] = root.children.get(layout.utf8[k]);
        }
        layoutChildren = new LayoutChildren(layout, children);
        return children;
    }

    CompiledRule rule(String name) {
        return rules.get(name);
    }

    Machine with(String name, EventPattern pattern) {
        if (subCapacity > 1024 && subCapacity > 2 * (liveSubs + pattern.alternativeCount())) {
            Map<String, EventPattern> all = new LinkedHashMap<>();
            rules.forEach((n, r) -> all.put(n, r.pattern));
            all.put(name, pattern);
            return build(all);
        }
        Draft d = new Draft(this);
        d.add(name, pattern);
        return d.freeze();
    }

    Machine without(String name) {
        CompiledRule rule = rules.get(name);
        if (rule == null) {
            return this;
        }
        Draft d = new Draft(this);
        d.remove(rule);
        return d.freeze();
    }

    /**
     * A machine built from scratch with dense ids. The sharing counts are taken over the whole set first, so every
     * alternative picks its trigger knowing all the others, and each index is edited once.
     */
    static Machine build(Map<String, EventPattern> patterns) {
        Draft d = new Draft(null);
        Map<String, Integer> counts = new HashMap<>();
        for (EventPattern p : patterns.values()) {
            for (Alternative alt : p.alternatives()) {
                Draft.forEachShareKey(alt.conditions(), key -> counts.merge(key, 1, Integer::sum));
            }
        }
        d.shares = ShardedMap.of(counts);
        d.bulkRules = new HashMap<>();
        for (Map.Entry<String, EventPattern> e : patterns.entrySet()) {
            d.add(e.getKey(), e.getValue(), false);
        }
        d.rules = ShardedMap.of(d.bulkRules);
        return d.freeze();
    }

    private static String shareKey(String path, ValueMatcher m) {
        return path + '\u0000' + m.toJson();
    }

    /**
     * A machine under construction. It starts out sharing everything with its origin and copies a part the first
     * time it changes it; registrations are collected and applied to each index once, at {@link #freeze()}.
     */
    private static final class Draft {
        ShardedMap<String, CompiledRule> rules;
        Map<String, Integer> pathIds;
        PathNode root;
        FieldIndex[] fields;
        int[] pathUse;
        Sub[] alwaysCheck;
        Composite[] composites;
        ShardedMap<String, Integer> shares;
        int ruleCapacity;
        int subCapacity;
        int condCapacity;
        int liveSubs;
        /** While building from scratch: the rules, turned into the sharded table once at the end. */
        Map<String, CompiledRule> bulkRules;
        private boolean pathsChanged;
        private boolean ownPaths;
        private final Map<Integer, Map<ValueMatcher, List<Cond>>> added = new HashMap<>();
        private final Map<Integer, List<ValueMatcher>> removed = new HashMap<>();
        private final List<CompiledRule> removedRules = new ArrayList<>();
        private final Map<List<String>, Map<ByteKey, List<Sub>>> compositeAdds = new HashMap<>();
        private final Map<List<String>, List<byte[]>> compositeRemovals = new HashMap<>();
        private final List<Sub> alwaysAdds = new ArrayList<>();
        private final Map<List<String>, Map<ByteKey, List<Cond>>> rangeAdds = new HashMap<>();
        private final Map<List<ValueMatcher>, ValueMatcher[]> canonicalMatchers = new HashMap<>();

        Draft(Machine from) {
            if (from == null) {
                rules = ShardedMap.empty();
                pathIds = Map.of();
                fields = new FieldIndex[0];
                pathUse = new int[0];
                alwaysCheck = new Sub[0];
                composites = new Composite[0];
                shares = ShardedMap.empty();
                pathsChanged = true;
            } else {
                rules = from.rules;
                pathIds = from.pathIds;
                root = from.root;
                fields = from.fields;
                pathUse = from.pathUse.clone();
                alwaysCheck = from.alwaysCheck;
                composites = from.composites;
                shares = from.shares;
                ruleCapacity = from.ruleCapacity;
                subCapacity = from.subCapacity;
                condCapacity = from.condCapacity;
                liveSubs = from.liveSubs;
            }
        }

        static void forEachShareKey(List<Condition> conditions, java.util.function.Consumer<String> action) {
            for (Condition c : conditions) {
                if (c.matchesAbsent()) {
                    continue;
                }
                for (ValueMatcher m : c.matchers()) {
                    if (!CompiledRule.broad(m)) {
                        action.accept(shareKey(c.path(), m));
                    }
                }
            }
        }

        void countShares(List<Condition> conditions, int delta) {
            forEachShareKey(conditions, key -> {
                int n = shares.getOrDefault(key, 0) + delta;
                shares = n <= 0 ? shares.minus(key) : shares.plus(key, n);
            });
        }

        private int share(Condition c) {
            int n = 0;
            for (ValueMatcher m : c.matchers()) {
                n += shares.getOrDefault(shareKey(c.path(), m), 0);
            }
            return n;
        }

        private int pathId(String path) {
            Integer id = pathIds.get(path);
            if (id != null) {
                return id;
            }
            if (!ownPaths) {
                pathIds = new HashMap<>(pathIds);
                ownPaths = true;
            }
            int next = fields.length;
            pathIds.put(path, next);
            fields = Arrays.copyOf(fields, next + 1);
            fields[next] = FieldIndex.EMPTY;
            pathUse = Arrays.copyOf(pathUse, next + 1);
            pathsChanged = true;
            return next;
        }

        void add(String name, EventPattern pattern) {
            add(name, pattern, true);
        }

        void add(String name, EventPattern pattern, boolean countShares) {
            List<Alternative> alternatives = pattern.alternatives();
            if (countShares) {
                for (Alternative alt : alternatives) {
                    countShares(alt.conditions(), 1);
                }
            }
            Sub[] subs = new Sub[alternatives.size()];
            CompiledRule rule = new CompiledRule(name, pattern, ruleCapacity++, subs);
            for (int a = 0; a < subs.length; a++) {
                subs[a] = compile(rule, alternatives.get(a).conditions());
            }
            liveSubs += subs.length;
            if (bulkRules != null) {
                bulkRules.put(name, rule);
            } else {
                rules = rules.plus(name, rule);
            }
        }

        /** Compiles one alternative, choosing its trigger (see the class notes of {@link Machine}). */
        private Sub compile(CompiledRule rule, List<Condition> conditions) {
            int n = conditions.size();
            boolean[] broad = new boolean[n];
            List<Integer> exact = new ArrayList<>();
            long tuples = 1;
            int trigger = -1;
            int best = Integer.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                Condition c = conditions.get(i);
                boolean onlyExact = !c.matchesAbsent();
                for (ValueMatcher m : c.matchers()) {
                    broad[i] |= CompiledRule.broad(m);
                    onlyExact &= m instanceof ValueMatcher.ExactString;
                }
                if (onlyExact) {
                    exact.add(i);
                    tuples *= c.matchers().size();
                }
                if (!broad[i] && !c.matchesAbsent()) {
                    int s = share(c);
                    if (s < best) {
                        best = s;
                        trigger = i;
                    }
                }
            }
            boolean composite = exact.size() >= 2 && tuples <= 16;
            // Exact values and a prefix: one lookup of the values and the prefix, as selective as both together.
            int prefixed = -1;
            int ranged = -1;
            if (!composite && !exact.isEmpty() && tuples <= 16) {
                for (int i = 0; i < n; i++) {
                    Condition c = conditions.get(i);
                    if (!c.matchesAbsent() && c.matchers().size() == 1
                            && c.matchers().get(0) instanceof ValueMatcher.Prefix) {
                        prefixed = i;
                        composite = true;
                        break;
                    }
                }
                // Exact values and a numeric range: the values select a small range index of their own.
                for (int i = 0; i < n && !composite; i++) {
                    Condition c = conditions.get(i);
                    if (!c.matchesAbsent() && c.matchers().size() == 1
                            && c.matchers().get(0) instanceof ValueMatcher.Numeric) {
                        ranged = i;
                        composite = true;
                    }
                }
            }
            boolean[] deferred = new boolean[n];
            int required;
            if (composite) {
                Arrays.fill(deferred, true);
                if (ranged >= 0) {
                    deferred[ranged] = false; // its hits come from the partition's range index
                }
                required = 1;
            } else if (trigger >= 0) {
                Arrays.fill(deferred, true);
                deferred[trigger] = false;
                required = 1;
            } else {
                required = 0;
                for (Condition c : conditions) {
                    required += c.matchesAbsent() ? 0 : 1;
                }
            }
            Cond[] conds = new Cond[n];
            for (int i = 0; i < n; i++) {
                Condition condition = conditions.get(i);
                int pathId = pathId(condition.path());
                pathUse[pathId]++;
                boolean keyed = composite && (i == prefixed || exact.contains(i));
                conds[i] = new Cond(condCapacity++, pathId, condition, deferred[i], keyed,
                        matchers(condition.matchers()));
            }
            List<String> compositePaths = null;
            byte[][] keys = null;
            if (composite) {
                List<Condition> parts = new ArrayList<>();
                exact.forEach(i -> parts.add(conditions.get(i)));
                parts.sort((x, y) -> x.path().compareTo(y.path()));
                List<String> signature = new ArrayList<>(parts.stream().map(Condition::path).toList());
                byte[] prefix = null;
                if (prefixed >= 0) {
                    prefix = ((ValueMatcher.Prefix) conditions.get(prefixed).matchers().get(0)).bytes();
                    signature.add(Composite.PREFIX_TAIL + prefix.length + ":" + conditions.get(prefixed).path());
                } else if (ranged >= 0) {
                    signature.add(Composite.RANGE_TAIL + conditions.get(ranged).path());
                }
                compositePaths = List.copyOf(signature);
                List<byte[]> keyList = new ArrayList<>();
                tupleKeys(parts, 0, new ArrayList<>(), keyList);
                if (prefix != null) {
                    for (int k = 0; k < keyList.size(); k++) {
                        byte[] base = keyList.get(k);
                        byte[] key = Arrays.copyOf(base, base.length + 4 + prefix.length);
                        int at = Composite.putLength(key, base.length, prefix.length);
                        System.arraycopy(prefix, 0, key, at, prefix.length);
                        keyList.set(k, key);
                    }
                }
                keys = keyList.toArray(new byte[0][]);
            }
            Sub sub = new Sub(subCapacity++, rule, conds, required, compositePaths, keys);
            for (Cond c : conds) {
                c.owner = sub;
                if (!c.deferred && ranged < 0) {
                    Map<ValueMatcher, List<Cond>> byMatcher = added.computeIfAbsent(c.pathId, x -> new LinkedHashMap<>());
                    for (ValueMatcher m : c.condition.matchers()) {
                        byMatcher.computeIfAbsent(m, x -> new ArrayList<>()).add(c);
                    }
                }
            }
            if (composite && ranged >= 0) {
                Cond rangeCond = conds[ranged];
                Map<ByteKey, List<Cond>> byKey = rangeAdds.computeIfAbsent(compositePaths, x -> new HashMap<>());
                for (byte[] k : keys) {
                    byKey.computeIfAbsent(new ByteKey(k), x -> new ArrayList<>()).add(rangeCond);
                }
            } else if (composite) {
                Map<ByteKey, List<Sub>> byKey = compositeAdds.computeIfAbsent(compositePaths, x -> new HashMap<>());
                for (byte[] k : keys) {
                    byKey.computeIfAbsent(new ByteKey(k), x -> new ArrayList<>()).add(sub);
                }
            }
            if (required == 0) {
                alwaysAdds.add(sub);
            }
            return sub;
        }

        /**
         * One shared array per distinct list of matchers in this draft: a large rule set repeats few values (an
         * excluded region, a state), and a candidate's checks then read memory that other candidates keep warm.
         */
        private ValueMatcher[] matchers(List<ValueMatcher> list) {
            return canonicalMatchers.computeIfAbsent(list, l -> l.toArray(new ValueMatcher[0]));
        }

        private Composite newComposite(List<String> signature) {
            String last = signature.get(signature.size() - 1);
            List<String> exactPaths = signature.subList(0, signature.size() - 1);
            int[] ids = exactPaths.stream().mapToInt(pathIds::get).toArray();
            int tail = pathIds.get(last.substring(Composite.RANGE_TAIL.length()));
            return new Composite(signature, ids, BytesMap.empty(), tail, -1, BytesMap.empty());
        }

        private static void tupleKeys(List<Condition> parts, int i, List<byte[]> values, List<byte[]> out) {
            if (i == parts.size()) {
                out.add(Composite.key(values));
                return;
            }
            for (ValueMatcher m : parts.get(i).matchers()) {
                values.add(((ValueMatcher.ExactString) m).bytes());
                tupleKeys(parts, i + 1, values, out);
                values.remove(values.size() - 1);
            }
        }

        void remove(CompiledRule rule) {
            for (Sub s : rule.subs) {
                countShares(s.conds, -1);
                boolean rangedSub = s.compositePaths != null
                        && s.compositePaths.get(s.compositePaths.size() - 1).startsWith(Composite.RANGE_TAIL);
                for (Cond c : s.conds) {
                    pathUse[c.pathId]--;
                    if (!c.deferred && !rangedSub) {
                        removed.computeIfAbsent(c.pathId, x -> new ArrayList<>()).addAll(c.condition.matchers());
                    }
                }
                if (s.compositePaths != null) {
                    compositeRemovals.computeIfAbsent(s.compositePaths, x -> new ArrayList<>())
                            .addAll(Arrays.asList(s.compositeKeys));
                }
            }
            removedRules.add(rule);
            liveSubs -= rule.subs.length;
            rules = rules.minus(rule.name);
        }

        private void countShares(Cond[] conds, int delta) {
            List<Condition> conditions = new ArrayList<>();
            for (Cond c : conds) {
                conditions.add(c.condition);
            }
            countShares(conditions, delta);
        }

        Machine freeze() {
            boolean fieldsCopied = false;
            java.util.function.Predicate<Cond> gone = c -> removedRules.contains(c.owner.rule);
            for (Map.Entry<Integer, List<ValueMatcher>> e : removed.entrySet()) {
                if (!fieldsCopied) {
                    fields = fields.clone();
                    fieldsCopied = true;
                }
                fields[e.getKey()] = fields[e.getKey()].minus(e.getValue(), gone);
            }
            for (Map.Entry<Integer, Map<ValueMatcher, List<Cond>>> e : added.entrySet()) {
                if (!fieldsCopied) {
                    fields = fields.clone();
                    fieldsCopied = true;
                }
                List<Map.Entry<ValueMatcher, Cond[]>> entries = new ArrayList<>();
                e.getValue().forEach((m, conds) -> entries.add(Map.entry(m, conds.toArray(new Cond[0]))));
                fields[e.getKey()] = fields[e.getKey()].plus(entries);
            }
            freezeComposites(gone);
            if (!removedRules.isEmpty() || !alwaysAdds.isEmpty()) {
                List<Sub> always = new ArrayList<>();
                for (Sub s : alwaysCheck) {
                    if (!removedRules.contains(s.rule)) {
                        always.add(s);
                    }
                }
                always.addAll(alwaysAdds);
                alwaysCheck = always.toArray(new Sub[0]);
            }
            for (Map.Entry<String, Integer> e : new ArrayList<>(pathIds.entrySet())) {
                if (pathUse[e.getValue()] == 0) {
                    if (!ownPaths) {
                        pathIds = new HashMap<>(pathIds);
                        ownPaths = true;
                    }
                    pathIds.remove(e.getKey());
                    pathsChanged = true;
                }
            }
            if (pathsChanged) {
                root = PathNode.build(pathIds);
            }
            return new Machine(this);
        }

        private void freezeComposites(java.util.function.Predicate<Cond> gone) {
            if (compositeAdds.isEmpty() && compositeRemovals.isEmpty() && rangeAdds.isEmpty()) {
                return;
            }
            List<Composite> out = new ArrayList<>(Arrays.asList(composites));
            for (Map.Entry<List<String>, List<byte[]>> e : compositeRemovals.entrySet()) {
                for (int i = 0; i < out.size(); i++) {
                    Composite c = out.get(i);
                    if (c.paths().equals(e.getKey()) && c.ranged()) {
                        BytesMap<FieldIndex.RangeIndex> t = c.partitions().copyForUpdate(0);
                        for (byte[] key : e.getValue()) {
                            FieldIndex.RangeIndex ri = t.get(key);
                            if (ri != null) {
                                t.putInPlace(key, ri.minus(gone));
                            }
                        }
                        out.set(i, c.withPartitions(t));
                    } else if (c.paths().equals(e.getKey())) {
                        BytesMap<Sub[]> t = c.tuples().copyForUpdate(0);
                        for (byte[] key : e.getValue()) {
                            Sub[] subs = t.get(key);
                            if (subs != null) {
                                t.putInPlace(key, Arrays.stream(subs).filter(s -> !removedRules.contains(s.rule))
                                        .toArray(Sub[]::new));
                            }
                        }
                        out.set(i, c.withTuples(t));
                    }
                }
            }
            for (Map.Entry<List<String>, Map<ByteKey, List<Sub>>> e : compositeAdds.entrySet()) {
                int at = -1;
                for (int i = 0; i < out.size(); i++) {
                    if (out.get(i).paths().equals(e.getKey())) {
                        at = i;
                    }
                }
                List<String> signature = e.getKey();
                String last = signature.get(signature.size() - 1);
                int tail = -1;
                int prefixLength = -1;
                List<String> exactPaths = signature;
                if (last.startsWith(Composite.PREFIX_TAIL)) {
                    String rest = last.substring(Composite.PREFIX_TAIL.length());
                    int colon = rest.indexOf(':');
                    prefixLength = Integer.parseInt(rest.substring(0, colon));
                    tail = pathIds.get(rest.substring(colon + 1));
                    exactPaths = signature.subList(0, signature.size() - 1);
                }
                int[] ids = exactPaths.stream().mapToInt(pathIds::get).toArray();
                Composite c = at >= 0 ? out.get(at)
                        : new Composite(signature, ids, BytesMap.empty(), tail, prefixLength, null);
                BytesMap<Sub[]> t = c.tuples().copyForUpdate(e.getValue().size());
                for (Map.Entry<ByteKey, List<Sub>> k : e.getValue().entrySet()) {
                    Sub[] existing = t.get(k.getKey().bytes());
                    Sub[] adds = k.getValue().toArray(new Sub[0]);
                    if (existing != null && existing.length > 0) {
                        Sub[] merged = Arrays.copyOf(existing, existing.length + adds.length);
                        System.arraycopy(adds, 0, merged, existing.length, adds.length);
                        adds = merged;
                    }
                    t.putInPlace(k.getKey().bytes(), adds);
                }
                Composite next = c.withTuples(t);
                if (at >= 0) {
                    out.set(at, next);
                } else {
                    out.add(next);
                }
            }
            for (Map.Entry<List<String>, Map<ByteKey, List<Cond>>> e : rangeAdds.entrySet()) {
                List<String> signature = e.getKey();
                int at = -1;
                for (int i = 0; i < out.size(); i++) {
                    if (out.get(i).paths().equals(signature)) {
                        at = i;
                    }
                }
                Composite c = at >= 0 ? out.get(at) : newComposite(signature);
                BytesMap<FieldIndex.RangeIndex> t = c.partitions().copyForUpdate(e.getValue().size());
                for (Map.Entry<ByteKey, List<Cond>> k : e.getValue().entrySet()) {
                    FieldIndex.RangeIndex ri = t.get(k.getKey().bytes());
                    List<Map.Entry<ValueMatcher.Numeric, Cond[]>> entries = new ArrayList<>();
                    for (Cond cond : k.getValue()) {
                        entries.add(Map.entry((ValueMatcher.Numeric) cond.condition.matchers().get(0),
                                new Cond[] {cond}));
                    }
                    t.putInPlace(k.getKey().bytes(), (ri == null ? FieldIndex.RangeIndex.EMPTY : ri).plusAll(entries));
                }
                if (at >= 0) {
                    out.set(at, c.withPartitions(t));
                } else {
                    out.add(c.withPartitions(t));
                }
            }
            // A composite whose paths are all still in use keeps its ids; ids never change while a path lives.
            composites = out.toArray(new Composite[0]);
        }
    }

    /** A byte string with value equality, for grouping composite keys while compiling. */
    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
