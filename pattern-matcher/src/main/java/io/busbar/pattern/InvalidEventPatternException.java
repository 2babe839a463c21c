package io.busbar.pattern;

/**
 * A pattern that EventBridge would reject. {@link #getMessage()} is EventBridge's text,
 * {@code Event pattern is not valid. Reason: <reason>} followed by the location in the pattern, and
 * {@link #errorCode()} is the API error it maps to ({@code InvalidEventPatternException}, or
 * {@code ValidationException} for a pattern longer than the API accepts at all).
 */
public final class InvalidEventPatternException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The error code of a pattern EventBridge rejects. */
    public static final String INVALID_EVENT_PATTERN = "InvalidEventPatternException";
    /** The error code of a request member that breaks the API model's constraints. */
    public static final String VALIDATION = "ValidationException";

    private final String errorCode;
    private final String reason;
    private final int line;
    private final int column;

    private InvalidEventPatternException(String errorCode, String message, String reason, int line, int column) {
        super(message);
        this.errorCode = errorCode;
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /**
     * A pattern rejected with EventBridge's reason at a location (1-based line and column, or 0 when the
     * reason concerns the pattern as a whole).
     */
    static InvalidEventPatternException invalid(String reason, String patternText, int line, int column) {
        StringBuilder message = new StringBuilder("Event pattern is not valid. Reason: ").append(reason);
        if (line > 0) {
            message.append("\n at [Source: (String)\"").append(patternText).append("\"; line: ").append(line)
                    .append(", column: ").append(column).append(']');
        }
        return new InvalidEventPatternException(INVALID_EVENT_PATTERN, message.toString(), reason, line, column);
    }

    /** A pattern longer than the API model allows, with the AWS API's validation wording. */
    static InvalidEventPatternException tooLongForApi(String patternText) {
        int length = patternText.length();
        String message = "1 validation error detected: Value '" + patternText
                + "' at 'eventPattern' failed to satisfy constraint: "
                + "Member must have length less than or equal to " + PatternLimits.API_MAX_LENGTH;
        return new InvalidEventPatternException(VALIDATION, message,
                "pattern length " + length + " exceeds " + PatternLimits.API_MAX_LENGTH, 0, 0);
    }

    /** {@code InvalidEventPatternException} or {@code ValidationException}, as the EventBridge API answers. */
    public String errorCode() {
        return errorCode;
    }

    /** The reason alone, without the {@code Event pattern is not valid. Reason: } prefix or the location. */
    public String reason() {
        return reason;
    }

    /** 1-based line of the offending token in the pattern text, or 0 when the reason has no single location. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending token in the pattern text, or 0 when the reason has no single location. */
    public int column() {
        return column;
    }
}
