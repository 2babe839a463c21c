package io.busbar.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * A parsed {@code cron(minutes hours day-of-month month day-of-week year)} expression and its next-fire-time search.
 *
 * <p>Implementation notes. Each field is a bitset: minutes in a {@code long} (bits 0-59), hours in an {@code int}
 * (0-23), months in an {@code int} (1-12), years in four {@code long}s (bit i = year 1970 + i); the two day fields
 * become one {@link DayRule} that yields the bitmask of matching days of a given month. {@link #nextLocal} walks
 * the fields from the most significant down, the way an odometer is read: find the next allowed year at or after the
 * cursor, then the next allowed month in it, the next matching day, hour and minute, each with one bit scan; whenever
 * a field has no value left, carry into the next unit of the field above and reset everything below to its minimum.
 * Every round either returns or carries, a month without a matching day and a year without an allowed month are
 * passed in one round each, and hours and minutes always have a value from 0 up, so after the first (partial) day
 * the search returns within the first matching day it reaches. The cost is therefore bounded by the number of months
 * passed over, at most 230 x 12 up to 2199: an expression that can never fire again ({@code cron(0 0 31 2 ? *)})
 * answers "none" after at most 230 February probes, and {@code cron(0 0 ? * 6L 2199)} jumps to 2199 at once.
 *
 * <p>The search runs on wall-clock time in the expression's zone; {@link #nextAfter} maps the local result to an
 * instant with the DST rules of EventBridge Scheduler (spec 7.2): a local time inside a spring-forward gap does not
 * exist and is skipped, a local time inside a fall-back overlap fires once, at its first occurrence (the earlier
 * offset). With that rule the map from firing local times to instants is strictly increasing, which is what lets the
 * search start from the wall-clock time of {@code after}, except when {@code after} lies in the second pass of an
 * overlap: then every repeated local time already fired, and the search starts where the overlap ends.
 *
 * <p>Immutable and thread-safe; {@code nextAfter} allocates only its result (and, in zones with transitions, what
 * {@link ZoneRules} allocates).
 */
final class Cron {
    static final int MIN_YEAR = 1970;
    static final int MAX_YEAR = 2199;

    // Instants outside which no cron fires in any zone (zone offsets stay within +-18 hours): searches clamp to them.
    private static final Instant SEARCH_FLOOR =
            LocalDateTime.of(MIN_YEAR, 1, 1, 0, 0).toInstant(ZoneOffset.ofHours(18));
    private static final Instant SEARCH_CEILING =
            LocalDateTime.of(MAX_YEAR + 1, 1, 1, 0, 0).toInstant(ZoneOffset.ofHours(-18));

    private final long minutes;
    private final int hours;
    private final int months;
    private final long[] years;
    private final DayRule days;

    Cron(long minutes, int hours, DayRule days, int months, long[] years) {
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.years = years.clone();
    }

    DayRule days() {
        return days;
    }

    /** The first fire time strictly after {@code after} in the zone with these rules, or {@code null}. */
    Instant nextAfter(Instant after, ZoneRules rules) {
        if (!after.isBefore(SEARCH_CEILING)) {
            return null;
        }
        if (after.isBefore(SEARCH_FLOOR)) {
            after = SEARCH_FLOOR.minusSeconds(1);
        }
        ZoneOffset offsetAtAfter = rules.getOffset(after);
        LocalDateTime wallClock = LocalDateTime.ofEpochSecond(after.getEpochSecond(), 0, offsetAtAfter);
        // Fire times are whole minutes, and 'after' itself is excluded: the first candidate is the next whole minute.
        LocalDateTime from = wallClock.withSecond(0).plusMinutes(1);
        if (!rules.isFixedOffset()) {
            ZoneOffsetTransition transition = rules.getTransition(wallClock);
            if (transition != null && transition.isOverlap() && offsetAtAfter.equals(transition.getOffsetAfter())) {
                // 'after' is in the second pass of a fall-back overlap: the repeated local times fired in the first
                // pass, so start where the overlap ends (the check in the loop below would get there too, but one
                // candidate at a time).
                from = transition.getDateTimeBefore();
            }
        }
        while (true) {
            LocalDateTime local = nextLocal(from);
            if (local == null) {
                return null;
            }
            ZoneOffset offset;
            if (rules.isFixedOffset()) {
                offset = rules.getOffset(after);
            } else {
                ZoneOffsetTransition transition = rules.getTransition(local);
                if (transition == null) {
                    offset = rules.getOffset(local);
                } else if (transition.isGap()) {
                    // Spring forward: this wall-clock time never happens that day, so it does not fire (spec 7.2).
                    from = transition.getDateTimeAfter();
                    continue;
                } else {
                    offset = transition.getOffsetBefore();
                }
            }
            Instant fire = local.toInstant(offset);
            if (fire.isAfter(after)) {
                return fire;
            }
            // Unreachable by the reasoning in the class notes; kept so that a mistake there costs one more round
            // instead of a fire time at or before 'after'.
            from = local.plusMinutes(1);
        }
    }

    /** The first local date-time at or after {@code from} (seconds ignored) that matches every field, or null. */
    LocalDateTime nextLocal(LocalDateTime from) {
        int year = from.getYear();
        int month = from.getMonthValue();
        int day = from.getDayOfMonth();
        int hour = from.getHour();
        int minute = from.getMinute();
        if (year < MIN_YEAR) {
            year = MIN_YEAR;
            month = 1;
            day = 1;
            hour = 0;
            minute = 0;
        }
        while (true) {
            int y = nextYear(year);
            if (y < 0) {
                return null;
            }
            if (y != year) {
                year = y;
                month = 1;
                day = 1;
                hour = 0;
                minute = 0;
            }
            int m = nextBit(months, month);
            if (m < 0) {
                year++;
                month = 1;
                day = 1;
                hour = 0;
                minute = 0;
                continue;
            }
            if (m != month) {
                month = m;
                day = 1;
                hour = 0;
                minute = 0;
            }
            int d = nextBit(days.days(lengthOfMonth(year, month), firstWeekday(year, month)), day);
            if (d < 0) {
                if (++month > 12) {
                    year++;
                    month = 1;
                }
                day = 1;
                hour = 0;
                minute = 0;
                continue;
            }
            if (d != day) {
                day = d;
                hour = 0;
                minute = 0;
            }
            int h = nextBit(hours, hour);
            if (h < 0) {
                // Day 32 matches no mask, so the next round carries into the month.
                day++;
                hour = 0;
                minute = 0;
                continue;
            }
            if (h != hour) {
                hour = h;
                minute = 0;
            }
            int min = nextBit(minutes, minute);
            if (min < 0) {
                // Hour 24 matches no mask, so the next round carries into the day.
                hour++;
                minute = 0;
                continue;
            }
            return LocalDateTime.of(year, month, day, hour, min);
        }
    }

    private int nextYear(int year) {
        if (year > MAX_YEAR) {
            return -1;
        }
        int index = year - MIN_YEAR;
        int word = index >>> 6;
        long bits = years[word] & (-1L << (index & 63));
        while (true) {
            if (bits != 0) {
                return MIN_YEAR + (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            if (++word == years.length) {
                return -1;
            }
            bits = years[word];
        }
    }

    /** The lowest set bit at or above {@code from}, or -1. */
    static int nextBit(int mask, int from) {
        if (from > 31) {
            return -1;
        }
        int bits = mask & (-1 << from);
        return bits == 0 ? -1 : Integer.numberOfTrailingZeros(bits);
    }

    /** The lowest set bit at or above {@code from}, or -1. */
    static int nextBit(long mask, int from) {
        if (from > 63) {
            return -1;
        }
        long bits = mask & (-1L << from);
        return bits == 0 ? -1 : Long.numberOfTrailingZeros(bits);
    }

    static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int lengthOfMonth(int year, int month) {
        switch (month) {
            case 2:
                return isLeap(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Cron weekday (1 = Sunday ... 7 = Saturday) of the first day of the month, without allocating a LocalDate. */
    static int firstWeekday(int year, int month) {
        // Days since 1970-01-01 (H. Hinnant's days_from_civil), which was a Thursday (cron weekday 5).
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long epochDay = era * 146097L + dayOfEra - 719468;
        return (int) Math.floorMod(epochDay + 4, 7L) + 1;
    }
}
