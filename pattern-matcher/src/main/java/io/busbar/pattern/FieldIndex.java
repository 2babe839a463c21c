package io.busbar.pattern;

import io.busbar.pattern.CompiledRule.Cond;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Everything the rules ask of one field path, indexed so that one leaf of the event finds the conditions it
 * satisfies without trying the ones it cannot.
 *
 * <p>Implementation notes: string literals, number texts and ASCII {@code equals-ignore-case} operands are hash
 * lookups; {@code prefix} and {@code suffix} (and their ASCII ignore-case forms) are one hash lookup per distinct
 * operand length; numeric equality is a binary search over sorted doubles; one-sided ranges are kept sorted by their
 * bound, so the conditions a number satisfies form a prefix (or suffix) of the array and the others cost nothing.
 * What remains (anything-but, wildcard, two-sided ranges, CIDR, non-ASCII ignore-case) is tested operand by
 * operand: EventBridge caps wildcard rules at 30 per bus, and an anything-but matches almost every value, so its
 * cost is the output's.
 *
 * <p>Immutable once published. {@link #plus} and {@link #minus} return a new index that shares every part the
 * change does not touch and copies the parts it does (a hash table or a sorted array: a memory copy, not a
 * rebuild), so a rule change costs in proportion to the size of the parts it touches. Removal leaves a key with
 * no conditions behind; such dead keys are dropped when the {@link Machine} is next built from scratch.
 */
final class FieldIndex {
    private static final Cond[] NONE = new Cond[0];
    static final FieldIndex EMPTY = new FieldIndex();

    private BytesMap<Cond[]> exactStrings = BytesMap.empty();
    private BytesMap<Cond[]> numberTexts = BytesMap.empty();
    private double[] numberValues = new double[0];
    private Cond[][] numberValueConds = new Cond[0][];
    private Affix prefixes = Affix.EMPTY;
    private Affix suffixes = Affix.EMPTY;
    private BytesMap<Cond[]> asciiIgnoreCase = BytesMap.empty();
    private Affix asciiPrefixesIgnoreCase = Affix.EMPTY;
    private Affix asciiSuffixesIgnoreCase = Affix.EMPTY;
    private boolean needsLowerCase;
    private Cond[] trueConds = NONE;
    private Cond[] falseConds = NONE;
    private Cond[] nullConds = NONE;
    private Cond[] existsConds = NONE;
    private Bounds lowerBounds = Bounds.EMPTY;
    private Bounds upperBounds = Bounds.EMPTY;
    private RangeIndex ranges = RangeIndex.EMPTY;
    private ValueMatcher[] tested = new ValueMatcher[0];
    /** Every bound and numeric key of this path, sorted; {@code null} when there are too many to keep. */
    private double[] critical = new double[0];
    private Cond[][] testedConds = new Cond[0][];

    private FieldIndex() {
    }

    private FieldIndex copy() {
        FieldIndex c = new FieldIndex();
        c.exactStrings = exactStrings;
        c.numberTexts = numberTexts;
        c.numberValues = numberValues;
        c.numberValueConds = numberValueConds;
        c.prefixes = prefixes;
        c.suffixes = suffixes;
        c.asciiIgnoreCase = asciiIgnoreCase;
        c.asciiPrefixesIgnoreCase = asciiPrefixesIgnoreCase;
        c.asciiSuffixesIgnoreCase = asciiSuffixesIgnoreCase;
        c.trueConds = trueConds;
        c.falseConds = falseConds;
        c.nullConds = nullConds;
        c.existsConds = existsConds;
        c.lowerBounds = lowerBounds;
        c.upperBounds = upperBounds;
        c.ranges = ranges;
        c.tested = tested;
        c.critical = critical;
        c.testedConds = testedConds;
        return c;
    }

    /** An index with {@code added} (matcher, conditions) pairs on top of this one. */
    FieldIndex plus(List<Map.Entry<ValueMatcher, Cond[]>> added) {
        Edit edit = new Edit(copy(), added.size());
        for (Map.Entry<ValueMatcher, Cond[]> e : added) {
            edit.apply(e.getKey(), e.getValue(), null);
        }
        return edit.finish();
    }

    /** An index without the conditions {@code removed} selects, among those of the given matchers. */
    FieldIndex minus(List<ValueMatcher> matchers, Predicate<Cond> removed) {
        Edit edit = new Edit(copy(), 0);
        for (ValueMatcher m : matchers) {
            edit.apply(m, NONE, removed);
        }
        return edit.finish();
    }

    static Cond[] concat(Cond[] a, Cond[] b) {
        if (a.length == 0) {
            return b;
        }
        Cond[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code existing} with {@code added} appended and, when {@code removed} is given, the selected ones dropped. */
    static Cond[] update(Cond[] existing, Cond[] added, Predicate<Cond> removed) {
        if (existing == null) {
            existing = NONE;
        }
        if (removed == null) {
            return concat(existing, added);
        }
        return Arrays.stream(existing).filter(removed.negate()).toArray(Cond[]::new);
    }

    private static final int MAX_CRITICAL = 4096;

    /** One change to a copy of an index; every shared part is copied at most once per change. */
    private static final class Edit {
        private final FieldIndex ix;
        private final int expected;
        private final Set<Object> fresh = Collections.newSetFromMap(new IdentityHashMap<>());

        Edit(FieldIndex ix, int expected) {
            this.ix = ix;
            this.expected = expected;
        }

        private BytesMap<Cond[]> editable(BytesMap<Cond[]> map) {
            if (fresh.contains(map)) {
                return map;
            }
            BytesMap<Cond[]> copy = map.copyForUpdate(Math.max(1, expected));
            fresh.add(copy);
            return copy;
        }

        private BytesMap<Cond[]> put(BytesMap<Cond[]> map, byte[] key, Cond[] conds, Predicate<Cond> removed) {
            Cond[] existing = map.get(key);
            if (existing == null && removed != null) {
                return map;
            }
            BytesMap<Cond[]> m = editable(map);
            m.putInPlace(key, update(existing, conds, removed));
            return m;
        }

        private Affix put(Affix affix, byte[] key, Cond[] conds, Predicate<Cond> removed) {
            int at = Arrays.binarySearch(affix.lengths, key.length);
            Affix a = affix;
            if (at < 0) {
                if (removed != null) {
                    return affix;
                }
                at = -at - 1;
                int[] lengths = new int[affix.lengths.length + 1];
                @SuppressWarnings("unchecked")
                BytesMap<Cond[]>[] maps = new BytesMap[lengths.length];
                System.arraycopy(affix.lengths, 0, lengths, 0, at);
                System.arraycopy(affix.maps, 0, maps, 0, at);
                lengths[at] = key.length;
                maps[at] = BytesMap.empty();
                System.arraycopy(affix.lengths, at, lengths, at + 1, affix.lengths.length - at);
                System.arraycopy(affix.maps, at, maps, at + 1, affix.maps.length - at);
                a = new Affix(lengths, maps);
                fresh.add(a);
            } else if (!fresh.contains(affix)) {
                a = new Affix(affix.lengths, affix.maps.clone());
                fresh.add(a);
            }
            a.maps[at] = put(a.maps[at], key, conds, removed);
            return a;
        }

        private void putNumber(double v, Cond[] conds, Predicate<Cond> removed) {
            int at = Arrays.binarySearch(ix.numberValues, v);
            if (at >= 0) {
                if (!fresh.contains(ix.numberValueConds)) {
                    ix.numberValueConds = ix.numberValueConds.clone();
                    fresh.add(ix.numberValueConds);
                }
                ix.numberValueConds[at] = update(ix.numberValueConds[at], conds, removed);
            } else if (removed == null) {
                at = -at - 1;
                double[] values = new double[ix.numberValues.length + 1];
                Cond[][] condArrays = new Cond[values.length][];
                System.arraycopy(ix.numberValues, 0, values, 0, at);
                System.arraycopy(ix.numberValueConds, 0, condArrays, 0, at);
                values[at] = v;
                condArrays[at] = conds;
                System.arraycopy(ix.numberValues, at, values, at + 1, ix.numberValues.length - at);
                System.arraycopy(ix.numberValueConds, at, condArrays, at + 1, ix.numberValueConds.length - at);
                ix.numberValues = values;
                ix.numberValueConds = condArrays;
                fresh.add(condArrays);
            }
        }

        private final java.util.List<Map.Entry<ValueMatcher.Numeric, Cond[]>> rangeAdds = new java.util.ArrayList<>();
        private java.util.ArrayList<ValueMatcher> testedList;
        private java.util.ArrayList<Cond[]> testedCondList;
        private java.util.HashMap<ValueMatcher, Integer> testedAt;

        /** Tested matchers are edited as lists, indexed once per edit, and written back by {@link #finish}. */
        private void putTested(ValueMatcher m, Cond[] conds, Predicate<Cond> removed) {
            if (testedList == null) {
                testedList = new java.util.ArrayList<>(Arrays.asList(ix.tested));
                testedCondList = new java.util.ArrayList<>(Arrays.asList(ix.testedConds));
                testedAt = new java.util.HashMap<>();
                for (int i = 0; i < testedList.size(); i++) {
                    testedAt.put(testedList.get(i), i);
                }
            }
            Integer at = testedAt.get(m);
            if (at != null) {
                testedCondList.set(at, update(testedCondList.get(at), conds, removed));
            } else if (removed == null) {
                testedAt.put(m, testedList.size());
                testedList.add(m);
                testedCondList.add(conds);
            }
        }

        void apply(ValueMatcher m, Cond[] conds, Predicate<Cond> removed) {
            if (m instanceof ValueMatcher.ExactString s) {
                ix.exactStrings = put(ix.exactStrings, s.bytes(), conds, removed);
            } else if (m instanceof ValueMatcher.ExactNumber num) {
                ix.numberTexts = put(ix.numberTexts, num.bytes(), conds, removed);
                if (num.byValue()) {
                    putNumber(num.value(), conds, removed);
                }
            } else if (m instanceof ValueMatcher.Keyword k) {
                if (k.kind() == Leaf.TRUE) {
                    ix.trueConds = update(ix.trueConds, conds, removed);
                } else if (k.kind() == Leaf.FALSE) {
                    ix.falseConds = update(ix.falseConds, conds, removed);
                } else {
                    ix.nullConds = update(ix.nullConds, conds, removed);
                }
            } else if (m instanceof ValueMatcher.Exists) {
                ix.existsConds = update(ix.existsConds, conds, removed);
            } else if (m instanceof ValueMatcher.Prefix p) {
                ix.prefixes = put(ix.prefixes, p.bytes(), conds, removed);
            } else if (m instanceof ValueMatcher.Suffix s) {
                ix.suffixes = put(ix.suffixes, s.bytes(), conds, removed);
            } else if (m instanceof ValueMatcher.IgnoreCase ic && ic.text().asciiLowerBytes() != null) {
                byte[] lower = ic.text().asciiLowerBytes();
                switch (ic.mode()) {
                    case EQUALS -> ix.asciiIgnoreCase = put(ix.asciiIgnoreCase, lower, conds, removed);
                    case PREFIX -> ix.asciiPrefixesIgnoreCase = put(ix.asciiPrefixesIgnoreCase, lower, conds, removed);
                    case SUFFIX -> ix.asciiSuffixesIgnoreCase = put(ix.asciiSuffixesIgnoreCase, lower, conds, removed);
                    default -> throw new AssertionError(ic.mode());
                }
            } else if (m instanceof ValueMatcher.Numeric r && r.low() == r.high()) {
                putNumber(r.low(), conds, removed);
            } else if (m instanceof ValueMatcher.Numeric r && r.high() == Double.POSITIVE_INFINITY) {
                ix.lowerBounds = ix.lowerBounds.put(r.low(), r.lowInclusive(), true, conds, removed);
            } else if (m instanceof ValueMatcher.Numeric r && r.low() == Double.NEGATIVE_INFINITY) {
                ix.upperBounds = ix.upperBounds.put(r.high(), r.highInclusive(), false, conds, removed);
            } else if (m instanceof ValueMatcher.Numeric r) {
                if (removed == null) {
                    rangeAdds.add(Map.entry(r, conds)); // merged in one pass by finish(): n inserts, not n copies
                } else {
                    ix.ranges = ix.ranges.put(r, conds, removed);
                }
            } else {
                putTested(m, conds, removed);
            }
        }

        /** Every bound and key of the numeric parts, once they are final; null (always exact) when huge. */
        private void finishCritical() {
            int n = ix.numberValues.length + ix.lowerBounds.values.length + ix.upperBounds.values.length
                    + ix.ranges.size() * 2;
            if (n > MAX_CRITICAL) {
                ix.critical = null;
                return;
            }
            double[] c = new double[n];
            int k = 0;
            for (double v : ix.numberValues) {
                c[k++] = v;
            }
            for (double v : ix.lowerBounds.values) {
                c[k++] = v;
            }
            for (double v : ix.upperBounds.values) {
                c[k++] = v;
            }
            k = ix.ranges.collectBounds(c, k);
            Arrays.sort(c, 0, k);
            ix.critical = Arrays.copyOf(c, k);
        }

        FieldIndex finish() {
            if (!rangeAdds.isEmpty()) {
                ix.ranges = ix.ranges.plusAll(rangeAdds);
            }
            if (testedList != null) {
                java.util.List<ValueMatcher> t = new java.util.ArrayList<>();
                java.util.List<Cond[]> c = new java.util.ArrayList<>();
                for (int i = 0; i < testedList.size(); i++) {
                    if (testedCondList.get(i).length > 0) {
                        t.add(testedList.get(i));
                        c.add(testedCondList.get(i));
                    }
                }
                ix.tested = t.toArray(new ValueMatcher[0]);
                ix.testedConds = c.toArray(new Cond[0][]);
            }
            ix.needsLowerCase = !ix.asciiIgnoreCase.isEmpty() || ix.asciiPrefixesIgnoreCase.lengths.length > 0
                    || ix.asciiSuffixesIgnoreCase.lengths.length > 0;
            finishCritical();
            return ix;
        }
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
        ValueMatcher[] t = tested;
        for (int i = 0; i < t.length; i++) {
            if (t[i].test(leaf)) {
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
        prefixes.matchPrefixes(b, off, len, state, ctx);
        suffixes.matchSuffixes(b, off, len, state, ctx);
        if (needsLowerCase) {
            byte[] lower = state.lowerCase(b, off, len);
            c = asciiIgnoreCase.get(lower, 0, len);
            if (c != null) {
                state.hitAll(c, ctx);
            }
            asciiPrefixesIgnoreCase.matchPrefixes(lower, 0, len, state, ctx);
            asciiSuffixesIgnoreCase.matchSuffixes(lower, 0, len, state, ctx);
        }
    }

    private void evaluateNumber(Leaf leaf, MatchState state, int ctx) {
        Cond[] c = numberTexts.get(leaf.buf, leaf.off, leaf.len);
        if (c != null) {
            state.hitAll(c, ctx);
        }
        if (numberValues.length == 0 && lowerBounds.isEmpty() && upperBounds.isEmpty() && ranges.isEmpty()) {
            return;
        }
        double v = leaf.approximateNumber();
        if (Double.isNaN(v) || (!leaf.numberExact() && nearCritical(v))) {
            // Parsing a 17-digit coordinate exactly costs far more than everything else here: the quick value
            // decides every comparison unless it lies within a few ulps of a bound or key, where only the exact
            // double can.
            v = leaf.number();
        }
        if (Double.isNaN(v)) {
            return;
        }
        if (v == 0.0) {
            v = 0.0; // -0.0 and 0.0 are one number
        }
        if (numberValues.length > 0) {
            int at = Arrays.binarySearch(numberValues, v);
            if (at >= 0) {
                state.hitAll(numberValueConds[at], ctx);
            }
        }
        lowerBounds.matchLower(v, state, ctx);
        upperBounds.matchUpper(v, state, ctx);
        ranges.match(v, state, ctx);
    }

    /**
     * Two-sided numeric ranges grouped by width class (the binary exponent of {@code high - low}): a range of width
     * below {@code 2^(e+1)} can contain {@code v} only if its lower bound lies in {@code (v - 2^(e+1), v]}, so each
     * class is one binary search and a scan of that window. Matching costs O(classes * log n) plus the ranges in the
     * windows, which for ranges of similar widths is about the ranges that match, not all of them. Immutable.
     */
    static final class RangeIndex {
        static final RangeIndex EMPTY = new RangeIndex(new int[0], new Ranges[0]);
        /** Class of ranges too wide for a finite width (e.g. from -1e308 to 1e308): scanned from the start. */
        private static final int UNBOUNDED = Integer.MAX_VALUE;

        private final int[] classes;
        private final Ranges[] members;
        /**
         * Every finite bound of every range, sorted: a quick (approximate) value decides all comparisons unless
         * it lies near one of these (see {@link #match(Leaf, MatchState, int)}).
         */
        private final double[] bounds;

        RangeIndex(int[] classes, Ranges[] members) {
            this.classes = classes;
            this.members = members;
            this.bounds = Arrays.stream(members)
                    .flatMapToDouble(r -> java.util.stream.DoubleStream.concat(Arrays.stream(r.lows),
                            Arrays.stream(r.highs)))
                    .filter(Double::isFinite).sorted().distinct().toArray();
        }

        /**
         * Reports the ranges containing a number leaf. As for a field's own index, the exact double (a slow parse for
         * a 17-digit coordinate) is computed only when the quick value lies within a few ulps of a bound.
         */
        void match(Leaf leaf, MatchState state, int ctx) {
            double v = leaf.approximateNumber();
            if (Double.isNaN(v) || (!leaf.numberExact() && near(bounds, v))) {
                v = leaf.number();
            }
            if (!Double.isNaN(v)) {
                match(v == 0.0 ? 0.0 : v, state, ctx);
            }
        }

        boolean isEmpty() {
            return classes.length == 0;
        }

        int size() {
            int n = 0;
            for (Ranges r : members) {
                n += r.ranges.length;
            }
            return n;
        }

        int collectBounds(double[] out, int at) {
            for (Ranges r : members) {
                for (ValueMatcher.Numeric n : r.ranges) {
                    out[at++] = n.low();
                    out[at++] = n.high();
                }
            }
            return at;
        }

        private static int widthClass(ValueMatcher.Numeric r) {
            double width = r.high() - r.low();
            return Double.isInfinite(width) ? UNBOUNDED : Math.getExponent(width);
        }

        RangeIndex put(ValueMatcher.Numeric r, Cond[] added, Predicate<Cond> removed) {
            int c = widthClass(r);
            int at = Arrays.binarySearch(classes, c);
            if (at >= 0) {
                Ranges[] m = members.clone();
                m[at] = m[at].put(r, added, removed);
                return new RangeIndex(classes, m);
            }
            if (removed != null) {
                return this;
            }
            at = -at - 1;
            int[] nc = new int[classes.length + 1];
            Ranges[] nm = new Ranges[nc.length];
            System.arraycopy(classes, 0, nc, 0, at);
            System.arraycopy(members, 0, nm, 0, at);
            nc[at] = c;
            nm[at] = Ranges.EMPTY.put(r, added, null);
            System.arraycopy(classes, at, nc, at + 1, classes.length - at);
            System.arraycopy(members, at, nm, at + 1, classes.length - at);
            return new RangeIndex(nc, nm);
        }

        /** This index without the conditions {@code gone} selects. */
        RangeIndex minus(Predicate<Cond> gone) {
            Ranges[] m = new Ranges[members.length];
            for (int i = 0; i < members.length; i++) {
                Ranges r = members[i];
                Cond[][] conds = new Cond[r.conds.length][];
                for (int j = 0; j < conds.length; j++) {
                    conds[j] = update(r.conds[j], NONE, gone);
                }
                m[i] = new Ranges(r.ranges, conds);
            }
            return new RangeIndex(classes, m);
        }

        /** Adds many ranges at once: each class is merged once. */
        RangeIndex plusAll(java.util.List<Map.Entry<ValueMatcher.Numeric, Cond[]>> adds) {
            java.util.TreeMap<Integer, java.util.List<Map.Entry<ValueMatcher.Numeric, Cond[]>>> byClass =
                    new java.util.TreeMap<>();
            for (Map.Entry<ValueMatcher.Numeric, Cond[]> e : adds) {
                byClass.computeIfAbsent(widthClass(e.getKey()), x -> new java.util.ArrayList<>()).add(e);
            }
            java.util.TreeMap<Integer, Ranges> merged = new java.util.TreeMap<>();
            for (int i = 0; i < classes.length; i++) {
                merged.put(classes[i], members[i]);
            }
            byClass.forEach((c, list) -> merged.put(c, merged.getOrDefault(c, Ranges.EMPTY).plusAll(list)));
            return new RangeIndex(merged.keySet().stream().mapToInt(Integer::intValue).toArray(),
                    merged.values().toArray(new Ranges[0]));
        }

        void match(double v, MatchState state, int ctx) {
            for (int i = 0; i < classes.length; i++) {
                int c = classes[i];
                double from = c == UNBOUNDED ? Double.NEGATIVE_INFINITY : v - Math.scalb(1.0, c + 1);
                members[i].match(v, from, state, ctx);
            }
        }
    }

    /**
     * Two-sided numeric ranges sorted by their lower bound: a value is compared only with the ranges whose lower
     * bound it passes, and the scan stops at the first one it does not. Immutable; {@link #put} copies.
     */
    static final class Ranges {
        static final Ranges EMPTY = new Ranges(new ValueMatcher.Numeric[0], new Cond[0][]);

        final ValueMatcher.Numeric[] ranges;
        final Cond[][] conds;
        /**
         * The bounds of {@link #ranges} in flat arrays: a match searches and scans these without touching the
         * range objects, which in a large rule set lie far apart in the heap.
         */
        private final double[] lows;
        private final double[] highs;
        /** Bit 0: low bound inclusive; bit 1: high bound inclusive. */
        private final byte[] inclusive;

        Ranges(ValueMatcher.Numeric[] ranges, Cond[][] conds) {
            this.ranges = ranges;
            this.conds = conds;
            this.lows = new double[ranges.length];
            this.highs = new double[ranges.length];
            this.inclusive = new byte[ranges.length];
            for (int i = 0; i < ranges.length; i++) {
                lows[i] = ranges[i].low();
                highs[i] = ranges[i].high();
                inclusive[i] = (byte) ((ranges[i].lowInclusive() ? 1 : 0) | (ranges[i].highInclusive() ? 2 : 0));
            }
        }

        boolean isEmpty() {
            return ranges.length == 0;
        }

        private static int compare(ValueMatcher.Numeric a, ValueMatcher.Numeric b) {
            int c = Bounds.compare(a.low(), a.lowInclusive(), b.low(), b.lowInclusive(), true);
            if (c != 0) {
                return c;
            }
            c = Double.compare(a.high(), b.high());
            return c != 0 ? c : Boolean.compare(a.highInclusive(), b.highInclusive());
        }

        /** This set plus many ranges, by one sort and merge (equal ranges share their entry). */
        Ranges plusAll(java.util.List<Map.Entry<ValueMatcher.Numeric, Cond[]>> adds) {
            java.util.List<Map.Entry<ValueMatcher.Numeric, Cond[]>> all = new java.util.ArrayList<>(adds);
            for (int i = 0; i < ranges.length; i++) {
                all.add(Map.entry(ranges[i], conds[i]));
            }
            all.sort((x, y) -> compare(x.getKey(), y.getKey()));
            java.util.List<ValueMatcher.Numeric> rs = new java.util.ArrayList<>();
            java.util.List<Cond[]> cs = new java.util.ArrayList<>();
            for (Map.Entry<ValueMatcher.Numeric, Cond[]> e : all) {
                int last = rs.size() - 1;
                if (last >= 0 && compare(rs.get(last), e.getKey()) == 0) {
                    cs.set(last, concat(cs.get(last), e.getValue()));
                } else {
                    rs.add(e.getKey());
                    cs.add(e.getValue());
                }
            }
            return new Ranges(rs.toArray(new ValueMatcher.Numeric[0]), cs.toArray(new Cond[0][]));
        }

        Ranges put(ValueMatcher.Numeric r, Cond[] added, Predicate<Cond> removed) {
            int lo = 0;
            int hi = ranges.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(ranges[mid], r);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    Cond[][] copy = conds.clone();
                    copy[mid] = update(copy[mid], added, removed);
                    return new Ranges(ranges, copy);
                }
            }
            if (removed != null) {
                return this;
            }
            ValueMatcher.Numeric[] nr = new ValueMatcher.Numeric[ranges.length + 1];
            Cond[][] nc = new Cond[nr.length][];
            System.arraycopy(ranges, 0, nr, 0, lo);
            System.arraycopy(conds, 0, nc, 0, lo);
            nr[lo] = r;
            nc[lo] = added;
            System.arraycopy(ranges, lo, nr, lo + 1, ranges.length - lo);
            System.arraycopy(conds, lo, nc, lo + 1, ranges.length - lo);
            return new Ranges(nr, nc);
        }

        /** Reports the ranges containing {@code v}, looking only at those whose lower bound is at least {@code from}. */
        void match(double v, double from, MatchState state, int ctx) {
            double[] lows = this.lows;
            int lo = 0;
            int hi = lows.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (lows[mid] < from) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            for (int i = lo; i < lows.length; i++) {
                double low = lows[i];
                if (v < low || (v == low && (inclusive[i] & 1) == 0)) {
                    return;
                }
                double high = highs[i];
                if (v < high || (v == high && (inclusive[i] & 2) != 0)) {
                    state.hitAll(conds[i], ctx);
                }
            }
        }
    }

    /**
     * Whether {@code v} is within 4 ulps of a value at which some numeric condition of this path changes its
     * answer (a bound or an equality key); always true when there are too many such values to keep sorted.
     */
    private boolean nearCritical(double v) {
        return near(critical, v);
    }

    /** Whether {@code v} is within 4 ulps of a value of the sorted array {@code c}; true when {@code c} is null. */
    static boolean near(double[] c, double v) {
        if (c == null) {
            return true;
        }
        int at = Arrays.binarySearch(c, v);
        if (at >= 0) {
            return true;
        }
        int hi = -at - 1;
        return (hi < c.length && c[hi] - v <= 4 * Math.ulp(c[hi]))
                || (hi > 0 && v - c[hi - 1] <= 4 * Math.ulp(c[hi - 1]));
    }

    /** Operands of one kind grouped by byte length: a value has at most one prefix (suffix) of each length. */
    static final class Affix {
        static final Affix EMPTY = new Affix(new int[0], newMaps(0));

        final int[] lengths;
        final BytesMap<Cond[]>[] maps;

        Affix(int[] lengths, BytesMap<Cond[]>[] maps) {
            this.lengths = lengths;
            this.maps = maps;
        }

        @SuppressWarnings("unchecked")
        private static BytesMap<Cond[]>[] newMaps(int n) {
            return new BytesMap[n];
        }

        void matchPrefixes(byte[] b, int off, int len, MatchState state, int ctx) {
            int[] ls = lengths;
            for (int i = 0; i < ls.length; i++) {
                int l = ls[i];
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
            int[] ls = lengths;
            for (int i = 0; i < ls.length; i++) {
                int l = ls[i];
                if (l > len) {
                    return;
                }
                Cond[] c = maps[i].get(b, off + len - l, l);
                if (c != null) {
                    state.hitAll(c, ctx);
                }
            }
        }
    }

    /**
     * One-sided numeric ranges, sorted so that the ones a value satisfies are contiguous: lower bounds ascending
     * (an inclusive bound before an exclusive one of the same value, since v = b satisfies {@code >= b} only), upper
     * bounds ascending (the exclusive one first). Immutable; {@link #put} copies.
     */
    static final class Bounds {
        static final Bounds EMPTY = new Bounds(new double[0], new boolean[0], new Cond[0][]);

        final double[] values;
        final boolean[] inclusive;
        final Cond[][] conds;

        Bounds(double[] values, boolean[] inclusive, Cond[][] conds) {
            this.values = values;
            this.inclusive = inclusive;
            this.conds = conds;
        }

        boolean isEmpty() {
            return values.length == 0;
        }

        /** Order of (value, inclusive) keys; {@code lower} puts inclusive first at equal values. */
        static int compare(double v1, boolean i1, double v2, boolean i2, boolean lower) {
            int c = Double.compare(v1, v2);
            if (c != 0 || i1 == i2) {
                return c;
            }
            return lower == i1 ? -1 : 1;
        }

        Bounds put(double v, boolean incl, boolean lower, Cond[] added, Predicate<Cond> removed) {
            int lo = 0;
            int hi = values.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(values[mid], inclusive[mid], v, incl, lower);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    Cond[][] copy = conds.clone();
                    copy[mid] = update(copy[mid], added, removed);
                    return new Bounds(values, inclusive, copy);
                }
            }
            if (removed != null) {
                return this;
            }
            int at = lo;
            double[] nv = new double[values.length + 1];
            boolean[] ni = new boolean[nv.length];
            Cond[][] nc = new Cond[nv.length][];
            System.arraycopy(values, 0, nv, 0, at);
            System.arraycopy(inclusive, 0, ni, 0, at);
            System.arraycopy(conds, 0, nc, 0, at);
            nv[at] = v;
            ni[at] = incl;
            nc[at] = added;
            System.arraycopy(values, at, nv, at + 1, values.length - at);
            System.arraycopy(inclusive, at, ni, at + 1, values.length - at);
            System.arraycopy(conds, at, nc, at + 1, values.length - at);
            return new Bounds(nv, ni, nc);
        }

        void matchLower(double v, MatchState state, int ctx) {
            for (int i = 0; i < values.length; i++) {
                double b = values[i];
                if (v > b || (v == b && inclusive[i])) {
                    state.hitAll(conds[i], ctx);
                } else {
                    return;
                }
            }
        }

        void matchUpper(double v, MatchState state, int ctx) {
            for (int i = values.length - 1; i >= 0; i--) {
                double b = values[i];
                if (v < b || (v == b && inclusive[i])) {
                    state.hitAll(conds[i], ctx);
                } else {
                    return;
                }
            }
        }
    }
}
