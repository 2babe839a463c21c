package io.busbar.core;

/**
 * PutRule's members (spec 4.1). PutRule creates or replaces: members left {@code null} are cleared, not kept.
 *
 * @param name               the rule name
 * @param eventBusName       bus name or ARN; {@code null} means {@code default}
 * @param eventPattern       pattern text, or {@code null}
 * @param scheduleExpression schedule, or {@code null}
 * @param state              {@code null} means ENABLED
 * @param description        or {@code null}
 * @param roleArn            or {@code null}
 */
public record PutRuleRequest(String name, String eventBusName, String eventPattern, String scheduleExpression,
                             RuleState state, String description, String roleArn) {

    /** An enabled rule with a pattern on the default bus. */
    public static PutRuleRequest pattern(String name, String eventPattern) {
        return new PutRuleRequest(name, null, eventPattern, null, null, null, null);
    }

    public PutRuleRequest onBus(String bus) {
        return new PutRuleRequest(name, bus, eventPattern, scheduleExpression, state, description, roleArn);
    }

    public PutRuleRequest withState(RuleState newState) {
        return new PutRuleRequest(name, eventBusName, eventPattern, scheduleExpression, newState, description, roleArn);
    }
}
