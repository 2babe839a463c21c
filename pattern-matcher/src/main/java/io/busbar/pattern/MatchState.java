package io.busbar.pattern;

import io.busbar.pattern.CompiledRule.Cond;
import io.busbar.pattern.CompiledRule.Sub;
import java.util.Arrays;
import java.util.List;

/**
 * The scratch memory of one match on one thread: which conditions the event's leaves hit (and from which array
 * elements), how many required conditions each alternative has, and the array elements met so far.
 *
 * <p>Implementation notes: per-id arrays are stamped with the match's epoch instead of being cleared, so starting
 * a match costs nothing however many rules the set has. Array elements form a tree (each element knows the
 * element it is nested in and which array it belongs to); two leaves can be used together by one alternative
 * unless they sit in different elements of the same array, which is the array-consistency rule of spec 3.2.6.
 * Owned by one thread through a {@link ThreadLocal}; never shared.
 */
final class MatchState {
    int epoch;

    int[] condStamp = new int[0];
    int[] condHead = new int[0];
    int[] subStamp = new int[0];
    int[] subCount = new int[0];
    int[] ruleStamp = new int[0];
    int[] pathStamp = new int[0];
    int[] pathLeafHead = new int[0];

    int[] leafCtx = new int[64];
    int[] leafNext = new int[64];
    byte[] leafKind = new byte[64];
    int[] leafOff = new int[64];
    int[] leafLen = new int[64];
    boolean[] leafInArena = new boolean[64];
    int leafCount;
    /** The event being read: recorded leaves point into it, or into the arena when they had to be decoded. */
    byte[] event;
    private byte[] arena = new byte[256];
    private int arenaLength;
    private final Leaf view = new Leaf();

    int[] hitCtx = new int[64];
    int[] hitNext = new int[64];
    int hitCount;

    int[] ctxParent = new int[64];
    int[] ctxArray = new int[64];
    int[] ctxDepth = new int[64];
    int ctxCount;
    int arrayCount;

    Sub[] candidates = new Sub[16];
    int candidateCount;

    final Leaf leaf = new Leaf();
    byte[] scratch = new byte[256];
    private byte[] lower = new byte[256];

    void begin(Machine m) {
        if (condStamp.length < m.condCapacity) {
            condStamp = new int[m.condCapacity];
            condHead = new int[m.condCapacity];
        }
        if (subStamp.length < m.subCapacity) {
            subStamp = new int[m.subCapacity];
            subCount = new int[m.subCapacity];
        }
        if (ruleStamp.length < m.ruleCapacity) {
            ruleStamp = new int[m.ruleCapacity];
        }
        if (pathStamp.length < m.pathCapacity) {
            pathStamp = new int[m.pathCapacity];
            pathLeafHead = new int[m.pathCapacity];
        }
        if (++epoch == Integer.MAX_VALUE) {
            epoch = 1;
            Arrays.fill(condStamp, 0);
            Arrays.fill(subStamp, 0);
            Arrays.fill(ruleStamp, 0);
            Arrays.fill(pathStamp, 0);
        }
        hitCount = 0;
        leafCount = 0;
        arenaLength = 0;
        ctxCount = 1; // element 0 is the event itself, outside every array
        arrayCount = 0;
        candidateCount = 0;
    }

    void hitAll(Cond[] conds, int ctx) {
        for (Cond c : conds) {
            hit(c, ctx);
        }
    }

    private void hit(Cond c, int ctx) {
        int id = c.id;
        if (condStamp[id] != epoch) {
            condStamp[id] = epoch;
            condHead[id] = -1;
            if (c.required) {
                trigger(c.owner);
            }
        }
        if (hitCount == hitCtx.length) {
            hitCtx = Arrays.copyOf(hitCtx, hitCount * 2);
            hitNext = Arrays.copyOf(hitNext, hitCount * 2);
        }
        hitCtx[hitCount] = ctx;
        hitNext[hitCount] = condHead[id];
        condHead[id] = hitCount++;
    }

