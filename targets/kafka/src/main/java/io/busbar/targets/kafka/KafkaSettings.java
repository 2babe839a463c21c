package io.busbar.targets.kafka;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The provider's configuration from the bus's target properties, validated once; a bad value is rejected with the
 * property named. Equal settings share one producer ({@link KafkaProducers}).
 *
 * @param bootstrap the brokers, {@code host:port[,host:port]}, as given (trimmed)
 * @param overrides producer settings from {@code busbar.kafka.producer.*}, by Kafka name
 */
record KafkaSettings(String bootstrap, Map<String, String> overrides) {
    /** {@code host:port}, the host a name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:,\\[\\]/]+):([0-9]{1,5})");
    /** What makes the producer idempotent and the records bytes; not the user's to change. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the property when the bootstrap list is missing or malformed, or an
     *                                  override is unknown or fixed
     */
    static KafkaSettings from(Map<String, String> properties) {
        String bootstrap = properties.get(KafkaTargetProvider.BOOTSTRAP_PROPERTY);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(KafkaTargetProvider.BOOTSTRAP_PROPERTY
                    + ": missing (expected: host:port[,host:port])");
        }
        for (String server : bootstrap.split(",", -1)) {
            var m = SERVER.matcher(server.trim());
            int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(KafkaTargetProvider.BOOTSTRAP_PROPERTY + ": " + bootstrap
                        + " (expected: host:port[,host:port])");
            }
        }
        Map<String, String> overrides = new TreeMap<>();
        for (Map.Entry<String, String> p : properties.entrySet()) {
            if (!p.getKey().startsWith(KafkaTargetProvider.PRODUCER_PREFIX)) {
                continue;
            }
            String name = p.getKey().substring(KafkaTargetProvider.PRODUCER_PREFIX.length());
            if (FIXED.contains(name)) {
                throw new IllegalArgumentException(p.getKey() + ": " + p.getValue() + " (expected: not set; Busbar "
                        + "always uses acks=all, enable.idempotence=true, byte-array serializers, no transactions, "
                        + "and " + KafkaTargetProvider.BOOTSTRAP_PROPERTY + " for the brokers)");
            }
            if (!ProducerConfig.configNames().contains(name)) {
                throw new IllegalArgumentException(p.getKey() + ": " + p.getValue()
                        + " (expected: a Kafka producer setting, such as " + KafkaTargetProvider.PRODUCER_PREFIX
                        + "linger.ms)");
            }
            overrides.put(name, p.getValue());
        }
        return new KafkaSettings(bootstrap.trim(), Map.copyOf(overrides));
    }

    /** The producer's configuration: Busbar's defaults, the overrides, then what is fixed. */
    Map<String, Object> producerConfig() {
        Map<String, Object> config = new TreeMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "busbar");
        // A few milliseconds of lingering lets records that arrive together share a batch.
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // send() waits this long for a topic's metadata (on the send thread, never the bus's); then the record
        // fails, and a topic that is reported unknown is a permanent NO_RESOURCE.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        // Below the bus's 30 s delivery timeout, so the producer's verdict (and its error) arrives first.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        config.putAll(overrides);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** Overrides may hold secrets (SASL passwords): only their names are shown. */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrap=" + bootstrap + ", overrides=" + overrides.keySet() + "]";
    }
}
