package io.busbar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code busbar schema infer} and {@code busbar schema validate}: output and exit codes. */
class SchemaCommandTest {
    static String event(String detailType, String detail) {
        return "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"" + detailType + "\",\"source\":\"shop\","
                + "\"account\":\"123456789012\",\"time\":\"2024-01-01T00:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
    }

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void inferPrintsOneDocumentPerEventType() throws Exception {
        Path events = file("e.jsonl", event("Order Placed", "{\"id\":1,\"note\":\"a\"}") + "\n"
                + event("Order Placed", "{\"id\":2.5}") + "\n" + event("Order Shipped", "{\"at\":\"x\"}") + "\n");
        BusbarCommandTest.Result r = BusbarCommandTest.run("schema", "infer", "--events", events.toString());
        assertEquals(0, r.exit(), r.err());
        String[] docs = r.out().split("\n");
        assertEquals(2, docs.length);
        JsonNode placed = JsonInput.MAPPER.readTree(docs[0]);
        assertEquals("OrderPlaced", placed.at("/info/title").asText());
        assertEquals("number", placed.at("/components/schemas/OrderPlaced/properties/id/type").asText());
        assertEquals("[\"id\"]", placed.at("/components/schemas/OrderPlaced/required").toString());
        assertEquals("OrderShipped", JsonInput.MAPPER.readTree(docs[1]).at("/info/title").asText());
    }

    @Test
    void inferRejectsInvalidEvents() throws Exception {
        BusbarCommandTest.Result r = BusbarCommandTest.run("schema", "infer", "--events",
                file("bad.jsonl", "{not json}\n").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("--events line 1"), r.err());
    }

    @Test
    void validateSaysWhichEventsDoNotFitAndWhy() throws Exception {
        Path good = file("good.jsonl", event("Order Placed", "{\"id\":1,\"lines\":[{\"sku\":\"a\"}]}") + "\n");
        BusbarCommandTest.Result inferred = BusbarCommandTest.run("schema", "infer", "--events", good.toString());
        Path schema = file("schema.json", inferred.out().trim());
        Path events = file("events.jsonl", event("Order Placed", "{\"id\":2,\"lines\":[{\"sku\":\"b\"}]}") + "\n"
                + event("Order Placed", "{\"id\":\"three\",\"lines\":[{}]}") + "\n");
        BusbarCommandTest.Result r = BusbarCommandTest.run("schema", "validate", "--schema", schema.toString(),
                "--events", events.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("line 2: does not fit\n"
                + "  $.detail.id: a string (expected: integer)\n"
                + "  $.detail.lines[0]: missing required property \"sku\"\n"
                + "1 of 2 events fit\n", r.out());

        BusbarCommandTest.Result ok = BusbarCommandTest.run("schema", "validate", "--schema", schema.toString(),
                "--events", good.toString());
        assertEquals(0, ok.exit());
        assertEquals("1 of 1 events fit\n", ok.out());

        BusbarCommandTest.Result badSchema = BusbarCommandTest.run("schema", "validate", "--schema",
                file("s.json", "[1]").toString(), "--events", good.toString());
        assertEquals(2, badSchema.exit());
    }
}
