package io.busbar.pattern;

/**
 * An event that is not a JSON object, or not well-formed JSON, handed to a matcher. The message names the byte
 * offset and the reason. A bus validates events when it accepts them, so this reaches a caller only when it
 * matches raw text of its own.
 */
public final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public InvalidEventException(String reason, int offset) {
        super("event: " + reason + " at offset " + offset);
        this.offset = offset;
    }

    /** Byte offset (in the UTF-8 event) where the problem was found. */
    public int offset() {
        return offset;
    }
}
