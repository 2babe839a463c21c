package io.busbar.core.scheduler;

import java.util.regex.Pattern;

/**
 * The entry a schedule puts on an event bus target: its {@code Source} and {@code DetailType}; the {@code Detail}
 * is the target's input.
 *
 * @param detailType 1–128 characters
 * @param source     1–256 characters, not starting with {@code aws.}
 */
public record EventBridgeParameters(String detailType, String source) {
    private static final Pattern SOURCE = Pattern.compile(
            "^(?=[/\\.\\-_A-Za-z0-9]+)((?!aws\\.).*)|(\\$(\\.[\\w_-]+(\\[(\\d+|\\*)\\])*)*)$");

    public EventBridgeParameters {
        Constraints.required("target.eventBridgeParameters.detailType", detailType, 1, 128, null);
        Constraints.required("target.eventBridgeParameters.source", source, 1, 256, SOURCE);
    }
}
