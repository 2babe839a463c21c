package io.busbar.core;

/**
 * A rule as DescribeRule shows it (spec 4). A rule has an event pattern, a schedule expression, or both.
 *
 * @param name               1–64 characters {@code [.\-_A-Za-z0-9]+}, unique per bus
 * @param eventBusName       the bus it belongs to
 * @param arn                {@code ...:rule/<name>} on the default bus, {@code ...:rule/<bus>/<name>} elsewhere
 * @param eventPattern       the pattern text, or {@code null}
 * @param scheduleExpression {@code rate(...)} or {@code cron(...)}, or {@code null}
 * @param state              enabled or disabled
 * @param description        ≤ 512 characters, or {@code null}
 * @param roleArn            kept and shown; Busbar assumes no roles
 */
public record Rule(String name, String eventBusName, String arn, String eventPattern, String scheduleExpression,
                   RuleState state, String description, String roleArn) {
}
