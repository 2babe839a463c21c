package io.busbar.core.scheduler;

import io.busbar.core.DeadLetterConfig;
import io.busbar.core.RetryPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A schedule's one target (SCHEDULER 3.1). The target receives {@link #input()} as it is, with the context
 * attributes ({@code <aws.scheduler.scheduled-time>}, ...) replaced, and no event envelope; an event bus target
 * receives one event whose {@code detail} is the input and whose source and detail-type come from
 * {@link #eventBridgeParameters()}.
 *
 * @param arn                   the target's ARN, 1–1600 characters
 * @param roleArn               an IAM role ARN, kept and echoed (Busbar assumes no roles)
 * @param input                 what the target receives, or {@code null} for {@code {}}; at least 1 character
 * @param retryPolicy           retries of a failed invocation; {@code null} means 185 retries within 24 hours
 * @param deadLetterConfig      a standard SQS queue for invocations that failed for good, or {@code null}
 * @param eventBridgeParameters required for an event bus target, {@code null} otherwise
 * @param parameters            other target-family parameters as JSON text keyed by their API member name
 *                              ({@code SqsParameters}, {@code KinesisParameters}, ...), passed on to the target
 */
public record ScheduleTarget(String arn, String roleArn, String input, RetryPolicy retryPolicy,
                             DeadLetterConfig deadLetterConfig, EventBridgeParameters eventBridgeParameters,
                             Map<String, String> parameters) {
    static final Pattern ROLE_ARN = Pattern.compile("^arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+$");
    static final Pattern DLQ_ARN = Pattern.compile("^arn:aws(-[a-z]+)?:sqs:[a-z0-9\\-]+:\\d{12}:[a-zA-Z0-9\\-_]+$");
    static final Pattern EVENT_BUS = Pattern.compile("arn:aws[\\w-]*:events:[^:]*:[^:]*:event-bus/.+");

    public ScheduleTarget {
        Constraints.required("target.arn", arn, 1, 1600, null);
        Constraints.required("target.roleArn", roleArn, 1, 1600, ROLE_ARN);
        Constraints.optional("target.input", input, 1, Integer.MAX_VALUE, null);
        retryPolicy = Objects.requireNonNullElse(retryPolicy, RetryPolicy.DEFAULT);
        if (deadLetterConfig != null) {
            Constraints.optional("target.deadLetterConfig.arn", deadLetterConfig.arn(), 1, 1600, DLQ_ARN);
        }
        parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
        if (isEventBus(arn) && eventBridgeParameters == null) {
            throw Constraints.invalid("EventBridgeParameters is required for an event bus target.");
        }
    }

    /** A target with default retries, no dead-letter queue and no family parameters. */
    public static ScheduleTarget of(String arn, String roleArn, String input) {
        return new ScheduleTarget(arn, roleArn, input, null, null, null, null);
    }

    static boolean isEventBus(String arn) {
        return EVENT_BUS.matcher(arn).matches();
    }
}
