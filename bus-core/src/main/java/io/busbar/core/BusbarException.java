package io.busbar.core;

/**
 * A request the bus refuses, with the EventBridge error code it maps to ({@code ResourceNotFoundException},
 * {@code ValidationException}, {@code ResourceAlreadyExistsException}, {@code LimitExceededException},
 * {@code InvalidEventPatternException}, {@code IllegalStatusException}) and EventBridge's message. The server
 * answers it as {@code {"__type": code, "message": message}}.
 */
public final class BusbarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String VALIDATION = "ValidationException";
    public static final String ALREADY_EXISTS = "ResourceAlreadyExistsException";
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    public static final String INVALID_EVENT_PATTERN = "InvalidEventPatternException";
    /** A resource in a state that does not allow the operation (CancelReplay on a replay that has ended). */
    public static final String ILLEGAL_STATUS = "IllegalStatusException";
    /** A {@code NextToken} this listing did not hand out, or one it no longer reaches (AWS: HTTP 400 InvalidToken). */
    public static final String INVALID_TOKEN = "InvalidToken";

    private final String errorCode;

    public BusbarException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public String errorCode() {
        return errorCode;
    }

    static BusbarException notFound(String message) {
        return new BusbarException(RESOURCE_NOT_FOUND, message);
    }

    static BusbarException validation(String message) {
        return new BusbarException(VALIDATION, message);
    }

    /** AWS's wording for a member that breaks a model constraint. */
    static BusbarException constraint(String member, String value, String constraint) {
        return validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }
}
