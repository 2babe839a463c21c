package io.busbar.pattern;

import io.busbar.pattern.CompiledRule.Cond;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the rules ask of one field path, indexed so that one leaf of the event finds the conditions it
 * satisfies without trying the ones it cannot.
 *
 * <p>Implementation notes: string literals, number texts and ASCII {@code equals-ignore-case} operands are hash
 * lookups; {@code prefix} and {@code suffix} (and their ASCII ignore-case forms) are one hash lookup per distinct
 * operand length; numeric equality is a binary search over sorted doubles; one-sided ranges are kept sorted by their
 * bound, so the conditions a number satisfies form a prefix (or suffix) of the array and cost nothing when they
 * do not match. What remains (anything-but, wildcard, two-sided ranges, CIDR, non-ASCII ignore-case) is tested
 * operand by operand: EventBridge caps wildcard rules at 30 per bus, and an anything-but matches almost every
 * value, so its cost is the output's. Immutable; rebuilt, for one path only, when a rule using the path changes.
 */
final class FieldIndex {
    static final FieldIndex EMPTY = new FieldIndex(List.of());

    /** The (matcher, conditions) pairs this index was built from, kept to rebuild it after a change. */
    final List<Map.Entry<ValueMatcher, Cond[]>> entries;

    private final BytesMap<Cond[]> exactStrings;
    private final BytesMap<Cond[]> numberTexts;
    private final double[] numberValues;
    private final Cond[][] numberValueConds;
    private final Affix prefixes;
    private final Affix suffixes;
    private final BytesMap<Cond[]> asciiIgnoreCase;
    private final Affix asciiPrefixesIgnoreCase;
    private final Affix asciiSuffixesIgnoreCase;
    private final boolean needsLowerCase;
    private final Cond[] trueConds;
    private final Cond[] falseConds;
    private final Cond[] nullConds;
    private final Cond[] existsConds;
    private final double[] lowerBounds;
    private final boolean[] lowerInclusive;
    private final Cond[][] lowerBoundConds;
    private final double[] upperBounds;
    private final boolean[] upperInclusive;
    private final Cond[][] upperBoundConds;
    private final ValueMatcher[] tested;
    private final Cond[][] testedConds;

