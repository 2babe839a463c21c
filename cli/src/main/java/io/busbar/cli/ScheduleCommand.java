package io.busbar.cli;

import io.busbar.core.BusbarException;
import io.busbar.core.schedule.InvalidScheduleExpressionException;
import io.busbar.core.schedule.ScheduleExpression;
import io.busbar.core.scheduler.ScheduleRequest;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code busbar schedule}: the next fire times of an EventBridge Scheduler expression ({@code at}, {@code rate},
 * {@code cron}) in a time zone, one ISO-8601 instant per line. A rate counts from {@code --from}, which fires
 * first, as a schedule created at that instant would.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Prints the next fire times of a Scheduler expression, one ISO-8601 instant per line.",
                "Exit status: 0 printed, 2 invalid expression, time zone or arguments."})
final class ScheduleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPRESSION", description = "at(...), rate(...) or cron(...)")
    String expression;

    @Option(names = "--from", paramLabel = "INSTANT",
            description = "Start from this instant, e.g. 2026-01-01T00:00:00Z (default: now).")
    String from;

    @Option(names = "--count", paramLabel = "N", defaultValue = "5", description = "How many times (default: 5).")
    int count;

    @Option(names = "--timezone", paramLabel = "ZONE", defaultValue = "UTC",
            description = "The ScheduleExpressionTimezone, an IANA name (default: UTC).")
    String timezone;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count: " + count
                    + " (expected: 0 or more)");
        }
        Instant start;
        try {
            start = from == null ? Instant.now() : Instant.parse(from);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from: " + from
                    + " (expected: an ISO-8601 instant such as 2026-01-01T00:00:00Z)");
        }
        ZoneId zone;
        try {
            zone = ScheduleRequest.zone(timezone);
        } catch (BusbarException e) {
            err.println(e.getMessage());
            return 2;
        }
        ScheduleExpression parsed;
        try {
            parsed = ScheduleExpression.parse(expression, zone);
        } catch (InvalidScheduleExpressionException e) {
            err.println(e.getMessage() + " Reason: " + e.reason());
            return 2;
        }
        // The schedule's first occurrence is the start itself (a rate created at 'start' fires at once).
        io.busbar.core.schedule.Schedule s = io.busbar.core.schedule.Schedule.of(parsed, start);
        for (Instant t : s.next(start.minusNanos(1), count)) {
            out.println(t);
        }
        out.flush();
        return 0;
    }
}
