package io.busbar.core;

import io.busbar.core.spi.EventPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled {@code InputTemplate}: the template text cut once into literals and placeholders, each placeholder
 * knowing where its value comes from and how it must be written.
 *
 * <p><b>Implementation notes.</b> The template's first non-blank character decides its kind (spec 5.3): an
 * opening brace or bracket makes a JSON template, a double quote a string template, anything else plain text.
 * In a JSON template a scan that follows string literals (and their backslash escapes) tells whether each
 * placeholder stands as a JSON value or inside a string; in the other kinds every placeholder is text. The three
 * ways of writing a value v:
 * <pre>
 *                      string      other scalar   object/array          missing
 *   JSON value         "v" (raw)   JSON text      compact JSON          ""
 *   inside JSON string v (raw)     JSON text      compact JSON (breaks) (nothing)
 *   string/plain text  v (raw)     JSON text      quotes stripped       (nothing)
 * </pre>
 * Values are never escaped: EventBridge does not escape them either, so a string holding a quote breaks a JSON
 * template. A JSON template's output is therefore checked, and invalid output means the invocation is dropped
 * (the observed behaviour); valid output is minified, as the user guide says EventBridge delivers it ("The JSON
 * that is passed to the target is minified").
 *
 * <p>Rendering parses the event at most once (not at all when only rule name, rule ARN or ingestion time are
 * used, or when the whole event is inserted as JSON), resolves each distinct variable once, and writes into one
 * pre-sized builder. Immutable and thread-safe.
 */
final class InputTemplate {
    static final int MAX_LENGTH = 8192;

    static final String RULE_ARN = "aws.events.rule-arn";
    static final String RULE_NAME = "aws.events.rule-name";
    static final String INGESTION_TIME = "aws.events.event.ingestion-time";
    static final String EVENT = "aws.events.event";
    static final String EVENT_JSON = "aws.events.event.json";
    static final Set<String> RESERVED = Set.of(RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON);

    /**
     * {@code <aws.events.event>}: the envelope without {@code detail}, in the key order and with the camel-case
     * {@code detailType} that AWS was recorded producing (spec 5.3, 11.19). Pairs of (output key, event key).
     */
    private static final String[][] EVENT_MEMBERS = {
        {"id", "id"}, {"account", "account"}, {"detailType", "detail-type"}, {"time", "time"},
        {"source", "source"}, {"region", "region"}, {"resources", "resources"}, {"version", "version"},
    };

    private enum Kind { JSON, STRING, TEXT }

    private enum Mode { JSON_VALUE, IN_JSON_STRING, TEXT }

    private enum Source { RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON, PATH }

    private final Kind kind;
    private final int templateLength;
    /** literals[i] precedes placeholder i; the last one follows the last placeholder. */
    private final String[] literals;
    /** Per placeholder: which variable, written how. */
    private final int[] variableOf;
    private final Mode[] modes;
    /** Per distinct variable. */
    private final Source[] sources;
    private final EventPath[] paths;
    private final boolean needsEventTree;

    private InputTemplate(Kind kind, int templateLength, String[] literals, int[] variableOf, Mode[] modes,
            Source[] sources, EventPath[] paths) {
        this.kind = kind;
        this.templateLength = templateLength;
        this.literals = literals;
        this.variableOf = variableOf;
        this.modes = modes;
        this.sources = sources;
        this.paths = paths;
        boolean tree = false;
        for (int p = 0; p < variableOf.length; p++) {
            Source source = sources[variableOf[p]];
            // The whole event as JSON is copied from the event text; only its quote-stripped form needs a tree.
            tree |= source == Source.PATH || source == Source.EVENT
                    || source == Source.EVENT_JSON && modes[p] == Mode.TEXT;
        }
        this.needsEventTree = tree;
    }

    /**
     * Validates and compiles a template against the variables an InputPathsMap defines.
     *
     * @throws TargetValidationException for a missing or oversized template, a path of the map that is not of
     *     the supported form, a placeholder that names no variable (without a target id in the message), or a
     *     placeholder used as an object key
     */
    static InputTemplate compile(Map<String, String> inputPathsMap, String template) {
        Map<String, EventPath> defined = new LinkedHashMap<>();
        inputPathsMap.forEach((key, path) ->
                defined.put(key, TargetValidationException.path("InputPathsMap value for key " + key, path)));
        if (template == null || template.isEmpty()) {
            throw TargetValidationException.invalid("InputTemplate: " + (template == null ? "null" : "empty")
                    + " (expected: 1 to " + MAX_LENGTH + " characters)");
        }
        if (template.length() > MAX_LENGTH) {
            throw TargetValidationException.invalid("InputTemplate: " + template.length()
                    + " characters (expected: 1 to " + MAX_LENGTH + ")");
        }
        Kind kind = kindOf(template);

        List<String> literals = new ArrayList<>();
        List<Integer> variableOf = new ArrayList<>();
        List<Mode> modes = new ArrayList<>();
        Map<String, Integer> variables = new LinkedHashMap<>();
        boolean inString = false;
        boolean escaped = false;
        String placeholderInString = null;
        int literalStart = 0;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (kind == Kind.JSON && inString && escaped) {
                escaped = false;
                i++;
                continue;
            }
            int end = c == '<' ? placeholderEnd(template, i) : -1;
            if (end > 0) {
                String name = template.substring(i + 1, end);
                if (!defined.containsKey(name) && !RESERVED.contains(name)) {
                    throw TargetValidationException.invalidPlaceholder(null, name);
                }
                Mode mode;
                if (kind != Kind.JSON) {
                    mode = Mode.TEXT;
                } else if (inString) {
                    mode = Mode.IN_JSON_STRING;
                    if (placeholderInString == null) {
                        placeholderInString = name;
                    }
                } else {
                    mode = Mode.JSON_VALUE;
                    if (nextNonBlank(template, end + 1) == ':') {
                        throw objectKey(name);
                    }
                }
                literals.add(template.substring(literalStart, i));
                Integer index = variables.get(name);
                if (index == null) {
                    index = variables.size();
                    variables.put(name, index);
                }
                variableOf.add(index);
                modes.add(mode);
                i = end + 1;
                literalStart = i;
                continue;
            }
            if (kind == Kind.JSON) {
                if (!inString) {
                    inString = c == '"';
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                    // A string followed by ':' is an object key, which a placeholder may not be part of.
                    if (placeholderInString != null && nextNonBlank(template, i + 1) == ':') {
                        throw objectKey(placeholderInString);
                    }
                    placeholderInString = null;
                }
            }
            i++;
        }
        literals.add(template.substring(literalStart));

        Source[] sources = new Source[variables.size()];
        EventPath[] paths = new EventPath[variables.size()];
        variables.forEach((name, index) -> {
            sources[index] = sourceOf(name);
            paths[index] = defined.get(name);
        });
        int[] variableArray = new int[variableOf.size()];
        for (int p = 0; p < variableArray.length; p++) {
            variableArray[p] = variableOf.get(p);
        }
        return new InputTemplate(kind, template.length(), literals.toArray(new String[0]), variableArray,
                modes.toArray(new Mode[0]), sources, paths);
    }

    private static Kind kindOf(String template) {
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[' ? Kind.JSON : c == '"' ? Kind.STRING : Kind.TEXT;
            }
        }
        return Kind.TEXT;
    }

    /**
     * The index of the {@code >} closing a placeholder that opens at {@code start}, or -1. A placeholder name is
     * a non-empty run of the characters keys and reserved variables are made of; anything else ({@code a < b},
     * {@code <a b>}) is literal text.
     */
    private static int placeholderEnd(String template, int start) {
        int i = start + 1;
        while (i < template.length() && isNameChar(template.charAt(i))) {
            i++;
        }
        return i > start + 1 && i < template.length() && template.charAt(i) == '>' ? i : -1;
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '-' || c == '.';
    }

    private static char nextNonBlank(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return 0;
    }

    private static TargetValidationException objectKey(String name) {
        // Not an AWS-recorded message: the API reference only says a placeholder cannot be an object key.
        return TargetValidationException.invalid("InputTemplate: placeholder <" + name
                + "> used as an object key (expected: placeholders only in values)");
    }

    private static Source sourceOf(String name) {
        switch (name) {
            case RULE_ARN:
                return Source.RULE_ARN;
            case RULE_NAME:
                return Source.RULE_NAME;
            case INGESTION_TIME:
                return Source.INGESTION_TIME;
            case EVENT:
                return Source.EVENT;
            case EVENT_JSON:
                return Source.EVENT_JSON;
            default:
                return Source.PATH;
        }
    }

    /** The payload for the target, or empty when EventBridge would drop the invocation (invalid JSON output). */
    Optional<String> render(RenderContext context) {
        JsonNode event = needsEventTree ? JsonText.parseEvent(context.eventJson()) : null;
        JsonNode[] values = new JsonNode[sources.length];
        for (int v = 0; v < values.length; v++) {
            values[v] = resolve(v, event, context);
        }
        StringBuilder out = new StringBuilder(templateLength + 32 * variableOf.length);
        for (int p = 0; p < variableOf.length; p++) {
            out.append(literals[p]);
            append(p, values[variableOf[p]], context, out);
        }
        out.append(literals[variableOf.length]);
        String text = out.toString();
        if (kind != Kind.JSON) {
            return Optional.of(text);
        }
        return JsonText.isValid(text) ? Optional.of(JsonText.minify(text)) : Optional.empty();
    }

    /** The value of a variable, or null when its path selects nothing in this event. */
    private JsonNode resolve(int variable, JsonNode event, RenderContext context) {
        switch (sources[variable]) {
            case RULE_ARN:
                return TextNode.valueOf(context.ruleArn());
            case RULE_NAME:
                return TextNode.valueOf(context.ruleName());
            case INGESTION_TIME:
                // Second precision with a literal Z, the form of the envelope's own "time" (spec 1.1).
                return TextNode.valueOf(DateTimeFormatter.ISO_INSTANT.format(
                        context.ingestionTime().truncatedTo(ChronoUnit.SECONDS)));
            case EVENT:
                return eventWithoutDetail((ObjectNode) event);
            case EVENT_JSON:
                return event; // null when only the JSON form is used: that one is copied from the text
            default:
                return paths[variable].select(event);
        }
    }

    private static ObjectNode eventWithoutDetail(ObjectNode event) {
        ObjectNode copy = event.objectNode();
        for (String[] member : EVENT_MEMBERS) {
            JsonNode value = event.get(member[1]);
            if (value != null) {
                copy.set(member[0], value);
            }
        }
        return copy;
    }

    private void append(int placeholder, JsonNode value, RenderContext context, StringBuilder out) {
        Mode mode = modes[placeholder];
        if (mode != Mode.TEXT && sources[variableOf[placeholder]] == Source.EVENT_JSON) {
            out.append(context.eventJson());
        } else if (value == null) {
            // A path that selects nothing: observed as "" for a JSON value and as nothing in text (spec 11.18).
            if (mode == Mode.JSON_VALUE) {
                out.append("\"\"");
            }
        } else if (value.isTextual()) {
            if (mode == Mode.JSON_VALUE) {
                out.append('"').append(value.textValue()).append('"');
            } else {
                out.append(value.textValue());
            }
        } else if (value.isContainerNode()) {
            if (mode == Mode.TEXT) {
                JsonText.appendUnquoted(value, out);
            } else {
                out.append(JsonText.compact(value));
            }
        } else {
            out.append(value.asText());
        }
    }
}