    /**
     * Records a leaf at a path, in array element {@code ctx}, for absence checks and deferred conditions. A leaf
     * decoded into a scratch buffer is copied to the arena, since the scratch is reused for the next one.
     */
    void leafAt(int pathId, int ctx, byte kind, byte[] buf, int off, int len) {
        if (pathStamp[pathId] != epoch) {
            pathStamp[pathId] = epoch;
            pathLeafHead[pathId] = -1;
        }
        int n = leafCount;
        if (n == leafCtx.length) {
            int size = n * 2;
            leafCtx = Arrays.copyOf(leafCtx, size);
            leafNext = Arrays.copyOf(leafNext, size);
            leafKind = Arrays.copyOf(leafKind, size);
            leafOff = Arrays.copyOf(leafOff, size);
            leafLen = Arrays.copyOf(leafLen, size);
            leafInArena = Arrays.copyOf(leafInArena, size);
        }
        leafCtx[n] = ctx;
        leafKind[n] = kind;
        leafLen[n] = len;
        if (buf == event) {
            leafOff[n] = off;
            leafInArena[n] = false;
        } else {
            if (arenaLength + len > arena.length) {
                arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaLength + len));
            }
            System.arraycopy(buf, off, arena, arenaLength, len);
            leafOff[n] = arenaLength;
            leafInArena[n] = true;
            arenaLength += len;
        }
        leafNext[n] = pathLeafHead[pathId];
        pathLeafHead[pathId] = n;
        leafCount = n + 1;
    }

    /** Whether recorded leaf {@code l} satisfies a (deferred) condition. */
    private boolean satisfies(Cond c, int l) {
        view.set(leafKind[l], leafInArena[l] ? arena : event, leafOff[l], leafLen[l]);
        return c.test(view);
    }

    /** Counts one trigger of an alternative; with all of them, it becomes a candidate. */
    private void trigger(Sub s) {
        if (s.required == 1) {
            // Nothing to count. A second trigger of the same alternative (a composite key met twice through an
            // array of strings) only makes it a candidate twice, and accept() takes each rule once.
            addCandidate(s);
            return;
        }
        int sid = s.id;
        if (subStamp[sid] != epoch) {
            subStamp[sid] = epoch;
            subCount[sid] = 0;
        }
        if (++subCount[sid] == s.required) {
            addCandidate(s);
        }
    }

    private void addCandidate(Sub s) {
        if (candidateCount == candidates.length) {
            candidates = Arrays.copyOf(candidates, candidateCount * 2);
        }
        candidates[candidateCount++] = s;
    }

    private byte[] key = new byte[256];

    /**
     * Looks a composite index up with every combination of the event's string values at its paths (one
     * combination unless a path holds an array of strings).
     */
    void fire(Composite c) {
        for (int id : c.pathIds()) {
            if (pathStamp[id] != epoch) {
                return;
            }
        }
        if (c.prefixLength() >= 0 && pathStamp[c.tailPathId()] != epoch) {
            return;
        }
        combine(c, 0, 0);
    }

    private void lookup(Composite c, int length) {
        Sub[] subs = c.tuples().get(key, 0, length);
        if (subs != null) {
            for (Sub s : subs) {
                trigger(s);
            }
        }
    }

    private void combine(Composite c, int i, int length) {
        int[] ids = c.pathIds();
        if (i == ids.length) {
            if (c.ranged()) {
                FieldIndex.RangeIndex ri = c.partitions().get(key, 0, length);
                if (ri != null && pathStamp[c.tailPathId()] == epoch) {
                    for (int l = pathLeafHead[c.tailPathId()]; l >= 0; l = leafNext[l]) {
                        if (leafKind[l] == Leaf.NUMBER) {
                            view.set(Leaf.NUMBER, leafInArena[l] ? arena : event, leafOff[l], leafLen[l]);
                            ri.match(view, this, leafCtx[l]);
                        }
                    }
                }
                return;
            }
            int p = c.prefixLength();
            if (p < 0) {
                lookup(c, length);
                return;
            }
            for (int l = pathLeafHead[c.tailPathId()]; l >= 0; l = leafNext[l]) {
                if (leafKind[l] != Leaf.STRING || leafLen[l] < p) {
                    continue;
                }
                if (key.length < length + 4 + p) {
                    key = Arrays.copyOf(key, Math.max(key.length * 2, length + 4 + p));
                }
                int at = Composite.putLength(key, length, p);
                System.arraycopy(leafInArena[l] ? arena : event, leafOff[l], key, at, p);
                lookup(c, at + p);
            }
            return;
        }
        for (int l = pathLeafHead[ids[i]]; l >= 0; l = leafNext[l]) {
            if (leafKind[l] != Leaf.STRING) {
                continue;
            }
            int len = leafLen[l];
            if (key.length < length + 4 + len) {
                key = Arrays.copyOf(key, Math.max(key.length * 2, length + 4 + len));
            }
            int at = Composite.putLength(key, length, len);
            System.arraycopy(leafInArena[l] ? arena : event, leafOff[l], key, at, len);
            combine(c, i + 1, at + len);
        }
    }

    /** A new element of array {@code arrayId}, nested in element {@code parent}. */
    int newElement(int parent, int arrayId) {
        if (ctxCount == ctxParent.length) {
            ctxParent = Arrays.copyOf(ctxParent, ctxCount * 2);
            ctxArray = Arrays.copyOf(ctxArray, ctxCount * 2);
            ctxDepth = Arrays.copyOf(ctxDepth, ctxCount * 2);
        }
        ctxParent[ctxCount] = parent;
        ctxArray[ctxCount] = arrayId;
        ctxDepth[ctxCount] = ctxDepth[parent] + 1;
        return ctxCount++;
    }

    /** Whether leaves in elements {@code a} and {@code b} may serve one alternative together. */
    boolean compatible(int a, int b) {
        if (a == 0 || b == 0 || a == b) {
            return true;
        }
        int da = ctxDepth[a];
        int db = ctxDepth[b];
        while (da > db) {
            a = ctxParent[a];
            da--;
        }
        while (db > da) {
            b = ctxParent[b];
            db--;
        }
        if (a == b) {
            return true; // one leaf's element contains the other's
        }
        while (ctxParent[a] != ctxParent[b]) {
            a = ctxParent[a];
            b = ctxParent[b];
        }
        // Siblings under one parent: different elements of the same array conflict; elements of different
        // arrays (two array fields of one object) do not.
        return ctxArray[a] != ctxArray[b];
    }

    /** The ASCII lower case of a slice, in a buffer reused across leaves. */
    byte[] lowerCase(byte[] b, int off, int len) {
        if (lower.length < len) {
            lower = new byte[Math.max(len, lower.length * 2)];
        }
        for (int i = 0; i < len; i++) {
            byte c = b[off + i];
            lower[i] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }
        return lower;
    }

    /**
     * Whether an alternative whose required conditions were all hit holds: each condition needs a leaf, and the
     * leaves chosen must agree on shared arrays; a condition that also accepts absence ({@code exists: false}) may
     * instead find no leaf at its path that agrees with the leaves chosen for the others, as EventBridge's engine
     * judges absence within the array element the other conditions matched.
     */
    boolean holds(Sub s) {
        if (ctxCount == 1) {
            // No array of objects in this event: every leaf agrees with every other, absence is plain absence.
            for (Cond c : s.flatChecks) {
                if (c.deferred) {
                    if (!anyLeafSatisfies(c) && (c.required || pathStamp[c.pathId] == epoch)) {
                        return false;
                    }
                } else if (!c.required && condStamp[c.id] != epoch && pathStamp[c.pathId] == epoch) {
                    return false;
                }
            }
            return true;
        }
        Cond[] conds = s.conds;
        if (conds.length == 1 && conds[0].required && !conds[0].deferred) {
            return true;
        }
        return consistent(conds, 0, new int[conds.length]);
    }

    private boolean anyLeafSatisfies(Cond c) {
        if (pathStamp[c.pathId] != epoch) {
            return false;
        }
        for (int l = pathLeafHead[c.pathId]; l >= 0; l = leafNext[l]) {
            if (satisfies(c, l)) {
                return true;
            }
        }
        return false;
    }

    private boolean consistent(Cond[] conds, int i, int[] chosen) {
        if (i == conds.length) {
            return true;
        }
        Cond c = conds[i];
        if (c.deferred) {
            if (pathStamp[c.pathId] == epoch) {
                for (int l = pathLeafHead[c.pathId]; l >= 0; l = leafNext[l]) {
                    int ctx = leafCtx[l];
                    if (agrees(ctx, chosen, i) && satisfies(c, l)) {
                        chosen[i] = ctx;
                        if (consistent(conds, i + 1, chosen)) {
                            return true;
                        }
                    }
                }
            }
        } else if (condStamp[c.id] == epoch) {
            for (int h = condHead[c.id]; h >= 0; h = hitNext[h]) {
                int ctx = hitCtx[h];
                if (agrees(ctx, chosen, i)) {
                    chosen[i] = ctx;
                    if (consistent(conds, i + 1, chosen)) {
                        return true;
                    }
                }
            }
        }
        if (c.required) {
            return false;
        }
        // Absent, relative to the leaves chosen so far: no leaf at the path agrees with them.
        if (pathStamp[c.pathId] == epoch) {
            for (int l = pathLeafHead[c.pathId]; l >= 0; l = leafNext[l]) {
                if (agrees(leafCtx[l], chosen, i)) {
                    return false;
                }
            }
        }
        chosen[i] = 0;
        return consistent(conds, i + 1, chosen);
    }

    private boolean agrees(int ctx, int[] chosen, int n) {
        for (int j = 0; j < n; j++) {
            if (!compatible(chosen[j], ctx)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Collects the names of the rules whose alternatives hold, each once, as an unmodifiable list: most events
     * match one or two rules, and {@code List.of} holds those in a single small object.
     */
    List<String> finish(Sub[] alwaysCheck) {
        matchedCount = 0;
        for (int i = 0; i < candidateCount; i++) {
            accept(candidates[i]);
        }
        for (Sub s : alwaysCheck) {
            accept(s);
        }
        String[] m = matched;
        return switch (matchedCount) {
            case 0 -> List.of();
            case 1 -> List.of(m[0]);
            case 2 -> List.of(m[0], m[1]);
            default -> List.of(Arrays.copyOf(m, matchedCount));
        };
    }

    private String[] matched = new String[8];
    private int matchedCount;

    private void accept(Sub s) {
        int rid = s.ruleId;
        if (ruleStamp[rid] == epoch) {
            return;
        }
        if (s.required == 1) {
            // Such a candidate may be listed more than once (see trigger); once found not to hold, the stamp (not
            // used for counting triggers when one suffices) spares its copies the check.
            int sid = s.id;
            if (subStamp[sid] == epoch) {
                return;
            }
            if (!holds(s)) {
                subStamp[sid] = epoch;
                return;
            }
        } else if (!holds(s)) {
            return;
        }
        ruleStamp[rid] = epoch;
        if (matchedCount == matched.length) {
            matched = Arrays.copyOf(matched, matchedCount * 2);
        }
        matched[matchedCount++] = s.ruleName;
    }
}