    private FieldIndex(List<Map.Entry<ValueMatcher, Cond[]>> entries) {
        this.entries = entries;
        List<byte[]> exactKeys = new ArrayList<>();
        List<Cond[]> exactVals = new ArrayList<>();
        List<byte[]> textKeys = new ArrayList<>();
        List<Cond[]> textVals = new ArrayList<>();
        TreeMap<Double, Cond[]> values = new TreeMap<>();
        Affix.Builder pre = new Affix.Builder();
        Affix.Builder suf = new Affix.Builder();
        List<byte[]> icKeys = new ArrayList<>();
        List<Cond[]> icVals = new ArrayList<>();
        Affix.Builder icPre = new Affix.Builder();
        Affix.Builder icSuf = new Affix.Builder();
        Cond[] t = new Cond[0];
        Cond[] f = new Cond[0];
        Cond[] n = new Cond[0];
        Cond[] e = new Cond[0];
        TreeMap<Double, Cond[]> lowExcl = new TreeMap<>();
        TreeMap<Double, Cond[]> lowIncl = new TreeMap<>();
        TreeMap<Double, Cond[]> highExcl = new TreeMap<>();
        TreeMap<Double, Cond[]> highIncl = new TreeMap<>();
        List<ValueMatcher> testedList = new ArrayList<>();
        List<Cond[]> testedCondList = new ArrayList<>();
        for (Map.Entry<ValueMatcher, Cond[]> entry : entries) {
            ValueMatcher m = entry.getKey();
            Cond[] conds = entry.getValue();
            if (m instanceof ValueMatcher.ExactString s) {
                exactKeys.add(s.bytes());
                exactVals.add(conds);
            } else if (m instanceof ValueMatcher.ExactNumber num) {
                textKeys.add(num.bytes());
                textVals.add(conds);
                if (num.byValue()) {
                    values.merge(num.value(), conds, FieldIndex::concat);
                }
            } else if (m instanceof ValueMatcher.Keyword k) {
                if (k.kind() == Leaf.TRUE) {
                    t = concat(t, conds);
                } else if (k.kind() == Leaf.FALSE) {
                    f = concat(f, conds);
                } else {
                    n = concat(n, conds);
                }
            } else if (m instanceof ValueMatcher.Exists) {
                e = concat(e, conds);
            } else if (m instanceof ValueMatcher.Prefix p) {
                pre.add(p.bytes(), conds);
            } else if (m instanceof ValueMatcher.Suffix s) {
                suf.add(s.bytes(), conds);
            } else if (m instanceof ValueMatcher.IgnoreCase ic && ic.text().asciiLowerBytes() != null) {
                byte[] lower = ic.text().asciiLowerBytes();
                switch (ic.mode()) {
                    case EQUALS -> {
                        icKeys.add(lower);
                        icVals.add(conds);
                    }
                    case PREFIX -> icPre.add(lower, conds);
                    case SUFFIX -> icSuf.add(lower, conds);
                    default -> throw new AssertionError(ic.mode());
                }
            } else if (m instanceof ValueMatcher.Numeric r && r.low() == r.high()) {
                values.merge(r.low(), conds, FieldIndex::concat);
            } else if (m instanceof ValueMatcher.Numeric r && r.high() == Double.POSITIVE_INFINITY) {
                (r.lowInclusive() ? lowIncl : lowExcl).merge(r.low(), conds, FieldIndex::concat);
            } else if (m instanceof ValueMatcher.Numeric r && r.low() == Double.NEGATIVE_INFINITY) {
                (r.highInclusive() ? highIncl : highExcl).merge(r.high(), conds, FieldIndex::concat);
            } else {
                testedList.add(m);
                testedCondList.add(conds);
            }
        }
        this.exactStrings = merged(exactKeys, exactVals);
        this.numberTexts = merged(textKeys, textVals);
        this.numberValues = values.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        this.numberValueConds = values.values().toArray(new Cond[0][]);
        this.prefixes = pre.build();
        this.suffixes = suf.build();
        this.asciiIgnoreCase = merged(icKeys, icVals);
        this.asciiPrefixesIgnoreCase = icPre.build();
        this.asciiSuffixesIgnoreCase = icSuf.build();
        this.needsLowerCase = !asciiIgnoreCase.isEmpty() || asciiPrefixesIgnoreCase != null
                || asciiSuffixesIgnoreCase != null;
        this.trueConds = t;
        this.falseConds = f;
        this.nullConds = n;
        this.existsConds = e;
        // Lower bounds sorted ascending: a value v satisfies every bound below it, a prefix of the array.
        int lowCount = lowExcl.size() + lowIncl.size();
        this.lowerBounds = new double[lowCount];
        this.lowerInclusive = new boolean[lowCount];
        this.lowerBoundConds = new Cond[lowCount][];
        fillBounds(lowExcl, lowIncl, lowerBounds, lowerInclusive, lowerBoundConds, true);
        int highCount = highExcl.size() + highIncl.size();
        this.upperBounds = new double[highCount];
        this.upperInclusive = new boolean[highCount];
        this.upperBoundConds = new Cond[highCount][];
        fillBounds(highExcl, highIncl, upperBounds, upperInclusive, upperBoundConds, false);
        this.tested = testedList.toArray(new ValueMatcher[0]);
        this.testedConds = testedCondList.toArray(new Cond[0][]);
    }

