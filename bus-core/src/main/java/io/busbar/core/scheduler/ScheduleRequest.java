package io.busbar.core.scheduler;

import io.busbar.core.schedule.InvalidScheduleExpressionException;
import io.busbar.core.schedule.ScheduleExpression;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The definition of a schedule, as CreateSchedule and UpdateSchedule take it (SCHEDULER 1.2). An update replaces
 * the whole definition: members left {@code null} take their defaults. Validated on construction against the model
 * and SCHEDULER 2: name patterns, the expression in its zone, IANA zone names, {@code EndDate} after
 * {@code StartDate}, and the flexible window.
 *
 * @param name                       1–64 characters {@code [0-9a-zA-Z-_.]}
 * @param groupName                  the group; {@code null} means {@code default}
 * @param scheduleExpression         {@code at(...)}, {@code rate(...)} or {@code cron(...)}
 * @param scheduleExpressionTimezone an IANA zone name; {@code null} means {@code UTC}
 * @param startDate                  first eligible instant (inclusive), or {@code null}; ignored by {@code at()}
 * @param endDate                    last eligible instant (inclusive), or {@code null}; ignored by {@code at()}
 * @param flexibleTimeWindow         required
 * @param state                      {@code null} means {@code ENABLED}
 * @param actionAfterCompletion      {@code null} means {@code NONE}
 * @param description                0–512 characters, or {@code null}
 * @param kmsKeyArn                  stored and echoed only, or {@code null}
 * @param target                     required
 */
public record ScheduleRequest(String name, String groupName, String scheduleExpression,
                              String scheduleExpressionTimezone, Instant startDate, Instant endDate,
                              FlexibleTimeWindow flexibleTimeWindow, ScheduleState state,
                              ActionAfterCompletion actionAfterCompletion, String description, String kmsKeyArn,
                              ScheduleTarget target) {
    /** The group every account has. */
    public static final String DEFAULT_GROUP = "default";
    private static final Pattern KMS = Pattern.compile(
            "^arn:aws(-[a-z]+)?:kms:[a-z0-9\\-]+:\\d{12}:(key|alias)\\/[0-9a-zA-Z-_]*$");

    public ScheduleRequest {
        Constraints.required("name", name, 1, 64, Constraints.NAME);
        groupName = Objects.requireNonNullElse(groupName, DEFAULT_GROUP);
        Constraints.optional("groupName", groupName, 1, 64, Constraints.NAME);
        Constraints.required("scheduleExpression", scheduleExpression, 1, 256, null);
        scheduleExpressionTimezone = Objects.requireNonNullElse(scheduleExpressionTimezone, "UTC");
        Constraints.optional("scheduleExpressionTimezone", scheduleExpressionTimezone, 1, 50, null);
        Constraints.notNull("flexibleTimeWindow", flexibleTimeWindow);
        state = Objects.requireNonNullElse(state, ScheduleState.ENABLED);
        actionAfterCompletion = Objects.requireNonNullElse(actionAfterCompletion, ActionAfterCompletion.NONE);
        Constraints.optional("description", description, 0, 512, null);
        Constraints.optional("kmsKeyArn", kmsKeyArn, 1, 2048, KMS);
        Constraints.notNull("target", target);
        if (startDate != null && endDate != null && !endDate.isAfter(startDate)) {
            throw Constraints.invalid("The EndDate you specify must be after the StartDate you specify.");
        }
        expression(scheduleExpression, zone(scheduleExpressionTimezone));
    }

    /** The parsed expression in its zone. */
    public ScheduleExpression expression() {
        return expression(scheduleExpression, zone(scheduleExpressionTimezone));
    }

    /**
     * Parses a Scheduler expression in a zone, as the API and the {@code busbar schedule} command do.
     *
     * @throws io.busbar.core.BusbarException {@code ValidationException}: {@code Parameter ScheduleExpression is not
     *                                        valid.} followed by the reason
     */
    public static ScheduleExpression expression(String expression, ZoneId zone) {
        try {
            return ScheduleExpression.parse(expression, zone);
        } catch (InvalidScheduleExpressionException e) {
            throw Constraints.invalid(e.getMessage() + " Reason: " + e.reason());
        }
    }

    /**
     * An IANA time-zone name (or {@code UTC}) as a zone; fixed offsets such as {@code +02:00} are refused.
     *
     * @throws io.busbar.core.BusbarException {@code ValidationException} naming the value
     */
    public static ZoneId zone(String name) {
        if (name != null && (name.equals("UTC") || ZoneId.getAvailableZoneIds().contains(name))) {
            return ZoneId.of(name);
        }
        throw Constraints.invalid("Invalid ScheduleExpressionTimezone: " + name
                + " (expected: an IANA time zone name such as America/New_York, or UTC)");
    }

    /** A builder with the required members; the others default. */
    public static Builder builder(String name, String scheduleExpression, FlexibleTimeWindow window,
                                  ScheduleTarget target) {
        return new Builder(name, scheduleExpression, window, target);
    }

    /** Builds a {@link ScheduleRequest}; validation happens at {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String scheduleExpression;
        private final FlexibleTimeWindow window;
        private final ScheduleTarget target;
        private String groupName;
        private String timezone;
        private Instant startDate;
        private Instant endDate;
        private ScheduleState state;
        private ActionAfterCompletion action;
        private String description;
        private String kmsKeyArn;

        private Builder(String name, String scheduleExpression, FlexibleTimeWindow window, ScheduleTarget target) {
            this.name = name;
            this.scheduleExpression = scheduleExpression;
            this.window = window;
            this.target = target;
        }

        public Builder groupName(String value) {
            this.groupName = value;
            return this;
        }

        public Builder timezone(String value) {
            this.timezone = value;
            return this;
        }

        public Builder startDate(Instant value) {
            this.startDate = value;
            return this;
        }

        public Builder endDate(Instant value) {
            this.endDate = value;
            return this;
        }

        public Builder state(ScheduleState value) {
            this.state = value;
            return this;
        }

        public Builder actionAfterCompletion(ActionAfterCompletion value) {
            this.action = value;
            return this;
        }

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public Builder kmsKeyArn(String value) {
            this.kmsKeyArn = value;
            return this;
        }

        public ScheduleRequest build() {
            return new ScheduleRequest(name, groupName, scheduleExpression, timezone, startDate, endDate, window,
                    state, action, description, kmsKeyArn, target);
        }
    }
}
