package io.busbar.core;

/**
 * Where a delivery goes when it fails for good (spec 5.7): the ARN of a queue (an SQS ARN, or any target Busbar
 * can resolve). The message is the payload the target would have received, with the attributes
 * {@code RULE_ARN}, {@code TARGET_ARN}, {@code ERROR_CODE}, {@code ERROR_MESSAGE}, {@code EXHAUSTED_RETRY_CONDITION}
 * and {@code RETRY_ATTEMPTS}.
 *
 * @param arn the dead-letter queue's ARN
 */
public record DeadLetterConfig(String arn) {
    public DeadLetterConfig {
        Names.check("deadLetterConfig.arn", arn, null, 1, 1600);
    }
}