    /**
     * Orders bounds so that the satisfied ones are contiguous: for lower bounds ascending, with an exclusive bound
     * after an inclusive one of the same value (v = b satisfies {@code >= b} but not {@code > b}); for upper bounds
     * ascending, with the exclusive one first.
     */
    private static void fillBounds(TreeMap<Double, Cond[]> excl, TreeMap<Double, Cond[]> incl, double[] bounds,
                                   boolean[] inclusive, Cond[][] conds, boolean lower) {
        List<Object[]> all = new ArrayList<>();
        excl.forEach((b, c) -> all.add(new Object[] {b, Boolean.FALSE, c}));
        incl.forEach((b, c) -> all.add(new Object[] {b, Boolean.TRUE, c}));
        all.sort((x, y) -> {
            int cmp = Double.compare((Double) x[0], (Double) y[0]);
            if (cmp != 0) {
                return cmp;
            }
            boolean xi = (Boolean) x[1];
            boolean yi = (Boolean) y[1];
            if (xi == yi) {
                return 0;
            }
            return lower ? (xi ? -1 : 1) : (xi ? 1 : -1);
        });
        for (int i = 0; i < all.size(); i++) {
            bounds[i] = (Double) all.get(i)[0];
            inclusive[i] = (Boolean) all.get(i)[1];
            conds[i] = (Cond[]) all.get(i)[2];
        }
    }

