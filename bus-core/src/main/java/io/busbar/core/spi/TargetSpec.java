package io.busbar.core.spi;

import java.util.Map;

/**
 * What a provider needs to build a target: its ARN and the target's family parameters ({@code HttpParameters},
 * {@code SqsParameters}, ... as JSON text, keyed by API member name). Immutable.
 *
 * @param arn        the target ARN
 * @param parameters the target's parameters as JSON text, by member name
 */
public record TargetSpec(String arn, Map<String, String> parameters) {
    public TargetSpec {
        parameters = Map.copyOf(parameters);
    }
}
