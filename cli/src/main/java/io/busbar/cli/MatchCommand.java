package io.busbar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.busbar.pattern.EventPattern;
import io.busbar.pattern.InvalidEventException;
import io.busbar.pattern.InvalidEventPatternException;
import io.busbar.pattern.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code busbar match}: the rules each event matches, one JSON array of rule names per event, in the order the
 * rules file declares them. All rules are compiled into one {@link RuleSet}, as a bus holds them.
 */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = {"Prints, for each event, the names of the rules it matches (one JSON array per line).",
                "Exit status: 0 done, 2 invalid rules, events or arguments."})
final class MatchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rules", required = true, paramLabel = "FILE",
            description = "A JSON object of rule name to pattern, or JSON lines {\"name\", \"pattern\"}.")
    String rules;

    @Option(names = "--events", required = true, paramLabel = "FILE",
            description = "Events as JSON lines (- for standard input).")
    String events;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Map<String, String> patterns = readRules();
            Map<String, EventPattern> compiled = new LinkedHashMap<>();
            Map<String, Integer> order = new HashMap<>();
            for (Map.Entry<String, String> r : patterns.entrySet()) {
                try {
                    compiled.put(r.getKey(), EventPattern.compile(r.getValue()));
                } catch (InvalidEventPatternException e) {
                    err.println("--rules: rule " + r.getKey() + ": " + e.getMessage());
                    return 2;
                }
                order.put(r.getKey(), order.size());
            }
            RuleSet set = RuleSet.of(compiled);
            for (JsonInput.Line line : JsonInput.lines("--events", events, System.in)) {
                List<String> matched;
                // the matcher reads an event only as far as the rules need; the whole line must be one object
                JsonInput.requireObject("--events line " + line.number(), line.text());
                try {
                    matched = set.match(line.text().getBytes(StandardCharsets.UTF_8));
                } catch (InvalidEventException e) {
                    err.println("--events line " + line.number() + ": the event is not a JSON object ("
                            + e.getMessage() + ")");
                    return 2;
                }
                ArrayNode names = JsonInput.MAPPER.createArrayNode();
                matched.stream().sorted((a, b) -> order.get(a) - order.get(b)).forEach(names::add);
                out.println(names);
            }
            return 0;
        } catch (JsonInput.BadInput e) {
            err.println(e.getMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Rule name to pattern text, in file order. */
    private Map<String, String> readRules() {
        String text;
        try {
            text = Files.readString(Path.of(rules), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JsonInput.BadInput("--rules: cannot read " + rules + " (" + e.getMessage() + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode whole = null;
        try {
            // One document, nothing after it (else: JSON lines), and no rule name given twice.
            whole = JsonInput.MAPPER.reader()
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(text);
        } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
                throw new JsonInput.BadInput("--rules: " + e.getOriginalMessage() + " (a rule declared twice), line "
                        + e.getLocation().getLineNr());
            }
            // JSON lines
        } catch (IOException notOneDocument) {
            // JSON lines
        }
        if (whole != null && whole.isObject() && !isLine(whole)) {
            for (Map.Entry<String, JsonNode> e : whole.properties()) {
                out.put(e.getKey(), JsonInput.jsonText(e.getValue()));
            }
        } else {
            for (JsonInput.Line line : JsonInput.lines("--rules", rules, System.in)) {
                String where = "--rules line " + line.number();
                JsonNode r = JsonInput.parse(where, line.text());
                if (!isLine(r)) {
                    throw new JsonInput.BadInput(where + ": expected {\"name\": \"...\", \"pattern\": {...}}");
                }
                if (out.put(r.get("name").textValue(), JsonInput.jsonText(r.get("pattern"))) != null) {
                    throw new JsonInput.BadInput(where + ": rule " + r.get("name").textValue() + " is declared twice");
                }
            }
        }
        if (out.isEmpty()) {
            throw new JsonInput.BadInput("--rules: " + rules + " declares no rules");
        }
        return out;
    }

    private static boolean isLine(JsonNode n) {
        return n.isObject() && n.size() == 2 && n.path("name").isTextual() && n.has("pattern");
    }
}
