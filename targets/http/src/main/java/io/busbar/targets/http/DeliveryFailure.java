package io.busbar.targets.http;

import io.busbar.core.spi.DeliveryOutcome;

/**
 * Carries an expected failure outcome through a chain of stages: thrown inside a stage or while an invocation is
 * prepared, and turned back into the outcome where the delivery's stage completes. Not a bug signal, so it has no
 * stack trace.
 */
final class DeliveryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient DeliveryOutcome outcome;

    DeliveryFailure(DeliveryOutcome outcome) {
        super(outcome.message(), null, false, false);
        this.outcome = outcome;
    }

    static DeliveryFailure permanent(String code, String message) {
        return new DeliveryFailure(DeliveryOutcome.permanent(code, message));
    }

    DeliveryOutcome outcome() {
        return outcome;
    }
}
