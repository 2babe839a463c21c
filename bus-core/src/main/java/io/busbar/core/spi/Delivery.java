package io.busbar.core.spi;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt to hand an event to a target: the payload (after input transformation) and its context. Immutable.
 *
 * @param payload           the text the target receives (the event JSON unless the target transforms it)
 * @param eventJson         the original event, for parameters resolved against it (spec 5.3)
 * @param eventId           the event's id
 * @param busName           the bus the event was put on
 * @param ruleName          the rule that matched
 * @param ruleArn           the rule's ARN
 * @param targetId          the target's id within the rule
 * @param targetArn         the target's ARN
 * @param attempt           1 for the first attempt, 2 for the first retry, ...
 * @param ingestionTime     when the bus accepted the event
 * @param traceHeader       the PutEvents entry's {@code TraceHeader}, or {@code null}
 * @param messageAttributes attributes a queue target should attach (a dead-letter message's {@code ERROR_CODE},
 *                          ...); empty for ordinary deliveries
 */
public record Delivery(String payload, String eventJson, String eventId, String busName, String ruleName,
                       String ruleArn, String targetId, String targetArn, int attempt, Instant ingestionTime,
                       String traceHeader, Map<String, String> messageAttributes) {
    public Delivery {
        messageAttributes = Map.copyOf(messageAttributes);
    }

    /** The same delivery, attempted once more. */
    public Delivery nextAttempt() {
        return new Delivery(payload, eventJson, eventId, busName, ruleName, ruleArn, targetId, targetArn, attempt + 1,
                ingestionTime, traceHeader, messageAttributes);
    }
}
