package io.busbar.targets.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;

/**
 * Turns a payload into exactly one line of JSON: a payload that is one JSON value is kept as written (its numbers
 * and key order untouched), with line breaks turned into spaces; anything else is written as a JSON string.
 *
 * <p>Why line breaks can simply become spaces: a JSON text has no raw line break inside a string (the parser
 * refuses unescaped control characters), so every CR or LF in a valid payload is whitespace between tokens.
 * Thread-safe.
 */
final class JsonLine {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonLine() {
    }

    static String of(String payload) {
        if (isOneJsonValue(payload)) {
            return payload.strip().replace('\r', ' ').replace('\n', ' ');
        }
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(payload)) + '"';
    }

    /** Streams the tokens without building a tree: one root value and nothing after it. */
    static boolean isOneJsonValue(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
