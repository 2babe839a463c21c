package io.busbar.pattern;

/**
 * A reason to reject a pattern, raised deep inside an operand's parser (a wildcard, a CIDR) that does not know where
 * in the pattern text it is; {@link PatternParser} adds the location.
 */
final class PatternSyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    PatternSyntaxError(String reason) {
        super(reason, null, false, false);
    }
}
