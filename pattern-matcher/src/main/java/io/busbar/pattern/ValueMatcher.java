package io.busbar.pattern;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One element of a pattern's value array: a literal or a matcher object ({@code prefix}, {@code numeric}, ...).
 * Each variant knows how to test one event leaf on its own ({@link #test}); the compiled {@link Machine} indexes
 * the common variants instead of calling {@code test} for each, and the {@link ReferenceMatcher} calls
 * {@code test} directly, so the two are checked against each other.
 *
 * <p>{@code exists: false} is not a value matcher: it is a property of the condition (it matches an absent field)
 * and lives in {@link Condition#matchesAbsent()}.
 */
sealed interface ValueMatcher {

    boolean test(Leaf leaf);

    /** The matcher as it appears in a pattern, for explanations. */
    String toJson();

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A string literal: the whole string, byte for byte. */
    record ExactString(String value, byte[] bytes) implements ValueMatcher {
        ExactString(String value) {
            this(value, utf8(value));
        }

        @Override
        public boolean test(Leaf leaf) {
            return leaf.isString() && leaf.bytesEqual(bytes);
        }

        @Override
        public String toJson() {
            return JsonText.quote(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExactString e && e.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /**
     * A number literal: matches by value when the literal is exactly the double it denotes, and by its text always
     * (spec 3.3.1).
     */
    record ExactNumber(String lexeme, byte[] bytes, double value, boolean byValue) implements ValueMatcher {
        static ExactNumber of(String lexeme) {
            double d = NumberText.parseSlow(lexeme);
            return new ExactNumber(lexeme, utf8(lexeme), d == 0.0 ? 0.0 : d, NumberText.isExactDouble(lexeme, d));
        }

        @Override
        public boolean test(Leaf leaf) {
            if (!leaf.isNumber()) {
                return false;
            }
            return leaf.bytesEqual(bytes) || (byValue && leaf.number() == value);
        }

        @Override
        public String toJson() {
            return lexeme;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExactNumber e && e.lexeme.equals(lexeme);
        }

        @Override
        public int hashCode() {
            return lexeme.hashCode();
        }
    }

    /** {@code true}, {@code false} or {@code null}: the JSON keyword, present. */
    record Keyword(byte kind) implements ValueMatcher {
        @Override
        public boolean test(Leaf leaf) {
            return leaf.kind == kind;
        }

        @Override
        public String toJson() {
            return kind == Leaf.TRUE ? "true" : kind == Leaf.FALSE ? "false" : "null";
        }
    }

    /** {@code {"prefix": s}}: strings that start with {@code s}. */
    record Prefix(String value, byte[] bytes) implements ValueMatcher {
        Prefix(String value) {
            this(value, utf8(value));
        }

        @Override
        public boolean test(Leaf leaf) {
            return leaf.isString() && leaf.startsWith(bytes);
        }

        @Override
        public String toJson() {
            return "{\"prefix\":" + JsonText.quote(value) + "}";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && p.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /** {@code {"suffix": s}}: strings that end with {@code s}. */
    record Suffix(String value, byte[] bytes) implements ValueMatcher {
        Suffix(String value) {
            this(value, utf8(value));
        }

        @Override
        public boolean test(Leaf leaf) {
            return leaf.isString() && leaf.endsWith(bytes);
        }

        @Override
        public String toJson() {
            return "{\"suffix\":" + JsonText.quote(value) + "}";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Suffix p && p.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /** {@code equals-ignore-case}, alone or inside {@code prefix}/{@code suffix}. */
    record IgnoreCase(IgnoreCaseText text, Mode mode) implements ValueMatcher {
        enum Mode { EQUALS, PREFIX, SUFFIX }

        @Override
        public boolean test(Leaf leaf) {
            if (!leaf.isString()) {
                return false;
            }
            return switch (mode) {
                case EQUALS -> text.equalsIgnoreCase(leaf.text());
                case PREFIX -> text.isPrefixIgnoreCase(leaf.text());
                case SUFFIX -> text.isSuffixIgnoreCase(leaf.text());
            };
        }

        @Override
        public String toJson() {
            String inner = "{\"equals-ignore-case\":" + JsonText.quote(text.pattern()) + "}";
            return switch (mode) {
                case EQUALS -> inner;
                case PREFIX -> "{\"prefix\":" + inner + "}";
                case SUFFIX -> "{\"suffix\":" + inner + "}";
            };
        }
    }

    /** {@code {"wildcard": s}}. */
    record WildcardMatch(Wildcard wildcard) implements ValueMatcher {
        @Override
        public boolean test(Leaf leaf) {
            return leaf.isString() && wildcard.matches(leaf.buf, leaf.off, leaf.len);
        }

        @Override
        public String toJson() {
            return "{\"wildcard\":" + JsonText.quote(wildcard.source()) + "}";
        }
    }

    /** {@code {"numeric": [...]}}: a range over doubles, either side optional. */
    record Numeric(double low, boolean lowInclusive, double high, boolean highInclusive, String source)
            implements ValueMatcher {
        @Override
        public boolean test(Leaf leaf) {
            if (!leaf.isNumber()) {
                return false;
            }
            return contains(leaf.number());
        }

        boolean contains(double v) {
            if (Double.isNaN(v)) {
                return false;
            }
            if (lowInclusive ? v < low : v <= low) {
                return false;
            }
            return highInclusive ? v <= high : v < high;
        }

        @Override
        public String toJson() {
            return "{\"numeric\":" + source + "}";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numeric n && Double.compare(n.low, low) == 0 && Double.compare(n.high, high) == 0
                    && n.lowInclusive == lowInclusive && n.highInclusive == highInclusive;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(low) * 31 + Double.hashCode(high) + (lowInclusive ? 7 : 0)
                    + (highInclusive ? 13 : 0);
        }
    }

    /** {@code {"exists": true}}: any leaf at all, {@code null} included. */
    record Exists() implements ValueMatcher {
        @Override
        public boolean test(Leaf leaf) {
            return true;
        }

        @Override
        public String toJson() {
            return "{\"exists\":true}";
        }
    }

    /** {@code {"cidr": "a.b.c.d/n"}} or an IPv6 range: strings holding an IP literal inside the range. */
    record Cidr(IpRange range, String source) implements ValueMatcher {
        @Override
        public boolean test(Leaf leaf) {
            return leaf.isString() && range.contains(leaf.buf, leaf.off, leaf.len);
        }

        @Override
        public String toJson() {
            return "{\"cidr\":" + JsonText.quote(source) + "}";
        }
    }

    /**
     * {@code anything-but}, every form. A present leaf matches unless the exclusion covers it; {@code null}, booleans
     * and a value of the other type (a number against string exclusions and the reverse) are never excluded
     * (spec 3.3.6). An absent field never matches: that is the condition's concern, not this matcher's.
     */
    record AnythingBut(Kind kind, List<String> strings, byte[][] bytes, double[] numbers,
                       List<IgnoreCaseText> ignoreCase, List<Wildcard> wildcards, String source)
            implements ValueMatcher {
        enum Kind { STRINGS, NUMBERS, PREFIX, SUFFIX, IGNORE_CASE, WILDCARD }

        static AnythingBut strings(Kind kind, List<String> values, String source) {
            byte[][] bytes = values.stream().map(ValueMatcher::utf8).toArray(byte[][]::new);
            List<IgnoreCaseText> ic = kind == Kind.IGNORE_CASE
                    ? values.stream().map(IgnoreCaseText::new).collect(Collectors.toList()) : List.of();
            List<Wildcard> wc = kind == Kind.WILDCARD
                    ? values.stream().map(Wildcard::parseUnchecked).collect(Collectors.toList()) : List.of();
            return new AnythingBut(kind, List.copyOf(values), bytes, new double[0], ic, wc, source);
        }

        static AnythingBut numbers(double[] values, String source) {
            double[] normalized = values.clone();
            for (int i = 0; i < normalized.length; i++) {
                if (normalized[i] == 0.0) {
                    normalized[i] = 0.0;
                }
            }
            return new AnythingBut(Kind.NUMBERS, List.of(), new byte[0][], normalized, List.of(), List.of(), source);
        }

        @Override
        public boolean test(Leaf leaf) {
            return !excludes(leaf);
        }

        private boolean excludes(Leaf leaf) {
            if (kind == Kind.NUMBERS) {
                if (!leaf.isNumber()) {
                    return false;
                }
                double v = leaf.number();
                for (double n : numbers) {
                    if (n == v) {
                        return true;
                    }
                }
                return false;
            }
            if (!leaf.isString()) {
                return false;
            }
            switch (kind) {
                case STRINGS:
                    for (byte[] b : bytes) {
                        if (leaf.bytesEqual(b)) {
                            return true;
                        }
                    }
                    return false;
                case PREFIX:
                    for (byte[] b : bytes) {
                        if (leaf.startsWith(b)) {
                            return true;
                        }
                    }
                    return false;
                case SUFFIX:
                    for (byte[] b : bytes) {
                        if (leaf.endsWith(b)) {
                            return true;
                        }
                    }
                    return false;
                case IGNORE_CASE:
                    for (IgnoreCaseText t : ignoreCase) {
                        if (t.equalsIgnoreCase(leaf.text())) {
                            return true;
                        }
                    }
                    return false;
                case WILDCARD:
                    for (Wildcard w : wildcards) {
                        if (w.matches(leaf.buf, leaf.off, leaf.len)) {
                            return true;
                        }
                    }
                    return false;
                default:
                    throw new AssertionError(kind);
            }
        }

        @Override
        public String toJson() {
            return "{\"anything-but\":" + source + "}";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnythingBut a && a.kind == kind && a.strings.equals(strings)
                    && Arrays.equals(a.numbers, numbers);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + strings.hashCode() + Arrays.hashCode(numbers);
        }
    }
}
