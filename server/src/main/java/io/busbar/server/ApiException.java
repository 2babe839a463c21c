package io.busbar.server;

/**
 * A request the API refuses, answered as {@code {"__type": type, "message": message}} with an HTTP status (spec
 * 2.2). Thrown by the request readers and the operations; errors of the embedded bus arrive as
 * {@link io.busbar.core.BusbarException} and are answered the same way by {@link AwsJsonHandler}.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String SERIALIZATION = "SerializationException";
    static final String UNKNOWN_OPERATION = "UnknownOperationException";
    static final String VALIDATION = "ValidationException";
    static final String NOT_FOUND = "ResourceNotFoundException";
    static final String LIMIT_EXCEEDED = "LimitExceededException";
    static final String THROTTLING = "ThrottlingException";
    static final String INTERNAL = "InternalException";
    static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
    static final String INVALID_SIGNATURE = "InvalidSignatureException";
    static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    static final String UNSUPPORTED_OPERATION = "UnsupportedOperationException";

    private final int status;
    private final String type;

    ApiException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    static ApiException badRequest(String type, String message) {
        return new ApiException(400, type, message);
    }

    static ApiException serialization(String message) {
        return badRequest(SERIALIZATION, message);
    }

    static ApiException validation(String message) {
        return badRequest(VALIDATION, message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
