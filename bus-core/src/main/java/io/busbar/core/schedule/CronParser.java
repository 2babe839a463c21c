package io.busbar.core.schedule;

import java.util.Locale;

/**
 * Parses the six fields of {@code cron(...)} (spec 7.1) into a {@link Cron}.
 *
 * <p>Grammar, per field: a comma-separated list of terms {@code *}, {@code v}, {@code v-w} or any of them followed by
 * {@code /step}; {@code v/step} runs from v to the field's maximum. A range whose end is below its start wraps
 * around ({@code 20-2} hours = 20..23, 0..2; {@code FRI-MON} = Fri, Sat, Sun, Mon), as the documentation's own
 * example {@code 0/30 20-2 ? * MON-FRI *} needs; years cannot wrap. Month and weekday names are three letters and
 * case-insensitive, as are {@code L} and {@code W} (Quartz reads them so, and users report that the EventBridge
 * console accepts {@code Wed-Fri} and {@code mOn}); the {@code cron(} keyword itself is lower-case only, like the
 * units of {@code rate(} (aws-observed).
 *
 * <p>The day fields add, each standing alone in its field: {@code ?}; in day-of-month {@code L}, {@code L-n}
 * (n = 1..30 days before the last), {@code LW} and {@code nW}; in day-of-week {@code nL}, {@code L} (= 7, Saturday,
 * as in Quartz) and {@code d#n} (n = 1..5). Steps are limited as Quartz limits them (at most 59 minutes, 23 hours, 31
 * days, 12 months, 7 weekdays). Day-of-week accepts {@code /} although the current documentation's table omits it:
 * earlier versions of the table listed it and Quartz supports it, and rejecting what AWS may accept would break
 * users.
 */
final class CronParser {

    /** The six fields: name, smallest and largest value, largest step, and names for values when it has them. */
    enum Field {
        MINUTES("minutes", 0, 59, 59, null),
        HOURS("hours", 0, 23, 23, null),
        DAY_OF_MONTH("day-of-month", 1, 31, 31, null),
        MONTH("month", 1, 12, 12,
                new String[] {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}),
        DAY_OF_WEEK("day-of-week", 1, 7, 7, new String[] {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}),
        YEAR("year", Cron.MIN_YEAR, Cron.MAX_YEAR, Cron.MAX_YEAR - Cron.MIN_YEAR, null);

        final String label;
        final int min;
        final int max;
        final int maxStep;
        private final String[] names;

        Field(String label, int min, int max, int maxStep, String[] names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.maxStep = maxStep;
            this.names = names;
        }
    }

    private CronParser() {
    }

    /** Parses the text between {@code cron(} and {@code )}. */
    static Cron parse(String body) {
        String[] fields = splitFields(body);
        long minutes = list(Field.MINUTES, fields[0])[0];
        int hours = (int) list(Field.HOURS, fields[1])[0];
        DayRule dayOfMonth = dayOfMonth(fields[2]);
        int months = (int) (list(Field.MONTH, fields[3])[0] << 1);
        DayRule dayOfWeek = dayOfWeek(fields[4]);
        long[] years = list(Field.YEAR, fields[5]);
        if ((dayOfMonth == null) == (dayOfWeek == null)) {
            throw invalid("day-of-month, day-of-week: exactly one of them must be '?' (got '" + fields[2] + "' and '"
                    + fields[4] + "')");
        }
        return new Cron(minutes, hours, dayOfMonth != null ? dayOfMonth : dayOfWeek, months, years);
    }

