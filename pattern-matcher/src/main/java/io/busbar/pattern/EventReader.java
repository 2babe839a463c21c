package io.busbar.pattern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a UTF-8 JSON event once, front to back, and hands each leaf that some rule reads to that path's
 * {@link FieldIndex}.
 *
 * <p>Implementation notes: the reader walks the {@link PathNode} trie alongside the event. A member whose key has no
 * child in the trie is skipped with a byte scan that only tracks string quotes and bracket depth; strings are
 * decoded only when a rule reads them and hold no escapes (then they are used in place). At the top level, once
 * every key the rules name has been seen, the rest of the event is not read at all: EventBridge events are
 * envelopes with fixed top-level fields, so nothing later can matter. The parts that are read are checked
 * strictly; the parts that are skipped are checked only for balance, so the reader is not a JSON validator:
 * events are validated when a bus accepts them. Not thread-safe; one per {@link MatchState}.
 */
final class EventReader {
    private final MatchState state;
    private Machine machine;
    private byte[] b;
    private int pos;
    private int end;
    private int depth;
    private int ctx;

    EventReader(MatchState state) {
        this.state = state;
    }

    void read(Machine m, byte[] buf, int offset, int length) {
        this.machine = m;
        this.b = buf;
        state.event = buf;
        this.pos = offset;
        this.end = offset + length;
        this.depth = 0;
        this.ctx = 0;
        skipWhitespace();
        if (pos >= end || b[pos] != '{') {
            throw error("the event must be a JSON object");
        }
        PathNode root = m.root;
        if (!readObject(root, true)) {
            return; // stopped early: every top-level key the rules name was seen
        }
        skipWhitespace();
        if (pos != end) {
            throw error("unexpected content after the event object");
        }
    }

    /**
     * Reads the top-level members of an event whose layout the caller knows: {@code children[k]} is the trie node
     * of the layout's member {@code k} (null when no rule reads it) and {@code starts[k]} where its value starts
     * (-1: the event has no such member). Keys are neither scanned nor looked up, and members no rule reads are not
     * touched. Otherwise exactly {@link #readObject} on the root, visiting the members in layout order, so the
     * result is the same as reading the whole event.
     */
    void readMembers(Machine m, byte[] buf, int length, PathNode[] children, int[] starts) {
        this.machine = m;
        this.b = buf;
        state.event = buf;
        this.end = length;
        this.depth = 1; // inside the root object
        this.ctx = 0;
        PathNode root = m.root;
        boolean canStop = root.childCount > 0;
        long all = canStop ? (1L << root.childCount) - 1 : -1;
        long seen = 0;
        for (int k = 0; k < children.length; k++) {
            PathNode child = children[k];
            int start = starts[k];
            if (child == null || start < 0) {
                continue;
            }
            pos = start;
            boolean direct = child.depth == 1 && child.bit >= 0;
            long bit = direct ? 1L << child.bit : 0;
            if (!readValue(child, canStop && direct && (seen | bit) == all)) {
                return;
            }
            if (canStop && direct) {
                seen |= bit;
                if (seen == all) {
                    return;
                }
            }
        }
    }

