package io.busbar.core.schedule;

/**
 * A schedule expression that EventBridge would reject. {@link #getMessage()} is always EventBridge's text,
 * {@value #MESSAGE}, which the API answers as a {@code ValidationException}; {@link #reason()} says what is wrong
 * (for logs and the CLI, since AWS itself gives no detail).
 */
public final class InvalidScheduleExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The message EventBridge answers for every invalid schedule expression (spec 7.1). */
    public static final String MESSAGE = "Parameter ScheduleExpression is not valid.";

    private final String reason;

    InvalidScheduleExpressionException(String reason) {
        super(MESSAGE);
        this.reason = reason;
    }

    /** What is wrong, naming the field, e.g. {@code minutes: 71 is outside 0-59}. */
    public String reason() {
        return reason;
    }
}
