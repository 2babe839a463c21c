package io.busbar.pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a pattern's text and turns it into its alternatives.
 *
 * <p>Implementation notes: the text is read once with Jackson's streaming parser, so that every error carries the
 * location of the token at fault and duplicate keys behave as EventBridge's engine makes them behave: a field
 * written twice keeps its last value array. {@code $or} forks the alternatives built so far, one copy per branch;
 * the number of alternatives is checked against the limit while it grows, so a pattern that would multiply out to
 * millions is refused before it is built. The reasons are EventBridge's words (spec 3.6), checked in the order its
 * engine checks them.
 */
final class PatternParser {
    /**
     * Malformed JSON is reported in Jackson's words, as EventBridge (a Jackson user) reports it; with the source
     * in the location, as EventBridge's messages show it, rather than Jackson 2.16's {@code REDACTED}.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private static final String OR = "$or";

    /** Words that cannot name a field inside {@code $or}: operators, and those EventBridge reserves. */
    private static final Set<String> RESERVED_IN_OR = Set.of(
            "anything-but", "exists", "prefix", "suffix", "equals-ignore-case", "wildcard", "numeric", "cidr",
            "exactly", "regex", "not-wildcard", "not-prefix", "not-suffix", "date-after", "date-before",
            "ip-address-in-range", "$or", "$and", "$not");

    private final String text;
    private final JsonParser parser;
    private final PatternLimits limits;
    private final StringBuilder path = new StringBuilder();
    private int depth;

    private PatternParser(String text, JsonParser parser, PatternLimits limits) {
        this.text = text;
        this.parser = parser;
        this.limits = limits;
    }

    static List<Alternative> parse(String text, PatternLimits limits) {
        if (text.length() > PatternLimits.API_MAX_LENGTH) {
            throw InvalidEventPatternException.tooLongForApi(text);
        }
        if (text.length() > limits.maxLength()) {
            throw InvalidEventPatternException.invalid("Event pattern is longer than the limit of "
                    + limits.maxLength() + " characters (" + text.length() + ")", text, 0, 0);
        }
        try (JsonParser parser = JSON.createParser(text)) {
            return new PatternParser(text, parser, limits).parseTop();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw InvalidEventPatternException.invalid(e.getOriginalMessage(), text,
                    loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr());
        } catch (IOException e) {
            throw InvalidEventPatternException.invalid(String.valueOf(e.getMessage()), text, 0, 0);
        }
    }

