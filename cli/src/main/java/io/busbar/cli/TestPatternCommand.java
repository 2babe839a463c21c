package io.busbar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.pattern.EventPattern;
import io.busbar.pattern.InvalidEventException;
import io.busbar.pattern.InvalidEventPatternException;
import io.busbar.pattern.RuleSet;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code busbar test-pattern}: whether events match an event pattern, as EventBridge's TestEventPattern would say,
 * except that the event is taken as given (no envelope fields are required).
 */
@Command(name = "test-pattern", mixinStandardHelpOptions = true,
        description = {"Tests events against an event pattern.",
                "Exit status: 0 matches (with --events: some event matches; with --cases: every case passes),",
                "1 does not match (or a case fails), 2 invalid pattern, event or arguments."})
final class TestPatternCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pattern", paramLabel = "JSON|@FILE", description = "The event pattern.")
    String pattern;

    @Option(names = "--event", paramLabel = "JSON|@FILE", description = "One event; prints true or false.")
    String event;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Events as JSON lines (- for standard input); prints true or false for each.")
    String events;

    @Option(names = "--cases", paramLabel = "FILE",
            description = "Test cases as JSON lines {\"name\",\"pattern\",\"event\",\"matches\"}; reports the cases "
                    + "that fail.")
    String cases;

    @Option(names = "--explain", description = "Print why each event matches or not instead of true/false.")
    boolean explain;

    @Override
    public Integer call() {
        int inputs = (event != null ? 1 : 0) + (events != null ? 1 : 0) + (cases != null ? 1 : 0);
        if (inputs != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Expected exactly one of --event, --events or --cases");
        }
        if (cases != null && pattern != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--pattern: not used with --cases (each case has its own pattern)");
        }
        if (cases == null && pattern == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--pattern'");
        }
        if (cases != null && explain) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--explain: not used with --cases");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (cases != null) {
                return runCases(out, err);
            }
            EventPattern compiled = compile(JsonInput.text("--pattern", pattern));
            if (event != null) {
                boolean m = test(compiled, JsonInput.text("--event", event), "--event", out);
                return m ? 0 : 1;
            }
            boolean any = false;
            for (JsonInput.Line line : JsonInput.lines("--events", events, System.in)) {
                any |= test(compiled, line.text(), "--events line " + line.number(), out);
            }
            return any ? 0 : 1;
        } catch (InvalidEventPatternException e) {
            err.println(e.getMessage());
            return 2;
        } catch (JsonInput.BadInput e) {
            err.println(e.getMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static EventPattern compile(String text) {
        return EventPattern.compile(text);
    }

    private boolean test(EventPattern compiled, String eventJson, String where, PrintWriter out) {
        // The matcher reads only as far as the pattern needs; the whole event must still be one JSON object.
        JsonInput.requireObject(where, eventJson);
        try {
            if (explain) {
                var explanation = RuleSet.empty().with("pattern", compiled).explain("pattern", eventJson);
                out.println(explanation.describe());
                return explanation.matched();
            }
            boolean m = compiled.matches(eventJson);
            out.println(m);
            return m;
        } catch (InvalidEventException e) {
            throw new JsonInput.BadInput(where + ": the event is not a JSON object (" + e.getMessage() + ")");
        }
    }

    private int runCases(PrintWriter out, PrintWriter err) {
        List<JsonInput.Line> lines = JsonInput.lines("--cases", cases, System.in);
        int passed = 0;
        int failed = 0;
        for (JsonInput.Line line : lines) {
            String where = "--cases line " + line.number();
            JsonNode c = JsonInput.parse(where, line.text());
            String name = c.path("name").asText(where);
            JsonNode p = c.hasNonNull("pattern_raw") ? c.get("pattern_raw") : c.get("pattern");
            JsonNode e = c.hasNonNull("event_raw") ? c.get("event_raw") : c.get("event");
            JsonNode expected = c.get("matches");
            if (p == null || e == null || expected == null || !expected.isBoolean()) {
                throw new JsonInput.BadInput(where + ": expected {\"name\", \"pattern\", \"event\", \"matches\": "
                        + "true|false}");
            }
            String problem;
            try {
                boolean actual = EventPattern.compile(JsonInput.jsonText(p)).matches(JsonInput.jsonText(e));
                problem = actual == expected.booleanValue() ? null
                        : "expected " + (expected.booleanValue() ? "a match" : "no match") + ", got "
                        + (actual ? "a match" : "no match");
            } catch (InvalidEventPatternException ex) {
                problem = "invalid pattern: " + ex.getMessage();
            } catch (InvalidEventException ex) {
                problem = "invalid event: " + ex.getMessage();
            }
            if (problem == null) {
                passed++;
            } else {
                failed++;
                out.println("FAIL " + name + " (line " + line.number() + "): " + problem);
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
