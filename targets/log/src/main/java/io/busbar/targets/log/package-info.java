/**
 * Log files as targets: {@link io.busbar.targets.log.LogFileTargetProvider} answers for
 * {@code arn:busbar:log:::<path>} and appends each delivery's payload to the file as one JSON line, written by one
 * thread per file and flushed once per batch of deliveries that arrived together.
 *
 * <p>Everything but the provider is package-private.
 */
package io.busbar.targets.log;
