package io.busbar.core.schedule;

import static io.busbar.core.schedule.CronParser.invalid;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Reads the outer syntax of a schedule expression, {@code rate(value unit)}, {@code cron(fields)} or
 * {@code at(yyyy-mm-ddThh:mm:ss)}, exactly as written: no surrounding or extra whitespace, lower-case keywords and
 * units (spec 7.1, aws-observed: {@code " rate(10 minutes)"}, {@code rate( 10 minutes )} and
 * {@code rate(10 MINUTES)} are all rejected).
 */
final class ExpressionParser {
    private static final int MAX_RATE_VALUE = Integer.MAX_VALUE;

    private ExpressionParser() {
    }

    static ScheduleExpression parse(String text, ZoneId zone, Dialect dialect) {
        if (text.startsWith("rate(") && text.endsWith(")")) {
            return new ScheduleExpression(text, zone, rateSeconds(body(text, "rate("), dialect), null, null);
        }
        if (text.startsWith("cron(") && text.endsWith(")")) {
            return new ScheduleExpression(text, zone, 0, CronParser.parse(body(text, "cron(")), null);
        }
        if (text.startsWith("at(") && text.endsWith(")")) {
            if (dialect == Dialect.RULE) {
                throw invalid("at: one-time expressions exist only in EventBridge Scheduler, not in rules");
            }
            return new ScheduleExpression(text, zone, 0, null, localDateTime(body(text, "at(")));
        }
        throw invalid("expression: '" + text + "' (expected: "
                + (dialect == Dialect.RULE ? "rate(...) or cron(...))" : "at(...), rate(...) or cron(...))"));
    }

    private static String body(String text, String keyword) {
        return text.substring(keyword.length(), text.length() - 1);
    }

    /** The period of {@code value unit} in seconds; rules insist on the singular unit exactly when the value is 1. */
    private static long rateSeconds(String body, Dialect dialect) {
        int space = body.indexOf(' ');
        String value = space < 0 ? body : body.substring(0, space);
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid("rate: value '" + value + "' is not a positive integer");
        }
        if (space < 0) {
            throw invalid("rate: unit missing (expected: rate(value unit))");
        }
        long n = 0;
        for (int i = 0; i < value.length() && n <= MAX_RATE_VALUE; i++) {
            n = n * 10 + (value.charAt(i) - '0');
        }
        if (n == 0) {
            throw invalid("rate: value 0 is not a positive integer");
        }
        if (n > MAX_RATE_VALUE) {
            throw invalid("rate: value " + value + " is larger than " + MAX_RATE_VALUE);
        }
        String unit = body.substring(space + 1);
        long seconds;
        switch (unit) {
            case "minute":
            case "minutes":
                seconds = 60;
                break;
            case "hour":
            case "hours":
                seconds = 3600;
                break;
            case "day":
            case "days":
                // Days are 24 elapsed hours, not calendar days, also across DST changes (spec 7.2).
                seconds = 86400;
                break;
            default:
                throw invalid("rate: unit '" + unit + "' (expected: minute, minutes, hour, hours, day or days)");
        }
        boolean plural = unit.endsWith("s");
        if (dialect == Dialect.RULE && plural == (n == 1)) {
            String singular = plural ? unit.substring(0, unit.length() - 1) : unit;
            throw invalid("rate: value " + n + " takes the " + (n == 1 ? "singular unit '" + singular + "'"
                    : "plural unit '" + singular + "s'"));
        }
        return n * seconds;
    }

    /** {@code yyyy-mm-ddThh:mm:ss} with every digit present and no zone or offset suffix (SCHEDULER 2.1). */
    private static LocalDateTime localDateTime(String body) {
        String shape = "dddd-dd-ddTdd:dd:dd";
        boolean matches = body.length() == shape.length();
        for (int i = 0; matches && i < shape.length(); i++) {
            char c = body.charAt(i);
            matches = shape.charAt(i) == 'd' ? c >= '0' && c <= '9' : c == shape.charAt(i);
        }
        if (!matches) {
            throw invalid("at: '" + body + "' (expected: yyyy-mm-ddThh:mm:ss, no zone or offset)");
        }
        try {
            return LocalDateTime.of(Integer.parseInt(body.substring(0, 4)), Integer.parseInt(body.substring(5, 7)),
                    Integer.parseInt(body.substring(8, 10)), Integer.parseInt(body.substring(11, 13)),
                    Integer.parseInt(body.substring(14, 16)), Integer.parseInt(body.substring(17, 19)));
        } catch (DateTimeException e) {
            throw invalid("at: '" + body + "' is not a date-time (" + e.getMessage() + ")");
        }
    }
}
