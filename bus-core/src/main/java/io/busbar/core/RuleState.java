package io.busbar.core;

/**
 * A rule's state. Busbar has no CloudTrail management events, so the two enabled states behave alike (spec 4.1).
 */
public enum RuleState {
    ENABLED,
    DISABLED,
    ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS;

    public boolean enabled() {
        return this != DISABLED;
    }

    /** Parses the API's spelling; {@code null} means ENABLED, EventBridge's default. */
    public static RuleState parse(String value) {
        if (value == null) {
            return ENABLED;
        }
        for (RuleState s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        throw BusbarException.constraint("state", value,
                "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
    }
}
