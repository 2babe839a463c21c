package io.busbar.pattern;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Numbers as EventBridge compares them: JSON number lexemes turned into the nearest double.
 *
 * <p>Implementation notes: the fast path reads up to 18 significant digits into a long (19 could overflow it) and,
 * when the mantissa is
 * at most 2^53 and the decimal exponent at most 22 in magnitude, scales it by an exactly representable power of
 * ten, which rounds once and is therefore exact (Clinger's fast path). Everything else goes to
 * {@link Double#parseDouble}, which is correctly rounded.
 */
final class NumberText {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private NumberText() {
    }

    /** The double nearest to a JSON number lexeme (infinite when beyond the double range). */
    static double parse(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        boolean slow = false;
        for (; i < end; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                break;
            }
            if (digits < 18) {
                if (mantissa != 0 || c != 0) {
                    digits++;
                }
                mantissa = mantissa * 10 + c;
            } else {
                slow = true;
                break;
            }
        }
        if (!slow && i < end && b[i] == '.') {
            for (i++; i < end; i++) {
                int c = b[i] - '0';
                if (c < 0 || c > 9) {
                    break;
                }
                if (digits < 18) {
                    if (mantissa != 0 || c != 0) {
                        digits++;
                    }
                    mantissa = mantissa * 10 + c;
                    exp10--;
                } else {
                    slow = true;
                    break;
                }
            }
        }
        if (!slow && i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                expNegative = b[i] == '-';
                i++;
            }
            int e = 0;
            for (; i < end; i++) {
                int c = b[i] - '0';
                if (c < 0 || c > 9 || e > 100_000) {
                    slow = true;
                    break;
                }
                e = e * 10 + c;
            }
            exp10 += expNegative ? -e : e;
        }
        if (!slow && i == end && mantissa <= (1L << 53) && exp10 >= -22 && exp10 <= 22) {
            double d = mantissa;
            d = exp10 >= 0 ? d * POW10[exp10] : d / POW10[-exp10];
            return negative ? -d : d;
        }
        return parseSlow(new String(b, off, len, StandardCharsets.ISO_8859_1));
    }

    /**
     * A quick value for a lexeme of at most 18 significant digits and a decimal exponent within 22: the digits as a
     * long, converted and scaled, two roundings, so within about one ulp of the exact value (and exact when the
     * digits fit in 53 bits). NaN when the lexeme is outside that range; the caller then parses exactly.
     */
    static double approximate(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        for (; i < end; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                break;
            }
            if (mantissa != 0 || c != 0) {
                if (++digits > 18) {
                    return Double.NaN;
                }
            }
            mantissa = mantissa * 10 + c;
        }
        if (i < end && b[i] == '.') {
            for (i++; i < end; i++) {
                int c = b[i] - '0';
                if (c < 0 || c > 9) {
                    break;
                }
                if (mantissa != 0 || c != 0) {
                    if (++digits > 18) {
                        return Double.NaN;
                    }
                }
                mantissa = mantissa * 10 + c;
                exp10--;
            }
        }
        if (i != end || exp10 < -22) {
            return Double.NaN; // exponent notation or too many decimals: exact parse
        }
        double d = mantissa;
        d = d / POW10[-exp10];
        return negative ? -d : d;
    }

    static double parseSlow(String lexeme) {
        try {
            return Double.parseDouble(lexeme);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Whether a pattern's number literal means the double it parses to: its value equals that double's shortest
     * decimal form. Such literals match event numbers by value ({@code 300} = {@code 300.0} = {@code 3.0e2});
     * others (an account number such as {@code 123456789012345678901}) match by text only, so that two distinct
     * literals never collide on one double (spec 3.3.1).
     */
    static boolean isExactDouble(String lexeme, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return false;
        }
        try {
            return new BigDecimal(lexeme).compareTo(new BigDecimal(Double.toString(value))) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
