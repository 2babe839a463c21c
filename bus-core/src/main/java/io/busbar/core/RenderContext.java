package io.busbar.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link TargetInput} renders from: one matched event and the rule that matched it. Immutable.
 *
 * @param eventJson the event envelope (spec 1.1) as JSON text, {@code detail} an object; passed on unchanged to a
 *     target without input configuration, parsed (once per render) when a path or variable needs it
 * @param ruleArn {@code <aws.events.rule-arn>}
 * @param ruleName {@code <aws.events.rule-name>}
 * @param ingestionTime when the bus received the event, {@code <aws.events.event.ingestion-time>}; rendered in
 *     UTC to the second, {@code 2024-05-13T12:27:07Z}
 */
public record RenderContext(String eventJson, String ruleArn, String ruleName, Instant ingestionTime) {
    /** @throws NullPointerException naming the first null member */
    public RenderContext {
        Objects.requireNonNull(eventJson, "eventJson");
        Objects.requireNonNull(ruleArn, "ruleArn");
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(ingestionTime, "ingestionTime");
    }
}
