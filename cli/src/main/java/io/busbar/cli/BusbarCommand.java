package io.busbar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code busbar} command: {@code serve}, {@code test-pattern}, {@code match}, {@code schedule}, {@code schema}.
 * Exit codes: 0 success (or "matches"), 1 "does not match" or a failed check, 2 bad arguments or invalid input.
 */
@Command(name = "busbar", mixinStandardHelpOptions = true, version = "busbar 0.1.0",
        description = "An EventBridge-compatible event bus: run the server, test event patterns.",
        subcommands = {ServeCommand.class, TestPatternCommand.class, MatchCommand.class, ScheduleCommand.class,
                SchemaCommand.class,
                CommandLine.HelpCommand.class})
public final class BusbarCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Busbar's error handling, for {@link #main} and for tests. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BusbarCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExpandAtFiles(false); // @file is the commands' own "JSON from this file", not picocli's argument file
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing command: expected serve, test-pattern, match, schedule or schema");
    }
}
