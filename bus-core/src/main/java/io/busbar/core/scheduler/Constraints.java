package io.busbar.core.scheduler;

import io.busbar.core.BusbarException;
import java.util.regex.Pattern;

/** The Scheduler model's member constraints, answered with AWS's "1 validation error detected" wording. */
final class Constraints {
    static final String VALIDATION = "ValidationException";
    static final Pattern NAME = Pattern.compile("^[0-9a-zA-Z-_.]+$");

    private Constraints() {
    }

    static BusbarException violation(String member, Object value, String constraint) {
        return new BusbarException(VALIDATION, "1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    static BusbarException invalid(String message) {
        return new BusbarException(VALIDATION, message);
    }

    static String required(String member, String value, int min, int max, Pattern pattern) {
        if (value == null) {
            throw invalid("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return optional(member, value, min, max, pattern);
    }

    static String optional(String member, String value, int min, int max, Pattern pattern) {
        if (value == null) {
            return null;
        }
        if (value.length() < min) {
            throw violation(member, value, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw violation(member, value, "Member must have length less than or equal to " + max);
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            throw violation(member, value, "Member must satisfy regular expression pattern: " + pattern.pattern());
        }
        return value;
    }

    static <T> T notNull(String member, T value) {
        if (value == null) {
            throw invalid("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }
}