    private List<Alternative> parseTop() throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw fail("Filter is not an object");
        }
        List<Map<String, Condition>> alternatives = new ArrayList<>();
        parseObject(alternatives, false);
        if (parser.nextToken() != null) {
            throw fail("Unexpected content after the pattern object");
        }
        if (alternatives.isEmpty()) {
            throw fail("Empty objects are not allowed");
        }
        List<Alternative> out = new ArrayList<>(alternatives.size());
        for (Map<String, Condition> alt : alternatives) {
            List<Condition> conditions = new ArrayList<>(alt.values());
            conditions.sort(Comparator.comparing(Condition::path));
            out.add(new Alternative(conditions));
        }
        return List.copyOf(out);
    }

    private void parseObject(List<Map<String, Condition>> alternatives, boolean insideOr) throws IOException {
        enter();
        boolean fieldsPresent = false;
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            fieldsPresent = true;
            String name = parser.currentName();
            if (OR.equals(name)) {
                parseOr(alternatives, insideOr);
                continue;
            }
            if (insideOr && RESERVED_IN_OR.contains(name)) {
                throw fail(name + " is Ruler reserved fieldName which cannot be used inside $or.");
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                int mark = path.length();
                appendStep(name);
                parseObject(alternatives, insideOr);
                path.setLength(mark);
            } else if (token == JsonToken.START_ARRAY) {
                int mark = path.length();
                appendStep(name);
                String fieldPath = path.toString();
                path.setLength(mark);
                Condition condition = parseValueArray(fieldPath);
                if (alternatives.isEmpty()) {
                    alternatives.add(new LinkedHashMap<>());
                }
                for (Map<String, Condition> alt : alternatives) {
                    alt.put(fieldPath, condition);
                }
            } else {
                throw fail("\"" + name + "\" must be an object or an array");
            }
        }
        if (!fieldsPresent) {
            throw fail("Empty objects are not allowed");
        }
        depth--;
    }

    private void parseOr(List<Map<String, Condition>> alternatives, boolean insideOr) throws IOException {
        List<Map<String, Condition>> before = copy(alternatives);
        alternatives.clear();
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw fail("It must be an Array followed with $or.");
        }
        enter();
        int branches = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            branches++;
            if (token != JsonToken.START_OBJECT) {
                throw fail("Only JSON object is allowed in array of $or relationship.");
            }
            List<Map<String, Condition>> branch = copy(before);
            if (branch.isEmpty()) {
                branch.add(new LinkedHashMap<>());
            }
            parseObject(branch, true);
            alternatives.addAll(branch);
            if (alternatives.size() > limits.maxOrCombinations()) {
                throw fail("The use of $or results in over " + limits.maxOrCombinations() + " rule combinations");
            }
        }
        if (branches < 2) {
            throw fail("There must have at least 2 Objects in $or relationship.");
        }
        depth--;
    }

    private static List<Map<String, Condition>> copy(List<Map<String, Condition>> alternatives) {
        List<Map<String, Condition>> out = new ArrayList<>(alternatives.size());
        for (Map<String, Condition> alt : alternatives) {
            out.add(new LinkedHashMap<>(alt));
        }
        return out;
    }

    private void appendStep(String name) {
        if (path.length() > 0) {
            path.append('.');
        }
        path.append(name);
    }

    private Condition parseValueArray(String fieldPath) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        List<ValueMatcher> matchers = new ArrayList<>();
        boolean absent = false;
        boolean any = false;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            any = true;
            switch (token) {
                case START_OBJECT -> {
                    ValueMatcher m = parseMatcher();
                    if (m == null) {
                        absent = true;
                    } else {
                        matchers.add(m);
                    }
                }
                case VALUE_STRING -> matchers.add(new ValueMatcher.ExactString(parser.getText()));
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> matchers.add(ValueMatcher.ExactNumber.of(parser.getText()));
                case VALUE_TRUE -> matchers.add(new ValueMatcher.Keyword(Leaf.TRUE));
                case VALUE_FALSE -> matchers.add(new ValueMatcher.Keyword(Leaf.FALSE));
                case VALUE_NULL -> matchers.add(new ValueMatcher.Keyword(Leaf.NULL));
                default -> throw fail("Match value must be String, number, true, false, or null");
            }
        }
        if (!any) {
            throw fail("Empty arrays are not allowed");
        }
        return new Condition(fieldPath, dedupe(matchers), absent, slice(start));
    }

    private static List<ValueMatcher> dedupe(List<ValueMatcher> matchers) {
        List<ValueMatcher> out = new ArrayList<>(matchers.size());
        for (ValueMatcher m : matchers) {
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** A matcher object; {@code null} stands for {@code {"exists": false}}. */
    private ValueMatcher parseMatcher() throws IOException {
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            throw fail("Match expression name not found");
        }
        String op = parser.currentName();
        switch (op) {
            case "prefix":
            case "suffix":
                return parsePrefixOrSuffix(op);
            case "equals-ignore-case": {
                String s = expectString("equals-ignore-case match pattern must be a string");
                endOfMatcher();
                return new ValueMatcher.IgnoreCase(new IgnoreCaseText(s), ValueMatcher.IgnoreCase.Mode.EQUALS);
            }
            case "wildcard": {
                String s = expectString("wildcard match pattern must be a string");
                Wildcard w = wildcard(s);
                endOfMatcher();
                return new ValueMatcher.WildcardMatch(w);
            }
            case "numeric":
                return parseNumeric();
            case "anything-but":
                return parseAnythingBut();
            case "exists": {
                JsonToken t = parser.nextToken();
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw fail("exists match pattern must be either true or false.");
                }
                endOfMatcher();
                return t == JsonToken.VALUE_TRUE ? new ValueMatcher.Exists() : null;
            }
            case "cidr": {
                // EventBridge really does say "prefix" here (spec 3.3.9).
                String s = expectString("prefix match pattern must be a string");
                IpRange range;
                try {
                    range = IpRange.parse(s);
                } catch (PatternSyntaxError e) {
                    throw fail(e.getMessage());
                }
                endOfMatcher();
                return new ValueMatcher.Cidr(range, s);
            }
            default:
                throw fail("Unrecognized match type " + op);
        }
    }

    private ValueMatcher parsePrefixOrSuffix(String op) throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.VALUE_STRING) {
            String s = parser.getText();
            endOfMatcher();
            return op.equals("prefix") ? new ValueMatcher.Prefix(s) : new ValueMatcher.Suffix(s);
        }
        if (t != JsonToken.START_OBJECT) {
            throw fail(op + " match pattern must be a string");
        }
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            throw fail("Match expression name not found");
        }
        String inner = parser.currentName();
        if (!inner.equals("equals-ignore-case")) {
            throw fail("Unsupported " + op + " pattern: " + inner);
        }
        String s = expectString("equals-ignore-case match pattern must be a string");
        endOfMatcher();
        endOfMatcher();
        return new ValueMatcher.IgnoreCase(new IgnoreCaseText(s),
                op.equals("prefix") ? ValueMatcher.IgnoreCase.Mode.PREFIX : ValueMatcher.IgnoreCase.Mode.SUFFIX);
    }

    private ValueMatcher parseNumeric() throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw fail("Value of numeric must be an array.");
        }
        int start = (int) parser.currentTokenLocation().getCharOffset();
        JsonToken t = parser.nextToken();
        if (t != JsonToken.VALUE_STRING) {
            throw fail("Invalid member in numeric match: " + parser.getText());
        }
        String op = parser.getText();
        t = parser.nextToken();
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        boolean lowIncl = false;
        boolean highIncl = false;
        switch (op) {
            case "=" -> {
                low = operand(t, "equals");
                high = low;
                lowIncl = true;
                highIncl = true;
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    throw fail("Too many elements in numeric expression");
                }
            }
            case "<", "<=" -> {
                high = operand(t, op);
                highIncl = op.equals("<=");
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    throw fail("Too many elements in numeric expression");
                }
            }
            case ">", ">=" -> {
                low = operand(t, op);
                lowIncl = op.equals(">=");
                t = parser.nextToken();
                if (t != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_STRING) {
                        throw fail("Bad value in numeric range: " + parser.getText());
                    }
                    String top = parser.getText();
                    if (!top.equals("<") && !top.equals("<=")) {
                        throw fail("Bad numeric range operator: " + top);
                    }
                    high = operand(parser.nextToken(), top);
                    highIncl = top.equals("<=");
                    if (parser.nextToken() != JsonToken.END_ARRAY) {
                        throw fail("Too many terms in numeric range expression");
                    }
                    if (!(low < high)) {
                        throw fail("Bottom must be less than top");
                    }
                }
            }
            default -> throw fail("Unrecognized numeric range operator: " + op);
        }
        String source = slice(start);
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw fail("Too many elements in numeric expression");
        }
        return new ValueMatcher.Numeric(low, lowIncl, high, highIncl, source);
    }

    private double operand(JsonToken t, String op) throws IOException {
        if (t == null || !t.isNumeric()) {
            throw fail("Value of " + op + " must be numeric");
        }
        return finite(parser.getText());
    }

    private double finite(String lexeme) throws IOException {
        double d = NumberText.parseSlow(lexeme);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw fail("Cannot compare number : " + lexeme);
        }
        return d == 0.0 ? 0.0 : d;
    }

    private ValueMatcher parseAnythingBut() throws IOException {
        JsonToken t = parser.nextToken();
        int start = (int) parser.currentTokenLocation().getCharOffset();
        ValueMatcher.AnythingBut.Kind kind;
        List<String> strings = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        if (t == JsonToken.START_OBJECT) {
            if (parser.nextToken() != JsonToken.FIELD_NAME) {
                throw fail("Anything-But expression name not found");
            }
            String inner = parser.currentName();
            switch (inner) {
                case "prefix", "suffix" -> {
                    strings.addAll(anythingButStrings("prefix/suffix match pattern must be a string", true));
                    for (String v : strings) {
                        if (v.isEmpty()) {
                            throw fail("Null prefix/suffix not allowed");
                        }
                    }
                    kind = inner.equals("prefix")
                            ? ValueMatcher.AnythingBut.Kind.PREFIX : ValueMatcher.AnythingBut.Kind.SUFFIX;
                }
                case "equals-ignore-case" -> {
                    strings.addAll(anythingButStrings(
                            "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                            false));
                    kind = ValueMatcher.AnythingBut.Kind.IGNORE_CASE;
                }
                case "wildcard" -> {
                    strings.addAll(anythingButStrings("wildcard match pattern must be a string", false));
                    for (String v : strings) {
                        wildcard(v);
                    }
                    kind = ValueMatcher.AnythingBut.Kind.WILDCARD;
                }
                default -> throw fail("Unsupported anything-but pattern: " + inner);
            }
            endOfMatcher();
        } else if (t == JsonToken.START_ARRAY) {
            JsonToken e;
            while ((e = parser.nextToken()) != JsonToken.END_ARRAY) {
                switch (e) {
                    case VALUE_STRING -> strings.add(parser.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> numbers.add(finite(parser.getText()));
                    default -> throw fail("Inside anything but list, start|null|boolean is not supported.");
                }
            }
            if (strings.isEmpty() == numbers.isEmpty()) {
                throw fail("Inside anything but list, either all values are number or string, "
                        + "mixed type is not supported");
            }
            kind = strings.isEmpty() ? ValueMatcher.AnythingBut.Kind.NUMBERS : ValueMatcher.AnythingBut.Kind.STRINGS;
        } else if (t == JsonToken.VALUE_STRING) {
            strings.add(parser.getText());
            kind = ValueMatcher.AnythingBut.Kind.STRINGS;
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            numbers.add(finite(parser.getText()));
            kind = ValueMatcher.AnythingBut.Kind.NUMBERS;
        } else {
            throw fail("Value of anything-but must be an array or single string/number value.");
        }
        String source = slice(start);
        endOfMatcher();
        return kind == ValueMatcher.AnythingBut.Kind.NUMBERS
                ? ValueMatcher.AnythingBut.numbers(numbers.stream().mapToDouble(Double::doubleValue).toArray(), source)
                : ValueMatcher.AnythingBut.strings(kind, strings, source);
    }

    /**
     * The operand of {@code anything-but}'s inner operator: one string, or (unless prefix/suffix are given an object)
     * a non-empty list of strings.
     */
    private List<String> anythingButStrings(String notAString, boolean prefixOrSuffix) throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.VALUE_STRING) {
            return List.of(parser.getText());
        }
        if (t == JsonToken.START_ARRAY) {
            List<String> values = new ArrayList<>();
            JsonToken e;
            while ((e = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (e != JsonToken.VALUE_STRING) {
                    throw fail(notAString);
                }
                values.add(parser.getText());
            }
            if (values.isEmpty()) {
                throw fail("Empty arrays are not allowed");
            }
            return values;
        }
        if (prefixOrSuffix && t == JsonToken.START_OBJECT) {
            throw fail("Value of anything-but must be an array or single string/number value.");
        }
        throw fail(notAString);
    }

    private Wildcard wildcard(String s) throws IOException {
        Wildcard w;
        try {
            w = Wildcard.parse(s);
        } catch (PatternSyntaxError e) {
            throw fail(e.getMessage());
        }
        if (w.complexity(limits.maxWildcardComplexity()) > limits.maxWildcardComplexity()) {
            throw fail("Rule is too complex - try using fewer wildcard characters or fewer repeating character "
                    + "sequences after a wildcard character");
        }
        return w;
    }

    private String expectString(String reason) throws IOException {
        if (parser.nextToken() != JsonToken.VALUE_STRING) {
            throw fail(reason);
        }
        return parser.getText();
    }

    private void endOfMatcher() throws IOException {
        if (parser.nextToken() != JsonToken.END_OBJECT) {
            throw fail("Only one key allowed in match expression");
        }
    }

    /** The pattern text from {@code start} to the end of the token just read, for explanations. */
    private String slice(int start) {
        int end = (int) parser.currentLocation().getCharOffset();
        return start >= 0 && end > start && end <= text.length() ? text.substring(start, end) : "";
    }

    private void enter() throws IOException {
        if (++depth > limits.maxNestingDepth()) {
            throw fail("Pattern nesting is deeper than the limit of " + limits.maxNestingDepth() + " levels");
        }
    }

    private InvalidEventPatternException fail(String reason) {
        JsonLocation loc = parser.currentLocation();
        return InvalidEventPatternException.invalid(reason, text, loc.getLineNr(), loc.getColumnNr());
    }
}
