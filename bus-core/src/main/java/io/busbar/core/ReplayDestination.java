package io.busbar.core;

import java.util.List;

/**
 * Where a replay sends its events (spec 8.3): the archive's own bus, and optionally only some of its rules.
 *
 * @param arn        the ARN of the bus; must be the archive's source bus
 * @param filterArns ARNs of the rules to replay to; empty (or {@code null}) means every rule of the bus
 */
public record ReplayDestination(String arn, List<String> filterArns) {
    public ReplayDestination {
        Names.check("destination.arn", arn, null, 1, 1600);
        if (filterArns == null) {
            filterArns = List.of();
        }
        for (String f : filterArns) {
            Names.check("destination.filterArns", f, null, 1, 1600);
        }
        filterArns = List.copyOf(filterArns);
    }

    /** Every rule of the bus. */
    public static ReplayDestination bus(String busArn) {
        return new ReplayDestination(busArn, List.of());
    }
}
