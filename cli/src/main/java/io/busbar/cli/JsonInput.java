package io.busbar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the JSON the commands take: an option value that is inline JSON or {@code @file}, and JSON-lines files
 * ({@code -} for standard input). Problems are {@link BadInput}s that name the option (and the line).
 */
final class JsonInput {
    /** With the source in error locations, rather than Jackson 2.16's {@code REDACTED}: the user's own input. */
    static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build());

    /** Input that cannot be used; the commands print the message and exit 2. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    /** One numbered line of a JSON-lines input. */
    record Line(int number, String text) {
    }

    private JsonInput() {
    }

    /** The option's text: the value itself, or the content of the file after {@code @}. */
    static String text(String option, String value) {
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BadInput(option + ": cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
        return value;
    }

    /** The non-blank lines of a file ({@code -}: standard input). */
    static List<Line> lines(String option, String file, InputStream stdin) {
        String text;
        try {
            text = file.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInput(option + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                out.add(new Line(i + 1, lines[i]));
            }
        }
        return out;
    }

    static JsonNode parse(String where, String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new BadInput(where + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Checks that {@code text} is exactly one JSON object, nothing after it. */
    static void requireObject(String where, String text) {
        JsonNode n;
        try {
            n = MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text);
        } catch (IOException e) {
            throw new BadInput(where + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (n == null || !n.isObject()) {
            throw new BadInput(where + ": the event is not a JSON object");
        }
    }

    /** A pattern or event member given as JSON text (a string) or as the JSON itself. */
    static String jsonText(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
