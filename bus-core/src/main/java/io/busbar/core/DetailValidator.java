package io.busbar.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decides whether a PutEvents {@code Detail} is well-formed: one JSON object, nested at most 1,000 levels, with no
 * integer outside 64 bits (spec 1.2), exactly as Jackson's default parser (with that nesting limit) would accept it.
 *
 * <p>Implementation notes: a single pass over the UTF-8 bytes with an explicit depth counter and no allocation;
 * string contents are skipped eight bytes at a time. Every
 * PutEvents entry is checked, and a general parser (tokens, a symbol table for names) cost a fifth of an entry's
 * time; this only recognises. It keeps Jackson's rules where they differ from a lax reading: no leading zeros, no
 * {@code +}, a digit after {@code .} and after an exponent, unescaped control characters refused inside strings,
 * a literal or number must end at a delimiter, only space, tab, CR and LF as whitespace, at most 1,000 digits in a
 * floating-point number (Jackson's default limit). One deliberate difference:
 * {@code \\u} must be followed by four ASCII hex digits (RFC 8259), where Jackson reads only the low byte of each
 * char and so takes {@code \\u} followed by, say, Arabic-Indic digits. {@code DetailValidatorTest} checks it
 * against Jackson on generated and mutated documents.
 */
final class DetailValidator {
    static final int MAX_DEPTH = 1000;
    /** Jackson's default limit on the digits of a floating-point number (integers stop at 19 digits anyway). */
    private static final int MAX_FLOAT_DIGITS = 1000;
    private static final String LONG_MAX = "9223372036854775807";
    private static final String LONG_MIN_DIGITS = "9223372036854775808";

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final byte[] b;
    private final int n;
    private int i;

    private DetailValidator(byte[] b, int off, int len) {
        this.b = b;
        this.i = off;
        this.n = off + len;
    }

    static boolean isValid(String detail) {
        if (detail == null) {
            return false;
        }
        byte[] utf8 = detail.getBytes(StandardCharsets.UTF_8);
        return isValid(utf8, 0, utf8.length);
    }

    /**
     * The same check on the UTF-8 bytes of a detail. Bytes of 0x80 and above (multi-byte characters) are legal
     * inside strings only, as their characters are; a lone surrogate, which the encoder turns into {@code ?}, is
     * refused outside strings either way.
     */
    static boolean isValid(byte[] utf8, int off, int len) {
        return new DetailValidator(utf8, off, len).document();
    }

    /** The byte at {@code k} as a char: 0 to 255, so that non-ASCII bytes compare as the non-ASCII chars they encode. */
    private char at(int k) {
        return (char) (b[k] & 0xff);
    }

    private boolean document() {
        skipWs();
        if (i >= n || at(i) != '{') {
            return false;
        }
        if (!value()) {
            return false;
        }
        skipWs();
        return i == n;
    }

    private void skipWs() {
        while (i < n) {
            char c = at(i);
            if (c > ' ') {
                return; // the usual case: compact JSON
            }
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            i++;
        }
    }

    /**
     * Reads one value at {@code i} (after whitespace). Containers are walked iteratively: {@code bits} (and beyond 64
     * levels {@code objects}) records, per open level, whether it is an object, so depth costs no Java stack.
     */
    private boolean value() {
        // bit k of the stack: level k is an object; levels beyond 64 kept in an array
        boolean[] objects = null;
        long bits = 0;
        int depth = 0;
        while (true) {
            skipWs();
            if (i >= n) {
                return false;
            }
            char c = at(i);
            if (c == '{' || c == '[') {
                depth++;
                if (depth > MAX_DEPTH) {
                    return false;
                }
                boolean obj = c == '{';
                if (depth <= 64) {
                    bits = obj ? bits | (1L << (depth - 1)) : bits & ~(1L << (depth - 1));
                } else {
                    if (objects == null) {
                        objects = new boolean[MAX_DEPTH + 1];
                    }
                    objects[depth] = obj;
                }
                i++;
                skipWs();
                if (i >= n) {
                    return false;
                }
                char close = obj ? '}' : ']';
                if (at(i) == close) {
                    i++;
                    depth--;
                } else {
                    if (obj && !member()) {
                        return false;
                    }
                    continue; // read the first value of the new container
                }
            } else if (!scalar(c)) {
                return false;
            }
            // after a value: close containers or move to the next element
            while (true) {
                if (depth == 0) {
                    return true;
                }
                skipWs();
                if (i >= n) {
                    return false;
                }
                boolean obj = depth <= 64 ? (bits & (1L << (depth - 1))) != 0 : objects[depth];
                char d = at(i);
                if (d == ',') {
                    i++;
                    if (obj) {
                        skipWs();
                        if (!member()) {
                            return false;
                        }
                    }
                    break;
                }
                if (d == (obj ? '}' : ']')) {
                    i++;
                    depth--;
                    continue;
                }
                return false;
            }
        }
    }

    /** An object member's name and colon, leaving {@code i} at its value. */
    private boolean member() {
        if (i >= n || at(i) != '"' || !string()) {
            return false;
        }
        skipWs();
        if (i >= n || at(i) != ':') {
            return false;
        }
        i++;
        return true;
    }

    private boolean scalar(char c) {
        return switch (c) {
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> c == '-' || (c >= '0' && c <= '9') ? number() : false;
        };
    }

    private boolean literal(String word) {
        int len = word.length();
        if (i + len > n) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        i += len;
        return atDelimiter();
    }

    /** Jackson refuses a value glued to what follows ({@code truex}, {@code 1a}). */
    private boolean atDelimiter() {
        if (i >= n) {
            return true;
        }
        char c = at(i);
        return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private boolean string() {
        i++;
        while (i < n) {
            // Eight bytes at a time while none is a quote, a backslash or a control character: most of a detail's
            // bytes are inside strings.
            while (i + 8 <= n) {
                long w = (long) LONGS.get(b, i);
                if (hasZeroByte(w ^ 0x2222222222222222L) || hasZeroByte(w ^ 0x5c5c5c5c5c5c5c5cL)
                        || ((w - 0x2020202020202020L) & ~w & HIGHS) != 0) {
                    break;
                }
                i += 8;
            }
            if (i >= n) {
                break;
            }
            char c = at(i++);
            if (c == '"') {
                return true;
            }
            if (c == '\\') {
                if (i >= n) {
                    return false;
                }
                char e = at(i++);
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        if (i + 4 > n) {
                            return false;
                        }
                        for (int k = 0; k < 4; k++) {
                            char h = at(i + k);
                            if (!digit(h) && (h < 'a' || h > 'f') && (h < 'A' || h > 'F')) {
                                return false;
                            }
                        }
                        i += 4;
                    }
                    default -> {
                        return false;
                    }
                }
            } else if (c < 0x20) {
                return false;
            }
        }
        return false; // unterminated
    }

    private boolean number() {
        boolean negative = at(i) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        if (i >= n || !digit(at(i))) {
            return false;
        }
        if (at(i) == '0') {
            i++;
            if (i < n && digit(at(i))) {
                return false; // leading zero
            }
        } else {
            while (i < n && digit(at(i))) {
                i++;
            }
        }
        int intEnd = i;
        int otherDigits = 0;
        boolean integer = true;
        if (i < n && at(i) == '.') {
            integer = false;
            i++;
            int fraction = digits();
            if (fraction == 0) {
                return false;
            }
            otherDigits += fraction;
        }
        if (i < n && (at(i) == 'e' || at(i) == 'E')) {
            integer = false;
            i++;
            if (i < n && (at(i) == '+' || at(i) == '-')) {
                i++;
            }
            int exponent = digits();
            if (exponent == 0) {
                return false;
            }
            otherDigits += exponent;
        }
        if (!atDelimiter()) {
            return false;
        }
        if (!integer && intEnd - intStart + otherDigits > MAX_FLOAT_DIGITS) {
            return false;
        }
        if (integer) {
            int digits = intEnd - intStart;
            if (digits > 19) {
                return false;
            }
            if (digits == 19) {
                String limit = negative ? LONG_MIN_DIGITS : LONG_MAX;
                for (int k = 0; k < 19; k++) {
                    char got = at(intStart + k);
                    char max = limit.charAt(k);
                    if (got != max) {
                        return got < max;
                    }
                }
                return true;
            }
        }
        return true;
    }

    /** Reads a run of digits; returns how many (0 when there is none). */
    private int digits() {
        int from = i;
        while (i < n && digit(at(i))) {
            i++;
        }
        return i - from;
    }

    /** Whether a byte of {@code v} is zero (the classic SWAR test; exact, as a borrow only follows a zero byte). */
    private static boolean hasZeroByte(long v) {
        return ((v - ONES) & ~v & HIGHS) != 0;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
