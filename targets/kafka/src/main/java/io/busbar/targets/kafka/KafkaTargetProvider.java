package io.busbar.targets.kafka;

import io.busbar.core.spi.SharedClients;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.util.Optional;

/**
 * Targets for Kafka topics, written by an idempotent producer ({@code acks=all}, {@code enable.idempotence=true}).
 * Found by {@link java.util.ServiceLoader}.
 *
 * <p>Target ARNs (EventBridge has no Kafka target of its own; Busbar adds one):
 * <ul>
 *   <li>{@code arn:busbar:kafka:<region>:<account>:<topic>}, region and account optional:
 *       {@code arn:busbar:kafka:::orders} writes to topic {@code orders}. With the topic left out
 *       ({@code arn:busbar:kafka:::}) it comes from {@code KafkaParameters.Topic};</li>
 *   <li>Amazon MSK's ARNs: a topic ARN, {@code arn:aws:kafka:<region>:<account>:topic/<cluster>/<uuid>/<topic>},
 *       or a cluster ARN, {@code arn:aws:kafka:<region>:<account>:cluster/<cluster>/<uuid>} with the topic in
 *       {@code KafkaParameters.Topic}. The ARN names the topic only: the brokers are always those of
 *       {@value #BOOTSTRAP_PROPERTY} (Busbar cannot look an MSK cluster's brokers up).</li>
 * </ul>
 * A topic in both the ARN and {@code KafkaParameters.Topic} must be the same.
 *
 * <p>The target's {@code KafkaParameters} (JSON, like EventBridge's {@code KinesisParameters}):
 * {@code {"Topic": "orders", "KeyPath": "$.detail.id"}} or {@code {"Key": "static-key"}}. {@code KeyPath} is a
 * JSONPath in dot notation ({@code $.detail.id}, {@code $.resources[0]}) into the original event (not the
 * transformed payload, as EventBridge resolves its dynamic parameters); a string value is the key's text, a number
 * or boolean its JSON text, an object or array its compact JSON; a path that selects nothing, or {@code null},
 * gives no key, and the producer's partitioner spreads such records. {@code Key} and {@code KeyPath} exclude each
 * other; with neither, records have no key. The record's value is the payload (UTF-8), and a delivery's message
 * attributes (a dead letter's {@code ERROR_CODE}, ...) become record headers.
 *
 * <p>Properties (the bus builder's {@code property(name, value)}), validated when a target is created; a bad value
 * fails that target's deliveries with {@code INVALID_PARAMETER} and a message naming the property:
 * <ul>
 *   <li>{@value #BOOTSTRAP_PROPERTY} (required): {@code host:port[,host:port]};</li>
 *   <li>{@value #PRODUCER_PREFIX}{@code <name>}: any other Kafka producer setting, such as
 *       {@code busbar.kafka.producer.security.protocol} or {@code busbar.kafka.producer.linger.ms}; Busbar's
 *       defaults are {@code linger.ms=5}, {@code max.block.ms=5000}, {@code request.timeout.ms=10000},
 *       {@code delivery.timeout.ms=20000} (below the bus's 30-second delivery timeout, so that the producer's own
 *       verdict arrives first). {@code acks}, {@code enable.idempotence}, the serializers,
 *       {@code bootstrap.servers} and {@code transactional.id} cannot be set.</li>
 * </ul>
 *
 * <p>Outcomes are listed in {@link KafkaOutcomes}: retriable Kafka errors are retried by the bus (the producer has
 * already retried them, idempotently, until {@code delivery.timeout.ms}); missing permissions, a topic that does
 * not exist and was not created within {@code max.block.ms}, and records the broker can never take are permanent.
 *
 * <p>Thread-safe. Targets with the same settings share one producer, closed with the last of them.
 */
public final class KafkaTargetProvider implements TargetProvider {
    /** The brokers to bootstrap from, {@code host:port[,host:port]}; required for every Kafka target. */
    public static final String BOOTSTRAP_PROPERTY = "busbar.kafka.bootstrap";
    /** Prefix of Kafka producer settings passed through to the producer. */
    public static final String PRODUCER_PREFIX = "busbar.kafka.producer.";

    /** One producer per distinct settings, shared by their targets; the last to close closes it. */
    private final SharedClients<KafkaSettings, KafkaProducers.Shared> producers =
            new SharedClients<>(KafkaProducers::open, KafkaProducers.Shared::close);

    /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
    public KafkaTargetProvider() {
    }

    /**
     * A topic target for a Kafka ARN; empty for other ARNs.
     *
     * @throws IllegalArgumentException naming the field, when the ARN, {@code KafkaParameters} or a property is
     *                                  invalid, or {@value #BOOTSTRAP_PROPERTY} is missing
     */
    @Override
    public Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment environment) {
        if (!KafkaArn.isKafkaArn(spec.arn())) {
            return Optional.empty();
        }
        KafkaArn arn = KafkaArn.parse(spec.arn());
        KafkaParameters parameters = KafkaParameters.parse(spec.parameters().get(KafkaParameters.MEMBER));
        String topic = topic(arn, parameters);
        KafkaSettings settings = KafkaSettings.from(environment.properties());
        return Optional.of(new KafkaTarget(spec.arn(), topic, parameters, producers.acquire(settings)));
    }

    private static String topic(KafkaArn arn, KafkaParameters parameters) {
        if (arn.topic() != null && parameters.topic() != null && !arn.topic().equals(parameters.topic())) {
            throw new IllegalArgumentException(KafkaParameters.MEMBER + ".Topic: " + parameters.topic()
                    + " (expected: the topic the ARN names, " + arn.topic() + ", or no Topic)");
        }
        String topic = arn.topic() != null ? arn.topic() : parameters.topic();
        if (topic == null) {
            throw new IllegalArgumentException(KafkaParameters.MEMBER + ".Topic: missing (expected: a topic name, "
                    + "since the ARN names none)");
        }
        return topic;
    }
}
