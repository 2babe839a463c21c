package io.busbar.core;

import java.time.Instant;
import java.util.Optional;

/** What a target receives. Placeholder until the input-transformation work lands. */
public sealed interface TargetInput {
    static TargetInput wholeEvent() {
        return WholeEvent.INSTANCE;
    }

    static TargetInput of(String targetId, String input, String inputPath, InputTransformer transformer) {
        return wholeEvent();
    }

    Optional<String> render(String eventJson, String ruleArn, String ruleName, Instant ingestionTime);

    final class WholeEvent implements TargetInput {
        static final WholeEvent INSTANCE = new WholeEvent();

        @Override
        public Optional<String> render(String eventJson, String ruleArn, String ruleName, Instant ingestionTime) {
            return Optional.of(eventJson);
        }
    }
}
