package io.busbar.core;

/**
 * A target's input configuration that EventBridge would reject at PutTargets. The EventBridge API answers these
 * with {@code ValidationException} ({@link #errorCode()}).
 *
 * <p>Where AWS's wording was recorded, {@link #getMessage()} is that text verbatim, for example
 * {@code Only one of Input, InputPath, or InputTransformer must be provided for target t1.} and
 * {@code InputTemplate for target t1 contains invalid placeholder notdefinedkey.}. Where it was not, the message
 * follows Busbar's {@code field: value (expected: ...)} form.
 */
public final class TargetValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The EventBridge API error code for every rejection of this kind. */
    public static final String VALIDATION = "ValidationException";

    /** Set only for the invalid-placeholder rejection, whose message names the target once it is known. */
    private final String invalidPlaceholder;

    private TargetValidationException(String message, String invalidPlaceholder) {
        super(message);
        this.invalidPlaceholder = invalidPlaceholder;
    }

    static TargetValidationException invalid(String message) {
        return new TargetValidationException(message, null);
    }

    static TargetValidationException onlyOneInput(String targetId) {
        return invalid("Only one of Input, InputPath, or InputTransformer must be provided for target "
                + targetId + ".");
    }

    /**
     * A placeholder that is neither an InputPathsMap key nor a reserved variable. An {@link InputTransformer}
     * built on its own does not know its target ({@code targetId} null), so the message leaves the target out
     * until {@link #forTarget(String)} puts it in.
     */
    /** A path parsed for a target member, its errors turned into EventBridge's {@code ValidationException}. */
    static io.busbar.core.spi.EventPath path(String field, String text) {
        try {
            return io.busbar.core.spi.EventPath.parse(field, text);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    static TargetValidationException invalidPlaceholder(String targetId, String placeholder) {
        String where = targetId == null ? "InputTemplate" : "InputTemplate for target " + targetId;
        return new TargetValidationException(where + " contains invalid placeholder " + placeholder + ".",
                placeholder);
    }

    /** This rejection as EventBridge words it for the given target (itself when the message has no target). */
    TargetValidationException forTarget(String targetId) {
        if (invalidPlaceholder == null) {
            return this;
        }
        TargetValidationException named = invalidPlaceholder(targetId, invalidPlaceholder);
        named.setStackTrace(getStackTrace());
        return named;
    }

    /** Always {@value #VALIDATION}, the error code EventBridge answers with. */
    public String errorCode() {
        return VALIDATION;
    }
}
