/**
 * SQS queues as targets: {@link io.busbar.targets.sqs.SqsTargetProvider} answers for
 * {@code arn:aws:sqs:<region>:<account>:<queue>} when an SQS endpoint is configured and sends each delivery as a
 * message through the AWS SDK's asynchronous client: standard and FIFO queues ({@code SqsParameters.MessageGroupId}),
 * message attributes (so a dead-letter queue receives EventBridge's {@code ERROR_CODE} and the rest), and batching
 * of deliveries that are ready together. Queues registered in the bus itself are served by the bus's built-in
 * provider, which is asked first.
 *
 * <p>Everything but the provider is package-private.
 */
package io.busbar.targets.sqs;
