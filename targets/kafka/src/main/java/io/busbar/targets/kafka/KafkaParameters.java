package io.busbar.targets.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;

/**
 * A target's {@code KafkaParameters}: {@code {"Topic": "...", "Key": "..."}} or
 * {@code {"Topic": "...", "KeyPath": "$.detail.id"}}, every member optional, {@code Key} and {@code KeyPath}
 * exclusive.
 *
 * @param topic   the topic, or {@code null} (then the ARN names it)
 * @param key     a key for every record, or {@code null}
 * @param keyPath where in the original event the key is, or {@code null}
 */
record KafkaParameters(String topic, String key, KeyPath keyPath) {
    static final String MEMBER = "KafkaParameters";
    static final KafkaParameters NONE = new KafkaParameters(null, null, null);
    private static final Set<String> MEMBERS = Set.of("Topic", "Key", "KeyPath");
    private static final String SHAPE = "{\"Topic\": \"...\", \"Key\": \"...\" or \"KeyPath\": \"$.detail.id\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses the member's JSON text; {@code null} means the target has none.
     *
     * @throws IllegalArgumentException naming the member and field
     */
    static KafkaParameters parse(String json) {
        if (json == null) {
            return NONE;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(MEMBER + ": not JSON (expected: " + SHAPE + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(MEMBER + ": " + json + " (expected: " + SHAPE + ")");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException(MEMBER + "." + name
                        + ": unknown member (expected: Topic, Key or KeyPath)");
            }
        }
        String topic = text(node, "Topic");
        if (topic != null) {
            KafkaArn.checkTopic(MEMBER + ".Topic", topic, topic);
        }
        String key = text(node, "Key");
        String path = text(node, "KeyPath");
        if (key != null && path != null) {
            throw new IllegalArgumentException(MEMBER + ".KeyPath: " + path + " (expected: Key or KeyPath, not both)");
        }
        return new KafkaParameters(topic, key, path == null ? null : KeyPath.parse(MEMBER + ".KeyPath", path));
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(MEMBER + "." + name + ": " + v + " (expected: a string)");
        }
        return v.textValue();
    }
}
