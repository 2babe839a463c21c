package io.busbar.core;

/**
 * Decides whether a PutEvents {@code Detail} is well-formed: one JSON object, nested at most 1,000 levels, with no
 * integer outside 64 bits (spec 1.2), exactly as Jackson's default parser (with that nesting limit) would accept it.
 *
 * <p>Implementation notes: a single pass over the chars with an explicit depth counter and no allocation. Every
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

    private final String s;
    private final int n;
    private int i;

    private DetailValidator(String s) {
        this.s = s;
        this.n = s.length();
    }

    static boolean isValid(String detail) {
        return detail != null && new DetailValidator(detail).document();
    }

    private boolean document() {
        skipWs();
        if (i >= n || s.charAt(i) != '{') {
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
            char c = s.charAt(i);
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
            char c = s.charAt(i);
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
                if (s.charAt(i) == close) {
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
                char d = s.charAt(i);
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
        if (i >= n || s.charAt(i) != '"' || !string()) {
            return false;
        }
        skipWs();
        if (i >= n || s.charAt(i) != ':') {
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
        if (!s.startsWith(word, i)) {
            return false;
        }
        i += word.length();
        return atDelimiter();
    }

    /** Jackson refuses a value glued to what follows ({@code truex}, {@code 1a}). */
    private boolean atDelimiter() {
        if (i >= n) {
            return true;
        }
        char c = s.charAt(i);
        return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private boolean string() {
        i++;
        while (i < n) {
            char c = s.charAt(i++);
            if (c == '"') {
                return true;
            }
            if (c == '\\') {
                if (i >= n) {
                    return false;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        if (i + 4 > n) {
                            return false;
                        }
                        for (int k = 0; k < 4; k++) {
                            char h = s.charAt(i + k);
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
        boolean negative = s.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        if (i >= n || !digit(s.charAt(i))) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
            if (i < n && digit(s.charAt(i))) {
                return false; // leading zero
            }
        } else {
            while (i < n && digit(s.charAt(i))) {
                i++;
            }
        }
        int intEnd = i;
        int otherDigits = 0;
        boolean integer = true;
        if (i < n && s.charAt(i) == '.') {
            integer = false;
            i++;
            int fraction = digits();
            if (fraction == 0) {
                return false;
            }
            otherDigits += fraction;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            integer = false;
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
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
                    char a = s.charAt(intStart + k);
                    char b = limit.charAt(k);
                    if (a != b) {
                        return a < b;
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
        while (i < n && digit(s.charAt(i))) {
            i++;
        }
        return i - from;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
