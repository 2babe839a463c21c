package io.busbar.core.scheduler;

/**
 * When, after its scheduled time, a schedule invokes its target (SCHEDULER 2.6): {@code OFF} within the scheduled
 * minute, {@code FLEXIBLE} at a uniformly random instant in {@code [0, maximumWindowInMinutes)} minutes after it.
 *
 * @param mode                   {@code OFF} or {@code FLEXIBLE}
 * @param maximumWindowInMinutes 1 to 1440, required with {@code FLEXIBLE} and not allowed with {@code OFF}
 */
public record FlexibleTimeWindow(Mode mode, Integer maximumWindowInMinutes) {
    /** The two modes. */
    public enum Mode {
        OFF,
        FLEXIBLE
    }

    public FlexibleTimeWindow {
        Constraints.notNull("flexibleTimeWindow.mode", mode);
        if (maximumWindowInMinutes != null && (maximumWindowInMinutes < 1 || maximumWindowInMinutes > 1440)) {
            throw Constraints.violation("flexibleTimeWindow.maximumWindowInMinutes", maximumWindowInMinutes,
                    "Member must have value between 1 and 1440");
        }
        if (mode == Mode.FLEXIBLE && maximumWindowInMinutes == null) {
            throw Constraints.invalid("MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.");
        }
        if (mode == Mode.OFF && maximumWindowInMinutes != null) {
            throw Constraints.invalid("MaximumWindowInMinutes must not be set when FlexibleTimeWindow Mode is OFF.");
        }
    }

    /** Invoke within the scheduled minute. */
    public static FlexibleTimeWindow off() {
        return new FlexibleTimeWindow(Mode.OFF, null);
    }

    /** Invoke at a random instant within {@code minutes} minutes after the scheduled time. */
    public static FlexibleTimeWindow flexible(int minutes) {
        return new FlexibleTimeWindow(Mode.FLEXIBLE, minutes);
    }
}
