package io.busbar.core.spi;

import java.time.Clock;
import java.util.Map;

/**
 * What the bus offers the targets it creates: its clock, account and region, a way to put events back on a bus
 * (for bus-to-bus targets), and configuration properties by name ({@code busbar.sqs.endpoint}, ...).
 */
public interface TargetEnvironment {

    Clock clock();

    String account();

    String region();

    /** Configuration for target families, e.g. endpoints of SQS-compatible servers. */
    Map<String, String> properties();

    /**
     * Puts an already-formed event (the JSON envelope) on the named bus, keeping its id and time. Used by bus-to-bus
     * targets; the event is not forwarded again from there (no third hop). The outcome is permanent when no such
     * bus exists and retryable when the bus's target queues are full.
     */
    DeliveryOutcome forward(String busName, String eventJson);
}
