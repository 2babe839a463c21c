package io.busbar.server;

/**
 * A configuration file that cannot be loaded. The message names the file, the line, the path of the member and the
 * reason, e.g. {@code config.yaml:12: rules[1].eventPattern: Event pattern is not valid. Reason: ...}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
        super(message);
    }

    ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
