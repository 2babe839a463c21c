package io.busbar.targets.lambda;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header: delta-seconds or an HTTP date; a negative value means "stop retrying", as
 * EventBridge reads it for HTTP targets (spec 6.2). The same reading as the API destination module's; target
 * modules depend on bus-core only, so the few lines are repeated rather than shared through a new module.
 */
final class RetryAfter {
    /** Null when absent or unreadable; negative when the server asked to stop. */
    static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        if (h.matches("-?[0-9]{1,12}")) {
            return Duration.ofSeconds(Long.parseLong(h));
        }
        try {
            Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null; // unreadable: the retry policy alone decides
        }
    }

    private RetryAfter() {
    }
}
