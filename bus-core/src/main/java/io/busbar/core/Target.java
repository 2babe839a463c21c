package io.busbar.core;

import java.util.Map;
import java.util.Objects;

/**
 * A rule's target as PutTargets takes it (spec 5.1). Validated on construction; {@link #input()} is the payload
 * choice (the whole event, a constant {@code Input}, an {@code InputPath} or an {@code InputTransformer}), which
 * EventBridge makes mutually exclusive.
 *
 * @param id               1–64 characters {@code [.\-_A-Za-z0-9]+}, unique within the rule
 * @param arn              the target's ARN, resolved through the target registry
 * @param roleArn          accepted and kept; Busbar assumes no roles
 * @param input            what the target receives
 * @param retryPolicy      retries of failed deliveries (EventBridge's defaults when not given)
 * @param deadLetterConfig where deliveries that failed for good go, or {@code null}
 * @param parameters       target-family parameters as JSON text, keyed by the API member name
 *                         ({@code HttpParameters}, {@code SqsParameters}, {@code KinesisParameters}, ...)
 */
public record Target(String id, String arn, String roleArn, TargetInput input, RetryPolicy retryPolicy,
                     DeadLetterConfig deadLetterConfig, Map<String, String> parameters) {
    public Target {
        Names.check("target.id", id, Names.NAME, 1, 64);
        Names.check("target.arn", arn, null, 1, 1600);
        Names.optional("target.roleArn", roleArn, 1600);
        input = Objects.requireNonNullElse(input, TargetInput.entireEvent());
        retryPolicy = Objects.requireNonNullElse(retryPolicy, RetryPolicy.DEFAULT);
        parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    }

    /** A target that receives the whole event, with default retries and no dead-letter queue. */
    public static Target of(String id, String arn) {
        return new Target(id, arn, null, null, null, null, null);
    }
}