    /**
     * Reads an object at {@code pos}; returns false when the reader stopped early.
     *
     * <p>{@code othersDone} says that every enclosing object (outside any array) has already shown every other key
     * the rules need from it. The reader then stops as soon as this object has shown all of its own: nothing later
     * in the event can matter. The root may stop although dotted keys could still name its paths, because
     * EventBridge's envelope has fixed top-level fields; a nested object may stop only when no dotted key can reach
     * the paths below it, so the dotted-key equivalence of spec 3.2.7 holds inside {@code detail}.
     */
    private boolean readObject(PathNode node, boolean othersDone) {
        if (++depth > 1000) {
            throw error("nesting deeper than 1000 levels");
        }
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return true;
        }
        boolean root = node.depth == 0;
        boolean canStop = othersDone && node.childCount > 0 && (root || !node.dottedChildren);
        long all = canStop ? (1L << node.childCount) - 1 : -1;
        long seen = 0;
        while (true) {
            if (peek() != '"') {
                throw error("expected a member name");
            }
            int keyStart = pos + 1;
            int keyEnd = scanString(keyStart);
            PathNode child;
            if (stringHadEscape) {
                int n = decodeString(keyStart, keyEnd);
                child = node.children.get(state.scratch, 0, n);
            } else {
                child = node.children.get(b, keyStart, keyEnd - keyStart);
            }
            pos = keyEnd + 1;
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':'");
            }
            pos++;
            skipWhitespace();
            if (child == null) {
                skipValue();
            } else {
                boolean direct = child.depth == node.depth + 1 && child.bit >= 0;
                long bit = direct ? 1L << child.bit : 0;
                if (!readValue(child, canStop && direct && (seen | bit) == all)) {
                    return false;
                }
                if (canStop && direct) {
                    seen |= bit;
                    if (seen == all) {
                        return false;
                    }
                }
            }
            skipWhitespace();
            byte c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
            } else if (c == '}') {
                pos++;
                depth--;
                return true;
            } else {
                throw error("expected ',' or '}'");
            }
        }
    }

    private void readArray(PathNode node) {
        if (++depth > 1000) {
            throw error("nesting deeper than 1000 levels");
        }
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return;
        }
        int arrayId = ++state.arrayCount;
        int parent = ctx;
        while (true) {
            // Only objects inside an array are elements that conditions must agree on (spec 3.2.6): a scalar or a
            // nested array directly inside an array has no element of its own, as in EventBridge's engine.
            if (peek() == '{') {
                ctx = state.newElement(parent, arrayId);
                readValue(node, false);
                ctx = parent;
            } else {
                readValue(node, false);
            }
            skipWhitespace();
            byte c = peek();
            if (c == ',') {
                pos++;
                skipWhitespace();
            } else if (c == ']') {
                pos++;
                depth--;
                return;
            } else {
                throw error("expected ',' or ']'");
            }
        }
    }

    /** Reads a value; returns false when the reader stopped early inside it. */
    private boolean readValue(PathNode node, boolean othersDone) {
        byte c = peek();
        switch (c) {
            case '{' -> {
                if (node.hasChildren()) {
                    return readObject(node, othersDone);
                }
                skipContainer();
            }
            case '[' -> readArray(node);
            case '"' -> {
                int start = pos + 1;
                int close = scanString(start);
                pos = close + 1;
                if (node.pathId >= 0) {
                    if (stringHadEscape) {
                        int n = decodeString(start, close);
                        emit(node, Leaf.STRING, state.scratch, 0, n);
                    } else {
                        emit(node, Leaf.STRING, b, start, close - start);
                    }
                }
            }
            case 't' -> literal(node, TRUE_BYTES, Leaf.TRUE);
            case 'f' -> literal(node, FALSE_BYTES, Leaf.FALSE);
            case 'n' -> literal(node, NULL_BYTES, Leaf.NULL);
            default -> {
                int start = pos;
                scanNumber();
                if (node.pathId >= 0) {
                    emit(node, Leaf.NUMBER, b, start, pos - start);
                }
            }
        }
        return true;
    }

    private static final byte[] TRUE_BYTES = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_BYTES = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_BYTES = {'n', 'u', 'l', 'l'};

    private void literal(PathNode node, byte[] word, byte kind) {
        if (end - pos < word.length) {
            throw error("invalid literal");
        }
        for (int i = 0; i < word.length; i++) {
            if (b[pos + i] != word[i]) {
                throw error("invalid literal");
            }
        }
        int start = pos;
        pos += word.length;
        if (node.pathId >= 0) {
            emit(node, kind, b, start, word.length);
        }
    }

    private void emit(PathNode node, byte kind, byte[] buf, int off, int len) {
        int pathId = node.pathId;
        state.leafAt(pathId, ctx, kind, buf, off, len);
        Leaf leaf = state.leaf;
        leaf.set(kind, buf, off, len);
        machine.fields[pathId].evaluate(leaf, state, ctx);
    }

    /** Validates a JSON number at {@code pos} and moves past it. */
    private void scanNumber() {
        int p = pos;
        if (p < end && b[p] == '-') {
            p++;
        }
        if (p >= end) {
            throw error("invalid number");
        }
        if (b[p] == '0') {
            p++;
        } else if (b[p] >= '1' && b[p] <= '9') {
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
        } else {
            throw error("unexpected character");
        }
        if (p < end && b[p] == '.') {
            p++;
            int digits = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == digits) {
                throw error("invalid number");
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int digits = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == digits) {
                throw error("invalid number");
            }
        }
        pos = p;
    }

    private boolean stringHadEscape;

    /** From the first byte inside a string, the index of its closing quote; notes whether it holds escapes. */
    private int scanString(int p) {
        boolean escape = false;
        byte[] buf = b;
        int e = end;
        while (p < e) {
            byte c = buf[p];
            if (c == '"') {
                stringHadEscape = escape;
                return p;
            }
            if (c == '\\') {
                escape = true;
                p += 2;
            } else {
                if ((c & 0xff) < 0x20) {
                    throw error("control character in string");
                }
                p++;
            }
        }
        throw error("unterminated string");
    }

    /** Decodes the escapes of the string between {@code from} and {@code to} into the state's scratch buffer. */
    private int decodeString(int from, int to) {
        byte[] out = state.scratch;
        if (out.length < to - from) {
            out = new byte[Math.max(to - from, out.length * 2)];
            state.scratch = out;
        }
        int n = 0;
        int p = from;
        while (p < to) {
            byte c = b[p++];
            if (c != '\\') {
                out[n++] = c;
                continue;
            }
            byte e = b[p++];
            switch (e) {
                case '"', '\\', '/' -> out[n++] = e;
                case 'b' -> out[n++] = '\b';
                case 'f' -> out[n++] = '\f';
                case 'n' -> out[n++] = '\n';
                case 'r' -> out[n++] = '\r';
                case 't' -> out[n++] = '\t';
                case 'u' -> {
                    int cp = hex4(p, to);
                    p += 4;
                    if (Character.isHighSurrogate((char) cp) && p + 6 <= to && b[p] == '\\' && b[p + 1] == 'u') {
                        int low = hex4(p + 2, to);
                        if (Character.isLowSurrogate((char) low)) {
                            cp = Character.toCodePoint((char) cp, (char) low);
                            p += 6;
                        }
                    }
                    n = putUtf8(out, n, cp);
                }
                default -> throw error("invalid escape in string");
            }
        }
        return n;
    }

    private int hex4(int p, int to) {
        if (p + 4 > to) {
            throw error("invalid \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            byte c = b[p + i];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                throw error("invalid \\u escape");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int putUtf8(byte[] out, int n, int cp) {
        if (cp < 0x80) {
            out[n++] = (byte) cp;
        } else if (cp < 0x800) {
            out[n++] = (byte) (0xc0 | (cp >> 6));
            out[n++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            // A lone surrogate becomes U+FFFD, as Java's encoder turns it into a replacement.
            if (cp >= 0xd800 && cp <= 0xdfff) {
                cp = 0xfffd;
            }
            out[n++] = (byte) (0xe0 | (cp >> 12));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[n++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            out[n++] = (byte) (0xf0 | (cp >> 18));
            out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[n++] = (byte) (0x80 | (cp & 0x3f));
        }
        return n;
    }

    private void skipValue() {
        byte c = peek();
        if (c == '{' || c == '[') {
            skipContainer();
        } else if (c == '"') {
            pos = scanString(pos + 1) + 1;
        } else if (c == 't') {
            literal(NO_PATH, TRUE_BYTES, Leaf.TRUE);
        } else if (c == 'f') {
            literal(NO_PATH, FALSE_BYTES, Leaf.FALSE);
        } else if (c == 'n') {
            literal(NO_PATH, NULL_BYTES, Leaf.NULL);
        } else {
            scanNumber();
        }
    }

    private static final PathNode NO_PATH = Machine.EMPTY.root;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** Whether any byte of {@code v} is zero (exact, the classic SWAR test). */
    private static boolean hasZeroByte(long v) {
        return ((v - ONES) & ~v & HIGHS) != 0;
    }

    /**
     * Skips a whole object or array by bracket depth, minding strings only.
     *
     * <p>Eight bytes at a time: a word with no quote, bracket or brace (outside strings), or no quote or backslash
     * (inside one), is passed over whole; otherwise its bytes are taken one by one. Numbers, which fill most of the
     * large arrays that rules do not read, are mostly passed over a word at a time.
     */
    private void skipContainer() {
        byte[] buf = b;
        int p = pos + 1;
        int e = end;
        int d = 1;
        boolean inString = false;
        while (p < e) {
            if (p + 8 <= e) {
                long w = (long) LONGS.get(buf, p);
                boolean interesting;
                if (inString) {
                    interesting = hasZeroByte(w ^ 0x2222222222222222L) || hasZeroByte(w ^ 0x5c5c5c5c5c5c5c5cL);
                } else {
                    // '[' and ']' differ from '{' and '}' by the 0x20 bit only.
                    long y = w | 0x2020202020202020L;
                    interesting = hasZeroByte(w ^ 0x2222222222222222L) || hasZeroByte(y ^ 0x7b7b7b7b7b7b7b7bL)
                            || hasZeroByte(y ^ 0x7d7d7d7d7d7d7d7dL);
                }
                if (!interesting) {
                    p += 8;
                    continue;
                }
            }
            int stop = Math.min(p + 8, e);
            while (p < stop) {
                byte c = buf[p++];
                if (inString) {
                    if (c == '"') {
                        inString = false;
                    } else if (c == '\\') {
                        p++;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    if (++d + depth > 1000) {
                        throw error("nesting deeper than 1000 levels");
                    }
                } else if (c == '}' || c == ']') {
                    if (--d == 0) {
                        pos = p;
                        return;
                    }
                }
            }
        }
        pos = Math.min(p, e);
        throw error(inString ? "unterminated string" : "unbalanced brackets");
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw error("unexpected end of the event");
        }
        return b[pos];
    }

    private InvalidEventException error(String reason) {
        return new InvalidEventException(reason, pos);
    }
}
