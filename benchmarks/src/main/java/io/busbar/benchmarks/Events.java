package io.busbar.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Events held in memory in both forms the engines take: UTF-8 bytes for busbar ({@code RuleSet.match(byte[])}) and
 * text for event-ruler ({@code rulesForJSONEvent(String)}). Both are made once, before measuring, so neither engine
 * pays for a conversion the other is spared.
 */
final class Events {
    private final byte[][] utf8;
    private final String[] text;

    Events(List<String> jsonEvents) {
        if (jsonEvents.isEmpty()) {
            throw new IllegalArgumentException("jsonEvents: [] (expected: at least one event)");
        }
        text = jsonEvents.toArray(new String[0]);
        utf8 = new byte[text.length][];
        for (int i = 0; i < text.length; i++) {
            utf8[i] = text[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    int size() {
        return text.length;
    }

    byte[] utf8(int index) {
        return utf8[index];
    }

    String text(int index) {
        return text[index];
    }
}