    private static String[] splitFields(String body) {
        String[] fields = new String[6];
        int count = 0;
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || body.charAt(i) == ' ') {
                if (i == start) {
                    throw invalid("cron: fields must be separated by exactly one space");
                }
                if (count < 6) {
                    fields[count] = body.substring(start, i);
                }
                count++;
                start = i + 1;
            }
        }
        if (count != 6) {
            throw invalid("cron: " + count
                    + " fields (expected: 6, minutes hours day-of-month month day-of-week year)");
        }
        return fields;
    }

    /** {@code ?}, one of the L/W forms, or a plain list; {@code null} for {@code ?}. */
    private static DayRule dayOfMonth(String text) {
        if (text.equals("?")) {
            return null;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.equals("L")) {
            return new DayRule.LastDayOfMonth(0);
        }
        if (upper.equals("LW")) {
            return new DayRule.LastWeekdayOfMonth();
        }
        if (upper.startsWith("L-")) {
            int offset = number(Field.DAY_OF_MONTH, "offset", upper.substring(2));
            if (offset < 1 || offset > 30) {
                throw invalid("day-of-month: offset " + offset + " in '" + text + "' is outside 1-30");
            }
            return new DayRule.LastDayOfMonth(offset);
        }
        if (upper.length() > 1 && upper.endsWith("W") && isDigits(upper.substring(0, upper.length() - 1))) {
            return new DayRule.NearestWeekday(value(Field.DAY_OF_MONTH, upper.substring(0, upper.length() - 1)));
        }
        if (upper.indexOf('L') >= 0 || upper.indexOf('W') >= 0) {
            throw invalid("day-of-month: '" + text
                    + "' (expected: L, L-n, LW or nW standing alone, or a list of days)");
        }
        return new DayRule.DaysOfMonth((int) (list(Field.DAY_OF_MONTH, text)[0] << 1));
    }

    /** {@code ?}, {@code d#n}, {@code nL}, {@code L} or a plain list; {@code null} for {@code ?}. */
    private static DayRule dayOfWeek(String text) {
        if (text.equals("?")) {
            return null;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        int hash = upper.indexOf('#');
        if (hash >= 0) {
            if (upper.indexOf(',') >= 0) {
                throw invalid("day-of-week: only one '#' expression is allowed, got '" + text + "'");
            }
            int dow = value(Field.DAY_OF_WEEK, upper.substring(0, hash));
            int nth = number(Field.DAY_OF_WEEK, "week number", upper.substring(hash + 1));
            if (nth < 1 || nth > 5) {
                throw invalid("day-of-week: week number " + nth + " in '" + text + "' is outside 1-5");
            }
            return new DayRule.NthDayOfWeek(dow, nth);
        }
        if (upper.equals("L")) {
            return DayRule.DaysOfWeek.of(1 << 7);
        }
        if (upper.indexOf('L') >= 0) {
            String day = upper.substring(0, upper.length() - 1);
            if (!upper.endsWith("L") || day.indexOf(',') >= 0 || day.indexOf('-') >= 0 || day.indexOf('/') >= 0
                    || day.indexOf('L') >= 0) {
                throw invalid("day-of-week: '" + text + "' (expected: a single day followed by L, e.g. 6L)");
            }
            return new DayRule.LastDayOfWeek(value(Field.DAY_OF_WEEK, day));
        }
        return DayRule.DaysOfWeek.of((int) (list(Field.DAY_OF_WEEK, text)[0] << 1));
    }

    /** The values of a plain list field, bit {@code v - field.min} set for every value v. */
    static long[] list(Field field, String text) {
        long[] set = new long[4];
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ',') {
                if (i == start) {
                    throw invalid(field.label + ": empty element in '" + text + "'");
                }
                term(field, text.substring(start, i), set);
                start = i + 1;
            }
        }
        return set;
    }

    private static void term(Field field, String term, long[] set) {
        int slash = term.indexOf('/');
        String range = slash < 0 ? term : term.substring(0, slash);
        int step = 1;
        if (slash >= 0) {
            step = number(field, "step", term.substring(slash + 1));
            if (step < 1 || step > field.maxStep) {
                throw invalid(field.label + ": step " + step + " in '" + term + "' is outside 1-" + field.maxStep);
            }
        }
        int from;
        int to;
        if (range.equals("*")) {
            from = field.min;
            to = field.max;
        } else {
            int dash = range.indexOf('-');
            if (dash < 0) {
                from = value(field, range);
                to = slash < 0 ? from : field.max;
            } else {
                from = value(field, range.substring(0, dash));
                to = value(field, range.substring(dash + 1));
            }
        }
        int span = field.max - field.min + 1;
        if (to < from) {
            if (field == Field.YEAR) {
                throw invalid("year: range '" + range + "' runs backwards");
            }
            // A wrap-around range: continue past the maximum and fold back to the start of the field.
            to += span;
        }
        for (int v = from; v <= to; v += step) {
            int folded = v > field.max ? v - span : v;
            int bit = folded - field.min;
            set[bit >>> 6] |= 1L << (bit & 63);
        }
    }

    /** A number or, in month and day-of-week, a three-letter name, within the field's range. */
    private static int value(Field field, String token) {
        if (isDigits(token)) {
            int v = number(field, "value", token);
            if (v < field.min || v > field.max) {
                throw invalid(field.label + ": " + v + " is outside " + field.min + "-" + field.max);
            }
            return v;
        }
        if (field.names != null) {
            String upper = token.toUpperCase(Locale.ROOT);
            for (int i = 0; i < field.names.length; i++) {
                if (field.names[i].equals(upper)) {
                    return field.min + i;
                }
            }
            throw invalid(field.label + ": '" + token + "' is not a number or a name (expected: " + field.min + "-"
                    + field.max + " or " + field.names[0] + "-" + field.names[field.names.length - 1] + ")");
        }
        throw invalid(field.label + ": '" + token + "' is not a number (expected: " + field.min + "-" + field.max
                + ")");
    }

    /** Decimal digits only (no sign), capped so that a long run of digits is out of range rather than overflowing. */
    private static int number(Field field, String what, String token) {
        if (!isDigits(token)) {
            throw invalid(field.label + ": " + what + " '" + token + "' is not a number");
        }
        long v = 0;
        for (int i = 0; i < token.length(); i++) {
            v = Math.min(v * 10 + (token.charAt(i) - '0'), Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static InvalidScheduleExpressionException invalid(String reason) {
        return new InvalidScheduleExpressionException(reason);
    }
}
