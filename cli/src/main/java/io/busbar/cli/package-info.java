/**
 * The {@code busbar} command line (picocli): {@code serve} runs the EventBridge-compatible server,
 * {@code test-pattern} and {@code match} test event patterns against events. The entry point is
 * {@link io.busbar.cli.BusbarCommand}; {@code cli/target/busbar.jar} is the runnable jar and {@code bin/busbar}
 * its launcher.
 */
package io.busbar.cli;
