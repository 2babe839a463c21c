package io.busbar.core;

import java.util.Map;

/**
 * What PutTargets refuses about a target's kind, before any provider sees it: a parameter block for another kind of
 * target, a FIFO queue without its message group, a dead-letter queue that EventBridge could not use. Each would
 * otherwise be accepted and then fail, or be ignored, at every delivery.
 */
final class TargetChecks {
    /**
     * The services whose targets take each parameter block (the {@code Target} members of the EventBridge model).
     * Blocks not named here are not checked.
     */
    private static final Map<String, java.util.Set<String>> SERVICES_BY_BLOCK = Map.of(
            "SqsParameters", java.util.Set.of("sqs"),
            "KinesisParameters", java.util.Set.of("kinesis"),
            "EcsParameters", java.util.Set.of("ecs"),
            "BatchParameters", java.util.Set.of("batch"),
            "RedshiftDataParameters", java.util.Set.of("redshift", "redshift-serverless"),
            "SageMakerPipelineParameters", java.util.Set.of("sagemaker"),
            "RunCommandParameters", java.util.Set.of("ssm", "ec2"),
            "AppSyncParameters", java.util.Set.of("appsync"));

    private TargetChecks() {
    }

    /** Why the target cannot be put on a bus in {@code region}, in EventBridge's words where known; or null. */
    static String invalid(Target t, String region) {
        String service = service(t.arn());
        for (String block : t.parameters().keySet()) {
            if (block.equals("HttpParameters")) {
                // API destinations and API Gateway stages take HTTP parameters; nothing else does (spec 5.1).
                if (!(t.arn().contains(":api-destination/") || "execute-api".equals(service))) {
                    return notValid(block, t.id());
                }
            } else {
                java.util.Set<String> services = SERVICES_BY_BLOCK.get(block);
                if (services != null && !services.contains(service)) {
                    return notValid(block, t.id());
                }
            }
        }
        if ("sqs".equals(service) && t.arn().endsWith(".fifo") && !t.parameters().containsKey("SqsParameters")) {
            // AWS's own message for a FIFO queue target without its MessageGroupId
            return "Parameter(s) SqsParameters must be specified for target: " + t.id() + ".";
        }
        DeadLetterConfig dlq = t.deadLetterConfig();
        if (dlq != null) {
            String[] parts = dlq.arn().split(":", 6);
            if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs") || parts[5].isEmpty()) {
                return "Target " + t.id() + " is not valid: DeadLetterConfig.Arn " + dlq.arn()
                        + " is not the ARN of an SQS queue (a dead-letter queue is a standard SQS queue)";
            }
            if (parts[5].endsWith(".fifo")) {
                return "Target " + t.id() + " is not valid: DeadLetterConfig.Arn " + dlq.arn()
                        + " is a FIFO queue (a dead-letter queue is a standard SQS queue)";
            }
            if (!parts[3].equals(region)) {
                return "Target " + t.id() + " is not valid: DeadLetterConfig.Arn " + dlq.arn() + " is in region "
                        + parts[3] + " (a dead-letter queue is in the rule's region, " + region + ")";
            }
        }
        return null;
    }

    /** The service of an ARN ({@code sqs} in {@code arn:aws:sqs:...}), or "" when it is not an ARN. */
    private static String service(String arn) {
        String[] parts = arn.split(":", 4);
        return parts.length >= 3 && parts[0].equals("arn") ? parts[2] : "";
    }

    /** Modelled on AWS's "Parameter(s) X must be specified for target: T." for the opposite mistake. */
    private static String notValid(String block, String targetId) {
        return "Parameter(s) " + block + " not valid for target: " + targetId + ".";
    }
}
