package io.busbar.core;

import java.time.Instant;

/**
 * An event bus as DescribeEventBus shows it.
 *
 * @param name        the bus name ({@code default} or a custom name)
 * @param arn         {@code arn:aws:events:<region>:<account>:event-bus/<name>}
 * @param description optional description (≤ 512 characters)
 * @param created     when the bus was created
 */
public record EventBus(String name, String arn, String description, Instant created) {
}
