package io.busbar.core;

/**
 * A delivery that had not finished when the bus closed: queued, in flight, or waiting for a retry.
 *
 * @param eventId  the event's id
 * @param ruleArn  the rule that matched it
 * @param targetId the target it was for
 * @param attempts attempts made so far
 */
public record UndeliveredEvent(String eventId, String ruleArn, String targetId, int attempts) {
}
