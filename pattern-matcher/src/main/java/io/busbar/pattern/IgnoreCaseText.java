package io.busbar.pattern;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The operand of {@code equals-ignore-case}: each code point of the pattern matches its own lower-case or upper-case
 * form (as {@link String#toLowerCase(Locale)} and {@link String#toUpperCase(Locale)} give them for that code point
 * alone, in {@link Locale#ROOT}). So {@code "straße"} matches {@code "STRASSE"} and {@code "STRAßE"} but not
 * {@code "strasse"}, as EventBridge's engine does (spec 3.3.4). Unlike that engine, this works on code points, so a
 * character outside the Basic Multilingual Plane matches itself.
 *
 * <p>Implementation notes: a pattern made only of ASCII reduces to ASCII case-insensitive equality, which the
 * {@link Machine} indexes by the lower-cased bytes ({@link #asciiLowerBytes()}); other patterns are tested one by
 * one with a small backtracking match, since the two forms of a code point may differ in length.
 */
final class IgnoreCaseText {
    private final String pattern;
    private final String[][] forms;
    private final byte[] asciiLower;

    IgnoreCaseText(String pattern) {
        this.pattern = pattern;
        int[] cps = pattern.codePoints().toArray();
        this.forms = new String[cps.length][];
        boolean ascii = true;
        for (int i = 0; i < cps.length; i++) {
            String cp = new String(Character.toChars(cps[i]));
            String lower = cp.toLowerCase(Locale.ROOT);
            String upper = cp.toUpperCase(Locale.ROOT);
            forms[i] = lower.equals(upper) ? new String[] {lower} : new String[] {lower, upper};
            ascii &= cps[i] < 0x80;
        }
        this.asciiLower = ascii ? pattern.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII) : null;
    }

    String pattern() {
        return pattern;
    }

    /** The lower-cased operand when it is all ASCII, else {@code null}. */
    byte[] asciiLowerBytes() {
        return asciiLower;
    }

    boolean equalsIgnoreCase(String s) {
        return forward(s, 0, 0, true);
    }

    boolean isPrefixIgnoreCase(String s) {
        return forward(s, 0, 0, false);
    }

    boolean isSuffixIgnoreCase(String s) {
        return backward(s, s.length(), forms.length - 1);
    }

    private boolean forward(String s, int pos, int idx, boolean whole) {
        if (idx == forms.length) {
            return !whole || pos == s.length();
        }
        for (String form : forms[idx]) {
            if (s.startsWith(form, pos) && forward(s, pos + form.length(), idx + 1, whole)) {
                return true;
            }
        }
        return false;
    }

    private boolean backward(String s, int end, int idx) {
        if (idx < 0) {
            return true;
        }
        for (String form : forms[idx]) {
            int start = end - form.length();
            if (start >= 0 && s.startsWith(form, start) && backward(s, start, idx - 1)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IgnoreCaseText t && t.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }
}
