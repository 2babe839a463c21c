package io.busbar.core;

import java.util.List;

/**
 * The answer to PutTargets and RemoveTargets: the entries that failed, each with its target id and error.
 *
 * @param failedEntryCount how many failed
 * @param failedEntries    the failures
 */
public record PutTargetsResult(int failedEntryCount, List<Failure> failedEntries) {
    public PutTargetsResult {
        failedEntries = List.copyOf(failedEntries);
    }

    /**
     * @param targetId     the target's id
     * @param errorCode    EventBridge's code
     * @param errorMessage EventBridge's message
     */
    public record Failure(String targetId, String errorCode, String errorMessage) {
    }
}
