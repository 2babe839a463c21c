package io.busbar.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The bitset search of {@link Cron} against a reference that knows nothing of it: random valid expressions are
 * generated together with their meaning (which minutes, hours, days, months and years they allow, computed here by
 * plain enumeration and {@code java.time} adjusters), and the reference walks the window minute by minute in the
 * zone, skipping days that do not match, mapping each matching local time to the earliest instant it denotes and
 * dropping local times that do not exist. Both must agree on the first fire times after a random instant, half of
 * them chosen just before a DST transition of the zone. Fixed seed: a failure reproduces.
 */
class ScheduleExpressionPropertyTest {
    private static final long SEED = 20260101L;
    private static final int EXPRESSIONS = 4000;
    private static final int FIRES = 6;
    private static final Duration WINDOW = Duration.ofDays(3 * 366);
    private static final List<ZoneId> ZONES = List.of(ZoneOffset.UTC, ZoneId.of("UTC"),
            ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin"), ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("America/Santiago"), ZoneId.of("Pacific/Chatham"), ZoneId.of("America/St_Johns"),
            ZoneId.of("Asia/Kolkata"), ZoneId.of("Europe/London"), ZoneId.of("America/Havana"));
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] WEEKDAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    /** A generated expression and, independently, what it means. */
    private static final class Generated {
        final StringBuilder text = new StringBuilder("cron(");
        final boolean[] minutes = new boolean[60];
        final boolean[] hours = new boolean[24];
        final boolean[] months = new boolean[13];
        final boolean[] years = new boolean[2200];
        Predicate<LocalDate> day;

        boolean matches(LocalDate date) {
            return years[date.getYear()] && months[date.getMonthValue()] && day.test(date);
        }
    }

    @Test
    void bitsetSearchAgreesWithMinuteByMinuteReference() {
        Random random = new Random(SEED);
        int full = 0;
        int nearTransition = 0;
        for (int i = 0; i < EXPRESSIONS; i++) {
            Generated g = generate(random);
            String text = g.text.toString();
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            Instant after = pickAfter(random, zone);
            if (after.getNano() == 0 && after.getEpochSecond() % 60 == 0) {
                nearTransition++;
            }
            Instant windowEnd = after.plus(WINDOW);
            ScheduleExpression parsed;
            try {
                parsed = ScheduleExpression.parse(text, zone);
            } catch (InvalidScheduleExpressionException e) {
                fail("#" + i + " rejected " + text + ": " + e.reason());
                return;
            }
            List<Instant> expected = reference(g, zone.getRules(), zone, after, windowEnd);
            List<Instant> actual = parsed.next(after, FIRES);
            String context = "#" + i + " " + text + " in " + zone + " after " + after;
            if (expected.size() == FIRES) {
                full++;
                assertEquals(expected, actual, context);
            } else {
                assertTrue(actual.size() >= expected.size(), () -> context + ": " + actual + " vs " + expected);
                assertEquals(expected, actual.subList(0, expected.size()), context);
                if (actual.size() > expected.size()) {
                    assertTrue(actual.get(expected.size()).isAfter(windowEnd), context + ": " + actual);
                }
            }
            if (zone.equals(ZoneOffset.UTC)) {
                assertEquals(actual, ScheduleExpression.parse(text).next(after, FIRES), context);
            }
        }
        // The generator must produce mostly expressions that fire, or the comparison proves little.
        assertTrue(full > EXPRESSIONS / 2, "only " + full + " expressions fired " + FIRES + " times in the window");
        assertTrue(nearTransition > 0);
    }

    // ---- the reference ----

    private static List<Instant> reference(Generated g, ZoneRules rules, ZoneId zone, Instant after,
                                           Instant windowEnd) {
        List<Instant> out = new ArrayList<>();
        LocalDate last = LocalDateTime.ofInstant(windowEnd, zone).toLocalDate().plusDays(1);
        for (LocalDate date = LocalDateTime.ofInstant(after, zone).toLocalDate().minusDays(1);
             !date.isAfter(last) && out.size() < FIRES + 3; date = date.plusDays(1)) {
            if (date.getYear() < 1970 || date.getYear() > 2199 || !g.matches(date)) {
                continue;
            }
            for (int minuteOfDay = 0; minuteOfDay < 24 * 60; minuteOfDay++) {
                if (!g.hours[minuteOfDay / 60] || !g.minutes[minuteOfDay % 60]) {
                    continue;
                }
                LocalDateTime local = date.atTime(minuteOfDay / 60, minuteOfDay % 60);
                Instant fire = null;
                for (ZoneOffset offset : rules.getValidOffsets(local)) { // none in a gap, two in an overlap
                    Instant candidate = local.toInstant(offset);
                    if (fire == null || candidate.isBefore(fire)) {
                        fire = candidate;
                    }
                }
                if (fire != null && fire.isAfter(after) && !fire.isAfter(windowEnd)) {
                    out.add(fire);
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out.subList(0, Math.min(FIRES, out.size()));
    }

    private static int cronWeekday(LocalDate date) {
        return date.getDayOfWeek().getValue() % 7 + 1;
    }

    private static DayOfWeek javaWeekday(int cronWeekday) {
        return cronWeekday == 1 ? DayOfWeek.SUNDAY : DayOfWeek.of(cronWeekday - 1);
    }

    private static boolean isWeekday(LocalDate date) {
        return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    // ---- the generator ----

    private static Generated generate(Random r) {
        Generated g = new Generated();
        g.text.append(list(r, 0, 59, null, 59, g.minutes, true)).append(' ');
        g.text.append(list(r, 0, 23, null, 23, g.hours, true)).append(' ');
        boolean byMonthDay = r.nextBoolean();
        String dayOfMonth = byMonthDay ? dayOfMonth(r, g) : "?";
        String month = r.nextInt(10) < 6 ? star(r, 1, 12, g.months) : list(r, 1, 12, MONTHS, 12, g.months, true);
        String dayOfWeek = byMonthDay ? "?" : dayOfWeek(r, g);
        g.text.append(dayOfMonth).append(' ').append(month).append(' ').append(dayOfWeek).append(' ');
        g.text.append(year(r, g)).append(')');
        return g;
    }

    private static String star(Random r, int min, int max, boolean[] into) {
        for (int v = min; v <= max; v++) {
            into[v] = true;
        }
        return "*";
    }

    private static String dayOfMonth(Random r, Generated g) {
        switch (r.nextInt(10)) {
            case 0: {
                int offset = r.nextInt(4) == 0 ? 1 + r.nextInt(30) : 0;
                g.day = d -> d.getDayOfMonth() == d.lengthOfMonth() - offset;
                return caseOf(r, "L") + (offset > 0 ? "-" + offset : "");
            }
            case 1:
                g.day = d -> {
                    LocalDate lastWeekday = d.with(TemporalAdjusters.lastDayOfMonth());
                    while (!isWeekday(lastWeekday)) {
                        lastWeekday = lastWeekday.minusDays(1);
                    }
                    return d.equals(lastWeekday);
                };
                return caseOf(r, "LW");
            case 2:
            case 3: {
                int target = r.nextInt(4) == 0 ? 28 + r.nextInt(4) : 1 + r.nextInt(31);
                g.day = d -> {
                    if (target > d.lengthOfMonth()) {
                        return false;
                    }
                    // The Monday-to-Friday day of the same month closest to the target.
                    LocalDate best = null;
                    for (LocalDate c = d.withDayOfMonth(1); c.getMonth() == d.getMonth(); c = c.plusDays(1)) {
                        if (isWeekday(c) && (best == null
                                || Math.abs(c.getDayOfMonth() - target) < Math.abs(best.getDayOfMonth() - target))) {
                            best = c;
                        }
                    }
                    return d.equals(best);
                };
                return target + caseOf(r, "W");
            }
            default: {
                boolean[] days = new boolean[32];
                String text = list(r, 1, 31, null, 31, days, true);
                g.day = d -> days[d.getDayOfMonth()];
                return text;
            }
        }
    }

    private static String dayOfWeek(Random r, Generated g) {
        switch (r.nextInt(10)) {
            case 0:
            case 1: {
                int dow = 1 + r.nextInt(7);
                g.day = d -> d.equals(d.with(TemporalAdjusters.lastInMonth(javaWeekday(dow))));
                return value(r, dow, 1, WEEKDAYS) + caseOf(r, "L");
            }
            case 2:
            case 3: {
                int dow = 1 + r.nextInt(7);
                int nth = 1 + r.nextInt(5);
                g.day = d -> d.equals(d.with(TemporalAdjusters.dayOfWeekInMonth(nth, javaWeekday(dow))));
                return value(r, dow, 1, WEEKDAYS) + "#" + nth;
            }
            case 4:
                g.day = d -> d.getDayOfWeek() == DayOfWeek.SATURDAY;
                return caseOf(r, "L");
            default: {
                boolean[] weekdays = new boolean[8];
                String text = list(r, 1, 7, WEEKDAYS, 7, weekdays, true);
                g.day = d -> weekdays[cronWeekday(d)];
                return text;
            }
        }
    }

    private static String year(Random r, Generated g) {
        if (r.nextInt(10) < 6) {
            return star(r, 1970, 2199, g.years);
        }
        // Mostly years around the window (2024-2033), sometimes far ones, which must simply never fire in it.
        return r.nextInt(8) == 0 ? list(r, 1970, 2199, null, 229, g.years, false)
                : listWithin(r, 2023 + r.nextInt(3), 2033, g.years);
    }

    private static String listWithin(Random r, int from, int to, boolean[] years) {
        StringBuilder text = new StringBuilder();
        int terms = 1 + r.nextInt(2);
        for (int t = 0; t < terms; t++) {
            int a = from + r.nextInt(to - from + 1);
            int b = a + r.nextInt(to - a + 1);
            int step = 1 + r.nextInt(3);
            if (t > 0) {
                text.append(',');
            }
            if (r.nextBoolean()) {
                text.append(a);
                years[a] = true;
            } else {
                text.append(a).append('-').append(b).append('/').append(step);
                for (int y = a; y <= b; y += step) {
                    years[y] = true;
                }
            }
        }
        return text.toString();
    }

    /**
     * A list field of 1-3 terms ({@code *}, {@code * /s}, {@code v}, {@code v/s}, {@code a-b}, {@code a-b/s}, with
     * wrap-around ranges when allowed); marks the values it means in {@code into}. A wrap-around range is the
     * sequence a..max, min..b, and a step takes every s-th element of the sequence.
     */
    private static String list(Random r, int min, int max, String[] names, int maxStep, boolean[] into,
                               boolean wrap) {
        if (r.nextInt(6) == 0) {
            if (r.nextBoolean()) {
                return star(r, min, max, into);
            }
            int step = step(r, maxStep);
            for (int v = min; v <= max; v += step) {
                into[v] = true;
            }
            return "*/" + step;
        }
        StringBuilder text = new StringBuilder();
        int terms = 1 + (r.nextInt(3) == 0 ? r.nextInt(3) : 0);
        for (int t = 0; t < terms; t++) {
            if (t > 0) {
                text.append(',');
            }
            int a = min + r.nextInt(max - min + 1);
            int kind = r.nextInt(4);
            if (kind == 0) {
                text.append(value(r, a, min, names));
                into[a] = true;
                continue;
            }
            List<Integer> sequence = new ArrayList<>();
            if (kind == 1) {
                text.append(value(r, a, min, names));
                for (int v = a; v <= max; v++) {
                    sequence.add(v);
                }
            } else {
                int b = min + r.nextInt(max - min + 1);
                if (b < a && !wrap) {
                    int swap = a;
                    a = b;
                    b = swap;
                }
                text.append(value(r, a, min, names)).append('-').append(value(r, b, min, names));
                if (a <= b) {
                    for (int v = a; v <= b; v++) {
                        sequence.add(v);
                    }
                } else {
                    for (int v = a; v <= max; v++) {
                        sequence.add(v);
                    }
                    for (int v = min; v <= b; v++) {
                        sequence.add(v);
                    }
                }
            }
            int step = kind == 1 || kind == 3 ? step(r, maxStep) : 1;
            if (kind == 1 || kind == 3) {
                text.append('/').append(step);
            }
            for (int i = 0; i < sequence.size(); i += step) {
                into[sequence.get(i)] = true;
            }
        }
        return text.toString();
    }

    private static int step(Random r, int maxStep) {
        return 1 + (r.nextInt(5) == 0 ? r.nextInt(maxStep) : r.nextInt(Math.min(maxStep, 12)));
    }

    /** A number, or for named fields sometimes the name in a random mix of cases. */
    private static String value(Random r, int v, int min, String[] names) {
        return names != null && r.nextBoolean() ? caseOf(r, names[v - min]) : Integer.toString(v);
    }

    private static String caseOf(Random r, String s) {
        switch (r.nextInt(4)) {
            case 0:
                return s.toLowerCase(Locale.ROOT);
            case 1: {
                StringBuilder mixed = new StringBuilder();
                for (char c : s.toCharArray()) {
                    mixed.append(r.nextBoolean() ? Character.toLowerCase(c) : c);
                }
                return mixed.toString();
            }
            default:
                return s;
        }
    }

    /**
     * Half the time a uniform instant in 2024-2030 (with seconds and nanoseconds), half the time a whole minute
     * within 36 hours of one of the zone's DST transitions (before it, or after it: in the second pass of an
     * overlap), where the interesting cases are.
     */
    private static Instant pickAfter(Random r, ZoneId zone) {
        long from = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
        Instant uniform = Instant.ofEpochSecond(from + (long) (r.nextDouble() * (to - from)),
                r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
        if (r.nextBoolean()) {
            ZoneOffsetTransition transition = zone.getRules().nextTransition(uniform);
            if (transition != null && transition.getInstant().getEpochSecond() < to) {
                return transition.getInstant().plusSeconds(60L * (r.nextInt(72 * 60) - 36 * 60));
            }
        }
        return uniform;
    }
}
