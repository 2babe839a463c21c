package io.busbar.targets.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;

/**
 * A target's {@code SqsParameters} (spec 5.1): {@code {"MessageGroupId": "..."}}, for FIFO queues.
 *
 * @param messageGroupId the FIFO message group, or {@code null} when not given
 */
record SqsParameters(String messageGroupId) {
    static final String MEMBER = "SqsParameters";
    static final SqsParameters NONE = new SqsParameters(null);
    /** EventBridge's limit for the member (SQS itself allows 128). */
    static final int MAX_GROUP_ID_LENGTH = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses the member's JSON text; {@code null} means the target has none.
     *
     * @throws IllegalArgumentException naming the member and field
     */
    static SqsParameters parse(String json) {
        if (json == null) {
            return NONE;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(MEMBER + ": not JSON (expected: {\"MessageGroupId\": \"...\"})");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(MEMBER + ": " + json + " (expected: {\"MessageGroupId\": \"...\"})");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("MessageGroupId")) {
                throw new IllegalArgumentException(MEMBER + "." + name + ": unknown member (expected: MessageGroupId)");
            }
        }
        JsonNode group = node.get("MessageGroupId");
        if (group == null || group.isNull()) {
            return NONE;
        }
        String expected = " (expected: 1 to " + MAX_GROUP_ID_LENGTH + " characters, letters, digits and punctuation)";
        if (!group.isTextual()) {
            throw new IllegalArgumentException(MEMBER + ".MessageGroupId: " + group + expected);
        }
        String value = group.textValue();
        if (value.isEmpty() || value.length() > MAX_GROUP_ID_LENGTH
                || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new IllegalArgumentException(MEMBER + ".MessageGroupId: " + value + expected);
        }
        return new SqsParameters(value);
    }
}
