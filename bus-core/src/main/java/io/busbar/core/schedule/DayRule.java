package io.busbar.core.schedule;

/**
 * Which days of a month a cron expression fires on: the day-of-month field or the day-of-week field, whichever is
 * not {@code ?}. Each rule turns the shape of one month (its length and the weekday of its first day) into a
 * bitmask of days, bit {@code d} set for day {@code d}, so that the search in {@link Cron} finds the next matching
 * day with one {@code numberOfTrailingZeros} instead of testing days one by one.
 *
 * <p>Weekdays are numbered as cron numbers them: 1 = Sunday ... 7 = Saturday.
 */
sealed interface DayRule {

    /** The days of a month with {@code length} days whose first day is weekday {@code firstDow} that match. */
    int days(int length, int firstDow);

    /** Bits 1..length. */
    static int monthMask(int length) {
        return (int) ((1L << (length + 1)) - 2);
    }

    /** The weekday (1 = Sunday) of day {@code day} in a month whose first day is {@code firstDow}. */
    static int weekday(int day, int firstDow) {
        return (firstDow - 1 + day - 1) % 7 + 1;
    }

    /** The first day of the month that falls on weekday {@code dow}. */
    static int firstOnWeekday(int dow, int firstDow) {
        return 1 + Math.floorMod(dow - firstDow, 7);
    }

    /**
     * The weekday (Monday to Friday) nearest to {@code day}, never leaving the month (Quartz semantics, which the
     * conformance rows for {@code 1W} and {@code LW} follow): a Saturday moves back to Friday unless it is the 1st,
     * then forward to Monday the 3rd; a Sunday moves forward to Monday unless it is the last day, then back to Friday.
     */
    static int nearestWeekday(int day, int length, int firstDow) {
        int dow = weekday(day, firstDow);
        if (dow == 7) {
            return day == 1 ? 3 : day - 1;
        }
        if (dow == 1) {
            return day == length ? day - 2 : day + 1;
        }
        return day;
    }

    /** A plain day-of-month set ({@code 1,15}, {@code 10-20}, {@code 1/5}, {@code *}); days beyond the month drop. */
    record DaysOfMonth(int mask) implements DayRule {
        @Override
        public int days(int length, int firstDow) {
            return mask & monthMask(length);
        }
    }

    /**
     * {@code L} (offset 0) or {@code L-n}: the last day of the month, or n days before it. A month shorter than the
     * offset has no such day.
     */
    record LastDayOfMonth(int offset) implements DayRule {
        @Override
        public int days(int length, int firstDow) {
            int day = length - offset;
            return day >= 1 ? 1 << day : 0;
        }
    }

    /** {@code LW}: the last weekday (Monday to Friday) of the month. */
    record LastWeekdayOfMonth() implements DayRule {
        @Override
        public int days(int length, int firstDow) {
            return 1 << nearestWeekday(length, length, firstDow);
        }
    }

    /**
     * {@code nW}: the weekday nearest to day n. A month without day n (31W in April) does not fire, as a plain
     * {@code 31} would not.
     */
    record NearestWeekday(int day) implements DayRule {
        @Override
        public int days(int length, int firstDow) {
            return day <= length ? 1 << nearestWeekday(day, length, firstDow) : 0;
        }
    }

    /**
     * A plain day-of-week set ({@code MON-FRI}, {@code 1,7}, {@code *}), stored as the day mask of a 31-day month
     * for each of the seven possible first weekdays, so a month costs one lookup and one AND.
     */
    record DaysOfWeek(int weekdays, int[] maskByFirstDow) implements DayRule {
        static DaysOfWeek of(int weekdays) {
            int[] masks = new int[8];
            for (int firstDow = 1; firstDow <= 7; firstDow++) {
                int mask = 0;
                for (int day = 1; day <= 31; day++) {
                    if ((weekdays & (1 << weekday(day, firstDow))) != 0) {
                        mask |= 1 << day;
                    }
                }
                masks[firstDow] = mask;
            }
            return new DaysOfWeek(weekdays, masks);
        }

        @Override
        public int days(int length, int firstDow) {
            return maskByFirstDow[firstDow] & monthMask(length);
        }

        // The array is derived from weekdays and never mutated; equality is the weekday set's.
        @Override
        public boolean equals(Object o) {
            return o instanceof DaysOfWeek other && other.weekdays == weekdays;
        }

        @Override
        public int hashCode() {
            return Integer.hashCode(weekdays);
        }

        @Override
        public String toString() {
            return "DaysOfWeek[" + Integer.toBinaryString(weekdays) + "]";
        }
    }

    /** {@code nL}: the last weekday n of the month ({@code 6L} = last Friday). */
    record LastDayOfWeek(int dow) implements DayRule {
        @Override
        public int days(int length, int firstDow) {
            int first = firstOnWeekday(dow, firstDow);
            return 1 << (first + (length - first) / 7 * 7);
        }
    }

    /** {@code d#n}: the n-th weekday d of the month ({@code 3#2} = second Tuesday); months without one skip. */
    record NthDayOfWeek(int dow, int nth) implements DayRule {
        @Override
        public int days(int length, int firstDow) {
            int day = firstOnWeekday(dow, firstDow) + 7 * (nth - 1);
            return day <= length ? 1 << day : 0;
        }
    }
}
