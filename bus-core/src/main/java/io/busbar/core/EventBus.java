package io.busbar.core;

import java.time.Instant;
import java.util.List;

/**
 * An event bus as DescribeEventBus shows it.
 *
 * @param name        the bus name ({@code default} or a custom name)
 * @param arn         {@code arn:aws:events:<region>:<account>:event-bus/<name>}
 * @param description optional description (≤ 512 characters)
 * @param created     when the bus was created
 * @param options     the optional settings CreateEventBus takes; {@link Options#NONE} when none was given
 */
public record EventBus(String name, String arn, String description, Instant created, Options options) {
    public EventBus {
        options = options == null ? Options.NONE : options;
    }

    /** A bus with no optional settings. */
    public EventBus(String name, String arn, String description, Instant created) {
        this(name, arn, description, created, Options.NONE);
    }

    /**
     * The optional settings of spec 8.1, kept and shown as given: Busbar encrypts nothing with the key, and writes
     * no logs by the log configuration. Each may be null.
     *
     * @param kmsKeyIdentifier  a KMS key id, ARN or alias (≤ 2048 characters)
     * @param deadLetterArn     the {@code DeadLetterConfig} queue ARN (≤ 1600 characters)
     * @param logIncludeDetail  {@code LogConfig.IncludeDetail}: {@code NONE} or {@code FULL}
     * @param logLevel          {@code LogConfig.Level}: {@code OFF}, {@code ERROR}, {@code INFO} or {@code TRACE}
     */
    public record Options(String kmsKeyIdentifier, String deadLetterArn, String logIncludeDetail, String logLevel) {
        public static final Options NONE = new Options(null, null, null, null);
        private static final List<String> INCLUDE_DETAIL = List.of("NONE", "FULL");
        private static final List<String> LEVELS = List.of("OFF", "ERROR", "INFO", "TRACE");

        public Options {
            Names.optional("kmsKeyIdentifier", kmsKeyIdentifier, 2048);
            if (deadLetterArn != null) {
                Names.check("deadLetterConfig.arn", deadLetterArn, null, 1, 1600);
            }
            if (logIncludeDetail != null && !INCLUDE_DETAIL.contains(logIncludeDetail)) {
                throw BusbarException.constraint("logConfig.includeDetail", logIncludeDetail,
                        "Member must satisfy enum value set: [NONE, FULL]");
            }
            if (logLevel != null && !LEVELS.contains(logLevel)) {
                throw BusbarException.constraint("logConfig.level", logLevel,
                        "Member must satisfy enum value set: [OFF, ERROR, INFO, TRACE]");
            }
        }

        /** Whether a {@code LogConfig} was given. */
        public boolean hasLogConfig() {
            return logIncludeDetail != null || logLevel != null;
        }
    }
}
