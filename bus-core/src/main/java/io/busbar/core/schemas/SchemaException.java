package io.busbar.core.schemas;

/**
 * A refused Schemas request, with the Schemas API error name ({@code BadRequestException}, {@code NotFoundException},
 * {@code ConflictException}, {@code ForbiddenException}); the server maps the name to its HTTP status.
 */
public final class SchemaException extends RuntimeException {
    public static final String BAD_REQUEST = "BadRequestException";
    public static final String NOT_FOUND = "NotFoundException";
    public static final String CONFLICT = "ConflictException";
    public static final String FORBIDDEN = "ForbiddenException";
    /** A {@code RevisionId} that is not the resource policy's current one (SCHEMAS 4.10). */
    public static final String PRECONDITION_FAILED = "PreconditionFailedException";

    private static final long serialVersionUID = 1L;
    private final String errorType;

    public SchemaException(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    /** The Schemas API exception name. */
    public String errorType() {
        return errorType;
    }

    static SchemaException badRequest(String message) {
        return new SchemaException(BAD_REQUEST, message);
    }

    static SchemaException notFound(String message) {
        return new SchemaException(NOT_FOUND, message);
    }

    static SchemaException forbidden(String message) {
        return new SchemaException(FORBIDDEN, message);
    }
}
