package io.busbar.targets.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header (RFC 9110 10.2.3): delta-seconds or an HTTP date. EventBridge adds one rule:
 * a negative value means "stop retrying" (spec 6.2), which a strict parser would reject as malformed.
 */
final class RetryAfter {
    /** What the header asks for. */
    enum Kind { ABSENT, WAIT, STOP }

    /**
     * @param kind whether the header was absent or unreadable, asked to wait, or asked to stop
     * @param delay for {@link Kind#WAIT}, how long (zero for a date already past)
     */
    record Value(Kind kind, Duration delay) {
        static final Value ABSENT = new Value(Kind.ABSENT, null);
    }

    private RetryAfter() {
    }

    /**
     * @param header the header's value, or null
     * @param now    the injected clock's instant, for HTTP dates
     */
    static Value parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Value.ABSENT;
        }
        String h = header.trim();
        if (h.matches("-?[0-9]{1,12}")) {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? new Value(Kind.STOP, null) : new Value(Kind.WAIT, Duration.ofSeconds(seconds));
        }
        try {
            Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return new Value(Kind.WAIT, d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            // An unreadable header is ignored, as HTTP clients do: the retry policy alone decides the wait.
            return Value.ABSENT;
        }
    }
}
