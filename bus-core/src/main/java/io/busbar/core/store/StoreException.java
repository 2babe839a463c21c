package io.busbar.core.store;

/**
 * The store could not keep what it was given: the disk is full, the data directory's size limit is reached, or an
 * I/O error occurred. Nothing acknowledged before is affected; what this call tried to store was not kept.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
