package io.busbar.targets.sqs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One message as SQS will store it, built from a delivery.
 *
 * @param body              the message body (the delivery's payload)
 * @param attributes        String message attributes; empty values are left out, since SQS refuses them
 * @param messageGroupId    the FIFO group, or {@code null} for standard queues
 * @param deduplicationId   the FIFO deduplication id, or {@code null} (standard queue, or content-based)
 * @param size              bytes counted against SQS's request-size limit (body, attribute names, types, values)
 */
record OutgoingMessage(String body, Map<String, String> attributes, String messageGroupId, String deduplicationId,
                       int size) {
    private static final String STRING = "String";

    static OutgoingMessage of(String body, Map<String, String> attributes, String messageGroupId,
                              String deduplicationId) {
        Map<String, String> kept = new LinkedHashMap<>();
        int size = utf8(body);
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (a.getValue() != null && !a.getValue().isEmpty()) {
                kept.put(a.getKey(), a.getValue());
                size += utf8(a.getKey()) + STRING.length() + utf8(a.getValue());
            }
        }
        return new OutgoingMessage(body, Map.copyOf(kept), messageGroupId, deduplicationId, size);
    }

    Map<String, MessageAttributeValue> sdkAttributes() {
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, MessageAttributeValue.builder().dataType(STRING).stringValue(v)
                .build()));
        return out;
    }

    private static int utf8(String s) {
        // Exact and allocation-free would be nicer; messages are small and this runs once per delivery.
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
