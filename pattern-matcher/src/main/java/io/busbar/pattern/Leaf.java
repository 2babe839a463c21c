package io.busbar.pattern;

import java.nio.charset.StandardCharsets;

/**
 * One leaf value of an event, as the matchers see it: a string (its decoded UTF-8 bytes), a number (its lexeme), or
 * {@code true}, {@code false}, {@code null}. A mutable view that the scanner re-points at each leaf, so that the
 * hot path allocates nothing; the text and the number are decoded lazily, once, when a matcher asks.
 *
 * <p>Not thread-safe: each match uses its own.
 */
final class Leaf {
    static final byte STRING = 1;
    static final byte NUMBER = 2;
    static final byte TRUE = 3;
    static final byte FALSE = 4;
    static final byte NULL = 5;

    byte kind;
    byte[] buf;
    int off;
    int len;

    private String text;
    private boolean numberParsed;
    private double number;

    void set(byte kind, byte[] buf, int off, int len) {
        this.kind = kind;
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.text = null;
        this.numberParsed = false;
    }

    static Leaf of(byte kind, String text) {
        Leaf leaf = new Leaf();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        leaf.set(kind, bytes, 0, bytes.length);
        return leaf;
    }

    boolean isString() {
        return kind == STRING;
    }

    boolean isNumber() {
        return kind == NUMBER;
    }

    /** The decoded string (for strings) or the lexeme (for numbers), or the keyword. */
    String text() {
        String t = text;
        if (t == null) {
            t = new String(buf, off, len, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /**
     * A value of a number leaf within about one ulp of the exact one, cheap to compute, or NaN; see
     * {@link NumberText#approximate}. Callers that need the exact double use {@link #number()}.
     */
    double approximateNumber() {
        if (numberParsed) {
            return number;
        }
        double d = NumberText.approximate(buf, off, len);
        if (len <= 15 && !Double.isNaN(d)) {
            // At most 15 digits fit in 53 bits, and the quick value was then one exact conversion and one correctly
            // rounded division by an exact power of ten: the exact double.
            number = d;
            numberParsed = true;
        }
        return d;
    }

    /**
     * Whether {@link #approximateNumber()} returned the exact value: most event numbers have few digits, and then
     * no bound needs a second look.
     */
    boolean numberExact() {
        return numberParsed;
    }

    /** The value of a number leaf as the nearest double; NaN when it is out of the double range. */
    double number() {
        if (!numberParsed) {
            double d = NumberText.parse(buf, off, len);
            number = Double.isInfinite(d) ? Double.NaN : d;
            numberParsed = true;
        }
        return number;
    }

    boolean bytesEqual(byte[] other) {
        if (other.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf[off + i] != other[i]) {
                return false;
            }
        }
        return true;
    }

    boolean startsWith(byte[] prefix) {
        if (prefix.length > len) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    boolean endsWith(byte[] suffix) {
        if (suffix.length > len) {
            return false;
        }
        int start = off + len - suffix.length;
        for (int i = 0; i < suffix.length; i++) {
            if (buf[start + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }

    String toJson() {
        if (kind == STRING) {
            return JsonText.quote(text());
        }
        return text();
    }
}
