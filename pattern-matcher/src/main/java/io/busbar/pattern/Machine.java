package io.busbar.pattern;

import io.busbar.pattern.CompiledRule.Cond;
import io.busbar.pattern.CompiledRule.Sub;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled automaton of a {@link RuleSet}: a trie of the field paths the rules read, one {@link FieldIndex} per
 * path, and the alternatives each condition belongs to.
 *
 * <p>Implementation notes: matching streams the event through {@link EventReader}; every leaf on a named path
 * reports the conditions it satisfies to the thread's {@link MatchState}, which counts, per alternative, the
 * conditions that need a leaf. An alternative becomes a candidate the moment its count is complete, and is
 * accepted at the end if its absence conditions ({@code exists: false}) and array consistency hold. Alternatives
 * made only of absence conditions are checked on every event. Nothing here is ever mutated after construction:
 * {@link #with} and {@link #without} build a new machine that shares every field index, path and compiled rule the
 * change did not touch, and rebuild only the field indexes of the paths the changed rule reads (and the trie, when
 * the set of paths changes). Ids are dense and never reused; when more than half of them belong to removed rules
 * the next change renumbers everything.
 */
final class Machine {
    static final Machine EMPTY = new Machine(ShardedMap.empty(), Map.of(), PathNode.build(Map.of()), new FieldIndex[0],
            new int[0], new Sub[0], 0, 0, 0, 0);

    private static final ThreadLocal<Reader> READERS = ThreadLocal.withInitial(Reader::new);

    final ShardedMap<String, CompiledRule> rules;
    final Map<String, Integer> pathIds;
    final PathNode root;
    final FieldIndex[] fields;
    /** Conditions per path, so that a path with none left can be dropped from the trie. */
    final int[] pathUse;
    final Sub[] alwaysCheck;
    final int ruleCapacity;
    final int subCapacity;
    final int condCapacity;
    final int pathCapacity;
    private final int liveSubs;

    private Machine(ShardedMap<String, CompiledRule> rules, Map<String, Integer> pathIds, PathNode root, FieldIndex[] fields,
                    int[] pathUse, Sub[] alwaysCheck, int ruleCapacity, int subCapacity, int condCapacity,
                    int liveSubs) {
        this.rules = rules;
        this.pathIds = pathIds;
        this.root = root;
        this.fields = fields;
        this.pathUse = pathUse;
        this.alwaysCheck = alwaysCheck;
        this.ruleCapacity = ruleCapacity;
        this.subCapacity = subCapacity;
        this.condCapacity = condCapacity;
        this.pathCapacity = fields.length;
        this.liveSubs = liveSubs;
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
        return state.finish(alwaysCheck);
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
        Map<String, Integer> newPathIds = pathIds;
        int[] newPathUse = pathUse;
        FieldIndex[] newFields = fields;
        int condId = condCapacity;
        List<Alternative> alternatives = pattern.alternatives();
        Sub[] subs = new Sub[alternatives.size()];
        CompiledRule rule = new CompiledRule(name, pattern, ruleCapacity, subs);
        Map<Integer, Map<ValueMatcher, List<Cond>>> added = new HashMap<>();
        List<Sub> absenceOnly = new ArrayList<>();
        for (int a = 0; a < subs.length; a++) {
            List<Condition> conditions = alternatives.get(a).conditions();
            boolean[] deferred = CompiledRule.deferred(conditions);
            Cond[] conds = new Cond[conditions.size()];
            for (int i = 0; i < conds.length; i++) {
                Condition condition = conditions.get(i);
                Integer pathId = newPathIds.get(condition.path());
                if (pathId == null) {
                    if (newPathIds == pathIds) {
                        newPathIds = new HashMap<>(pathIds);
                    }
                    pathId = newFields.length;
                    newPathIds.put(condition.path(), pathId);
                    newFields = Arrays.copyOf(newFields, pathId + 1);
                    newFields[pathId] = FieldIndex.EMPTY;
                    newPathUse = Arrays.copyOf(newPathUse, pathId + 1);
                } else if (newPathUse == pathUse) {
                    newPathUse = pathUse.clone();
                }
                newPathUse[pathId]++;
                Cond cond = new Cond(condId++, pathId, condition, deferred[i]);
                conds[i] = cond;
                if (!cond.deferred) {
                    Map<ValueMatcher, List<Cond>> byMatcher =
                            added.computeIfAbsent(pathId, x -> new LinkedHashMap<>());
                    for (ValueMatcher m : condition.matchers()) {
                        byMatcher.computeIfAbsent(m, x -> new ArrayList<>()).add(cond);
                    }
                }
            }
            Sub sub = new Sub(subCapacity + a, rule, conds);
            for (Cond c : conds) {
                c.owner = sub;
            }
            subs[a] = sub;
            if (sub.required == 0) {
                absenceOnly.add(sub);
            }
        }
        if (newFields == fields) {
            newFields = fields.clone();
        }
        for (Map.Entry<Integer, Map<ValueMatcher, List<Cond>>> e : added.entrySet()) {
            List<Map.Entry<ValueMatcher, Cond[]>> entries = new ArrayList<>();
            e.getValue().forEach((m, conds) -> entries.add(Map.entry(m, conds.toArray(new Cond[0]))));
            newFields[e.getKey()] = newFields[e.getKey()].plus(entries);
        }
        ShardedMap<String, CompiledRule> newRules = rules.plus(name, rule);
        Sub[] newAlways = alwaysCheck;
        if (!absenceOnly.isEmpty()) {
            newAlways = Arrays.copyOf(alwaysCheck, alwaysCheck.length + absenceOnly.size());
            for (int i = 0; i < absenceOnly.size(); i++) {
                newAlways[alwaysCheck.length + i] = absenceOnly.get(i);
            }
        }
        PathNode newRoot = newPathIds == pathIds ? root : PathNode.build(newPathIds);
        return new Machine(newRules, newPathIds, newRoot, newFields, newPathUse,
                newAlways, ruleCapacity + 1, subCapacity + subs.length, condId, liveSubs + subs.length);
    }

    Machine without(String name) {
        CompiledRule rule = rules.get(name);
        if (rule == null) {
            return this;
        }
        Map<Integer, Set<ValueMatcher>> touched = new HashMap<>();
        int[] newPathUse = pathUse.clone();
        for (Sub s : rule.subs) {
            for (Cond c : s.conds) {
                if (!c.deferred) {
                    touched.computeIfAbsent(c.pathId, x -> new HashSet<>()).addAll(c.condition.matchers());
                }
                newPathUse[c.pathId]--;
            }
        }
        FieldIndex[] newFields = fields.clone();
        for (Map.Entry<Integer, Set<ValueMatcher>> t : touched.entrySet()) {
            newFields[t.getKey()] = fields[t.getKey()].minus(new ArrayList<>(t.getValue()), c -> c.owner.rule == rule);
        }
        Map<String, Integer> newPathIds = pathIds;
        for (Sub s : rule.subs) {
            for (Cond c : s.conds) {
                touched.putIfAbsent(c.pathId, new HashSet<>());
            }
        }
        for (int pathId : touched.keySet()) {
            if (newPathUse[pathId] == 0) {
                if (newPathIds == pathIds) {
                    newPathIds = new HashMap<>(pathIds);
                }
                newPathIds.values().remove(pathId);
            }
        }
        Sub[] newAlways = alwaysCheck;
        if (Arrays.stream(alwaysCheck).anyMatch(s -> s.rule == rule)) {
            newAlways = Arrays.stream(alwaysCheck).filter(s -> s.rule != rule).toArray(Sub[]::new);
        }
        ShardedMap<String, CompiledRule> newRules = rules.minus(name);
        PathNode newRoot = newPathIds == pathIds ? root : PathNode.build(newPathIds);
        return new Machine(newRules, newPathIds, newRoot, newFields, newPathUse,
                newAlways, ruleCapacity, subCapacity, condCapacity, liveSubs - rule.subs.length);
    }

    /**
     * A machine built from scratch, with dense ids: each path's index is built once, so building n rules costs
     * O(n), where adding them one by one would rebuild the indexes of shared paths n times.
     */
    static Machine build(Map<String, EventPattern> patterns) {
        Map<String, CompiledRule> rules = new HashMap<>();
        Map<String, Integer> pathIds = new HashMap<>();
        List<Map<ValueMatcher, List<Cond>>> byPath = new ArrayList<>();
        List<Sub> always = new ArrayList<>();
        int ruleId = 0;
        int subId = 0;
        int condId = 0;
        for (Map.Entry<String, EventPattern> e : patterns.entrySet()) {
            List<Alternative> alternatives = e.getValue().alternatives();
            Sub[] subs = new Sub[alternatives.size()];
            CompiledRule rule = new CompiledRule(e.getKey(), e.getValue(), ruleId++, subs);
            for (int a = 0; a < subs.length; a++) {
                List<Condition> conditions = alternatives.get(a).conditions();
                boolean[] deferred = CompiledRule.deferred(conditions);
                Cond[] conds = new Cond[conditions.size()];
                for (int i = 0; i < conds.length; i++) {
                    Condition condition = conditions.get(i);
                    int pathId = pathIds.computeIfAbsent(condition.path(), x -> {
                        byPath.add(new LinkedHashMap<>());
                        return byPath.size() - 1;
                    });
                    Cond cond = new Cond(condId++, pathId, condition, deferred[i]);
                    conds[i] = cond;
                    if (!cond.deferred) {
                        for (ValueMatcher m : condition.matchers()) {
                            byPath.get(pathId).computeIfAbsent(m, x -> new ArrayList<>()).add(cond);
                        }
                    }
                }
                Sub sub = new Sub(subId++, rule, conds);
                for (Cond c : conds) {
                    c.owner = sub;
                }
                subs[a] = sub;
                if (sub.required == 0) {
                    always.add(sub);
                }
            }
            rules.put(e.getKey(), rule);
        }
        FieldIndex[] fields = new FieldIndex[byPath.size()];
        int[] pathUse = new int[byPath.size()];
        for (CompiledRule r : rules.values()) {
            for (Sub s : r.subs) {
                for (Cond c : s.conds) {
                    pathUse[c.pathId]++;
                }
            }
        }
        for (int i = 0; i < fields.length; i++) {
            List<Map.Entry<ValueMatcher, Cond[]>> entries = new ArrayList<>();
            byPath.get(i).forEach((m, conds) -> entries.add(Map.entry(m, conds.toArray(new Cond[0]))));
            fields[i] = FieldIndex.EMPTY.plus(entries);
        }
        return new Machine(ShardedMap.of(rules), pathIds, PathNode.build(pathIds), fields, pathUse,
                always.toArray(new Sub[0]), ruleId, subId, condId, subId);
    }
}
