/**
 * Kafka topics as targets: {@link io.busbar.targets.kafka.KafkaTargetProvider} answers for Busbar's
 * {@code arn:busbar:kafka:<region>:<account>:<topic>} and for Amazon MSK topic and cluster ARNs, and writes each
 * delivery as a record through an idempotent producer ({@code acks=all}), with the key from
 * {@code KafkaParameters} (a static {@code Key}, or a {@code KeyPath} into the original event). Sends never block
 * the bus's delivery threads; the producer's callback completes each delivery.
 *
 * <p>Everything but the provider is package-private.
 */
package io.busbar.targets.kafka;
