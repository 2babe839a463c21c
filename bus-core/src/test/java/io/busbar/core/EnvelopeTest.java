package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-27T12:00:00Z");

    /**
     * Each start names the first byte of its member's value: a value parsed from there equals the member's, and the
     * members with a start are the envelope's members, in the layout's order.
     */
    private static void assertStartsNameTheValues(Envelope.Encoded e) throws Exception {
        JsonNode tree = JSON.readTree(new String(e.bytes(), 0, e.length(), StandardCharsets.UTF_8));
        List<String> present = new ArrayList<>();
        for (int k = 0; k < Envelope.LAYOUT.size(); k++) {
            String name = Envelope.LAYOUT.memberNames().get(k);
            int start = e.starts()[k];
            if (start < 0) {
                assertNull(tree.get(name), name);
                continue;
            }
            present.add(name);
            try (JsonParser p = JSON.getFactory().createParser(e.bytes(), start, e.length() - start)) {
                assertEquals(tree.get(name), JSON.readTree(p), name);
            }
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(names, present);
    }

    @Test
    void startsNameEachMembersValue() throws Exception {
        byte[] detail = "{\"a\":[1,{\"b\":\"\u00e9\\\"\"}],\"c\":null}".getBytes(StandardCharsets.UTF_8);
        assertStartsNameTheValues(Envelope.utf8("id-1", "Order \"Placed\"", "sh\u00f6p", "123456789012", T,
                "eu-west-1", null, List.of(), detail));
        assertStartsNameTheValues(Envelope.utf8("id-2", "T", "s\u2603", "1", T, "r", "my-replay",
                List.of("arn:a", "arn:\u00e9\\b"), detail));
        assertStartsNameTheValues(Envelope.utf8("id-3", "T\n", "s", "1", T, "r", null, List.of("x"),
                "{}".getBytes(StandardCharsets.UTF_8)));
    }
}
