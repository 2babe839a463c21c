package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutEventsResult;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PutEvents' shortcut: it reads only the common shape, leaves everything else to the general path, answers alike. */
class PutEventsJsonTest {
    private static List<PutEventsEntry> read(String body) {
        return PutEventsJson.read(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheCommonShape() {
        assertEquals(List.of(new PutEventsEntry("shop", "Order", "{\"a\":\"\u00e9\"}", List.of("r1", "r2"), null, "orders",
                        "Root=1"), new PutEventsEntry("shop", null, null, null, null, null, null)),
                read(" {\"Entries\": [{\"Source\":\"shop\",\"DetailType\":\"Order\",\"Detail\":\"{\\\"a\\\":\\\"\u00e9\\\"}\","
                        + "\"Resources\":[\"r1\",\"r2\"],\"EventBusName\":\"orders\",\"TraceHeader\":\"Root=1\"},"
                        + "{\"Source\":\"shop\"}]} "));
        assertEquals(List.of(), read("{\"Entries\":[]}"));
        assertEquals(List.of(new PutEventsEntry("b", null, null, null, null, null, null)),
                read("{\"Entries\":[{\"Source\":\"a\",\"Source\":\"b\"}]}"));
    }

    @Test
    void leavesEverythingElseToTheGeneralPath() {
        for (String body : List.of("", "[]", "{}", "{\"Entries\":{}}", "{\"Entries\":[1]}", "{\"Entries\":null}",
                "{\"Entries\":[{\"Source\":null}]}", "{\"Entries\":[{\"Source\":1}]}",
                "{\"Entries\":[{\"Time\":1700000000}]}", "{\"Entries\":[{\"source\":\"a\"}]}",
                "{\"Entries\":[{\"Resources\":\"r\"}]}", "{\"Entries\":[{\"Resources\":[1]}]}",
                "{\"Entries\":[{\"Detail\":{}}]}", "{\"Entries\":[],\"EndpointId\":\"e\"}", "{\"Entries\":[]}x",
                "{\"Entries\":[]} {}", "{\"Entries\":[],\"Entries\":[]}", "{\"Entries\":[{\"Source\":\"a\"}",
                "{\"Other\":1,\"Entries\":[]}")) {
            assertNull(read(body), body);
        }
    }

    @Test
    void answersAsTheTreeDoes() throws Exception {
        PutEventsResult result = new PutEventsResult(1, List.of(new PutEventsResult.Entry("id-1", null, null),
                new PutEventsResult.Entry(null, "MalformedDetail", "Detail is \"malformed\".")));
        assertArrayEquals(Json.MAPPER.writeValueAsBytes(EventOperations.output(result)), PutEventsJson.write(result));
    }
}
