package io.busbar.cli;

import io.busbar.core.schemas.SchemaException;
import io.busbar.core.schemas.SchemaInferrer;
import io.busbar.core.schemas.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code busbar schema}: {@code infer} prints the OpenAPI 3 document EventBridge's schema discovery would make from
 * events; {@code validate} says which events do not fit a schema document and why.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Infers schemas from events and checks events against a schema.",
        subcommands = {SchemaCommand.Infer.class, SchemaCommand.Validate.class})
final class SchemaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: expected infer or validate");
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = {"Prints one OpenAPI 3 document (compact JSON, one per line) for each event type "
                    + "(source and detail-type) in the events, merging the samples of a type; JSON objects that are "
                    + "not EventBridge events give one document titled Event.",
                    "Exit status: 0 done, 2 invalid events or arguments."})
    static final class Infer implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--events", required = true, paramLabel = "FILE",
                description = "Events as JSON lines (- for standard input).")
        String events;

        @Option(names = "--date-time-formats",
                description = "Mark string properties whose every value is an RFC 3339 date-time with "
                        + "format date-time (EventBridge does not).")
        boolean dateTimeFormats;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Map<String, SchemaInferrer> byType = new LinkedHashMap<>();
                for (JsonInput.Line line : JsonInput.lines("--events", events, System.in)) {
                    JsonNode e = JsonInput.parse("--events line " + line.number(), line.text());
                    String key = e.path("source").isTextual() && e.path("detail-type").isTextual() && e.has("detail")
                            ? e.get("source").textValue() + "\u0000" + e.get("detail-type").textValue() : "";
                    SchemaInferrer inferrer = byType.computeIfAbsent(key, k -> dateTimeFormats
                            ? SchemaInferrer.withDateTimeFormats() : SchemaInferrer.create());
                    try {
                        inferrer.add(line.text());
                    } catch (SchemaException ex) {
                        err.println("--events line " + line.number() + ": " + ex.getMessage());
                        return 2;
                    }
                }
                if (byType.isEmpty()) {
                    err.println("--events: " + events + " holds no events");
                    return 2;
                }
                byType.values().forEach(i -> out.println(i.openApi()));
                return 0;
            } catch (JsonInput.BadInput e) {
                err.println(e.getMessage());
                return 2;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Checks each event against a schema document (OpenAPI 3 as the registry stores it, or "
                    + "JSON Schema Draft 4 as ExportSchema gives it) and prints, for each event that does not fit, "
                    + "its line number and the reasons.",
                    "Exit status: 0 every event fits, 1 some do not, 2 invalid schema, events or arguments."})
    static final class Validate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--schema", required = true, paramLabel = "FILE", description = "The schema document.")
        String schema;

        @Option(names = "--events", required = true, paramLabel = "FILE",
                description = "Events as JSON lines (- for standard input).")
        String events;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                SchemaValidator validator;
                try {
                    validator = SchemaValidator.of(Files.readString(Path.of(schema), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.println("--schema: cannot read " + schema + " (" + e.getMessage() + ")");
                    return 2;
                } catch (SchemaException e) {
                    err.println("--schema: " + e.getMessage());
                    return 2;
                }
                int total = 0;
                int bad = 0;
                for (JsonInput.Line line : JsonInput.lines("--events", events, System.in)) {
                    total++;
                    List<String> problems = validator.problems(line.text());
                    if (!problems.isEmpty()) {
                        bad++;
                        out.println("line " + line.number() + ": does not fit");
                        problems.forEach(p -> out.println("  " + p));
                    }
                }
                out.println(total - bad + " of " + total + " events fit");
                return bad == 0 ? 0 : 1;
            } catch (JsonInput.BadInput e) {
                err.println(e.getMessage());
                return 2;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