    private static BytesMap<Cond[]> merged(List<byte[]> keys, List<Cond[]> vals) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<byte[]> k = new ArrayList<>();
        List<Cond[]> v = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = new String(keys.get(i), java.nio.charset.StandardCharsets.ISO_8859_1);
            Integer at = seen.get(key);
            if (at == null) {
                seen.put(key, k.size());
                k.add(keys.get(i));
                v.add(vals.get(i));
            } else {
                v.set(at, concat(v.get(at), vals.get(i)));
            }
        }
        return BytesMap.of(k, v);
    }

    static Cond[] concat(Cond[] a, Cond[] b) {
        Cond[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** An index with the entries of this one plus {@code added}, minus the conditions {@code removed} owns. */
    FieldIndex rebuilt(List<Map.Entry<ValueMatcher, Cond[]>> added, java.util.function.Predicate<Cond> removed) {
        Map<ValueMatcher, List<Cond>> merged = new LinkedHashMap<>();
        for (Map.Entry<ValueMatcher, Cond[]> entry : entries) {
            for (Cond c : entry.getValue()) {
                if (!removed.test(c)) {
                    merged.computeIfAbsent(entry.getKey(), x -> new ArrayList<>()).add(c);
                }
            }
        }
        for (Map.Entry<ValueMatcher, Cond[]> entry : added) {
            merged.computeIfAbsent(entry.getKey(), x -> new ArrayList<>()).addAll(Arrays.asList(entry.getValue()));
        }
        List<Map.Entry<ValueMatcher, Cond[]>> list = new ArrayList<>(merged.size());
        merged.forEach((m, conds) -> list.add(Map.entry(m, conds.toArray(new Cond[0]))));
        return list.isEmpty() ? EMPTY : new FieldIndex(List.copyOf(list));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Reports to {@code state} every condition that {@code leaf} satisfies. */
    void evaluate(Leaf leaf, MatchState state, int ctx) {
        if (existsConds.length > 0) {
            state.hitAll(existsConds, ctx);
        }
        switch (leaf.kind) {
            case Leaf.STRING -> evaluateString(leaf, state, ctx);
            case Leaf.NUMBER -> evaluateNumber(leaf, state, ctx);
            case Leaf.TRUE -> state.hitAll(trueConds, ctx);
            case Leaf.FALSE -> state.hitAll(falseConds, ctx);
            default -> state.hitAll(nullConds, ctx);
        }
        for (int i = 0; i < tested.length; i++) {
            if (tested[i].test(leaf)) {
                state.hitAll(testedConds[i], ctx);
            }
        }
    }

    private void evaluateString(Leaf leaf, MatchState state, int ctx) {
        byte[] b = leaf.buf;
        int off = leaf.off;
        int len = leaf.len;
        Cond[] c = exactStrings.get(b, off, len);
        if (c != null) {
            state.hitAll(c, ctx);
        }
        if (prefixes != null) {
            prefixes.matchPrefixes(b, off, len, state, ctx);
        }
        if (suffixes != null) {
            suffixes.matchSuffixes(b, off, len, state, ctx);
        }
        if (needsLowerCase) {
            byte[] lower = state.lowerCase(b, off, len);
            c = asciiIgnoreCase.get(lower, 0, len);
            if (c != null) {
                state.hitAll(c, ctx);
            }
            if (asciiPrefixesIgnoreCase != null) {
                asciiPrefixesIgnoreCase.matchPrefixes(lower, 0, len, state, ctx);
            }
            if (asciiSuffixesIgnoreCase != null) {
                asciiSuffixesIgnoreCase.matchSuffixes(lower, 0, len, state, ctx);
            }
        }
    }

    private void evaluateNumber(Leaf leaf, MatchState state, int ctx) {
        Cond[] c = numberTexts.get(leaf.buf, leaf.off, leaf.len);
        if (c != null) {
            state.hitAll(c, ctx);
        }
        if (numberValues.length == 0 && lowerBounds.length == 0 && upperBounds.length == 0) {
            return;
        }
        double v = leaf.number();
        if (Double.isNaN(v)) {
            return;
        }
        if (v == 0.0) {
            v = 0.0;
        }
        if (numberValues.length > 0) {
            int at = Arrays.binarySearch(numberValues, v);
            if (at >= 0) {
                state.hitAll(numberValueConds[at], ctx);
            }
        }
        for (int i = 0; i < lowerBounds.length; i++) {
            double b = lowerBounds[i];
            if (v > b || (v == b && lowerInclusive[i])) {
                state.hitAll(lowerBoundConds[i], ctx);
            } else if (v < b || !lowerInclusive[i]) {
                break;
            }
        }
        for (int i = upperBounds.length - 1; i >= 0; i--) {
            double b = upperBounds[i];
            if (v < b || (v == b && upperInclusive[i])) {
                state.hitAll(upperBoundConds[i], ctx);
            } else if (v > b || !upperInclusive[i]) {
                break;
            }
        }
    }

    /** Operands of one kind grouped by byte length: a value has at most one prefix (suffix) of each length. */
    static final class Affix {
        private final int[] lengths;
        private final BytesMap<Cond[]>[] maps;

        private Affix(int[] lengths, BytesMap<Cond[]>[] maps) {
            this.lengths = lengths;
            this.maps = maps;
        }

        void matchPrefixes(byte[] b, int off, int len, MatchState state, int ctx) {
            for (int i = 0; i < lengths.length; i++) {
                int l = lengths[i];
                if (l > len) {
                    return;
                }
                Cond[] c = maps[i].get(b, off, l);
                if (c != null) {
                    state.hitAll(c, ctx);
                }
            }
        }

        void matchSuffixes(byte[] b, int off, int len, MatchState state, int ctx) {
            for (int i = 0; i < lengths.length; i++) {
                int l = lengths[i];
                if (l > len) {
                    return;
                }
                Cond[] c = maps[i].get(b, off + len - l, l);
                if (c != null) {
                    state.hitAll(c, ctx);
                }
            }
        }

        static final class Builder {
            private final TreeMap<Integer, List<byte[]>> keys = new TreeMap<>();
            private final TreeMap<Integer, List<Cond[]>> vals = new TreeMap<>();

            void add(byte[] key, Cond[] conds) {
                keys.computeIfAbsent(key.length, x -> new ArrayList<>()).add(key);
                vals.computeIfAbsent(key.length, x -> new ArrayList<>()).add(conds);
            }

            @SuppressWarnings("unchecked")
            Affix build() {
                if (keys.isEmpty()) {
                    return null;
                }
                int[] lengths = keys.keySet().stream().mapToInt(Integer::intValue).toArray();
                BytesMap<Cond[]>[] maps = new BytesMap[lengths.length];
                for (int i = 0; i < lengths.length; i++) {
                    maps[i] = merged(keys.get(lengths[i]), vals.get(lengths[i]));
                }
                return new Affix(lengths, maps);
            }
        }
    }
}
