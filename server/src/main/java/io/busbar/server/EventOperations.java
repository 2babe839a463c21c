package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutEventsResult;
import java.util.ArrayList;
import java.util.List;

/** PutEvents and TestEventPattern (spec 1, 3.8). Both run on the event loop: neither blocks. */
final class EventOperations implements OperationGroup {
    private final Busbar busbar;

    EventOperations(Busbar busbar) {
        this.busbar = busbar;
    }

    @Override
    public void register(Operations.Registry r) {
        r.async("PutEvents", this::putEvents, this::putEventsShortcut);
        r.onEventLoop("TestEventPattern", this::testEventPattern);
    }

    /**
     * Entries are passed to the bus as given: missing or malformed members are answered per entry (spec 1.3), so
     * only the JSON types are checked here.
     */
    java.util.concurrent.CompletionStage<JsonNode> putEvents(Shape in) {
        if (!in.has("Entries")) {
            in.missing("Entries");
        }
        in.string("EndpointId", 1, 50, null); // global endpoints: accepted and ignored (spec 8.4)
        List<PutEventsEntry> entries = new ArrayList<>();
        for (Shape e : in.objects("Entries")) {
            entries.add(new PutEventsEntry(e.string("Source"), e.string("DetailType"), e.string("Detail"),
                    e.strings("Resources"), e.timestamp("Time"), e.string("EventBusName"), e.string("TraceHeader")));
        }
        in.validate();
        return busbar.putEventsAsync(entries).thenApply(EventOperations::output);
    }

    /** The common case of PutEvents without JSON trees ({@link PutEventsJson}); null leaves it to the general path. */
    java.util.concurrent.CompletionStage<byte[]> putEventsShortcut(io.netty.buffer.ByteBuf body) {
        List<PutEventsEntry> entries = PutEventsJson.read(body);
        return entries == null ? null : busbar.putEventsAsync(entries).thenApply(PutEventsJson::write);
    }

    static JsonNode output(PutEventsResult result) {
        ObjectNode out = Json.object();
        out.put("FailedEntryCount", result.failedEntryCount());
        ArrayNode list = out.putArray("Entries");
        for (PutEventsResult.Entry e : result.entries()) {
            ObjectNode o = list.addObject();
            if (e.failed()) {
                o.put("ErrorCode", e.errorCode());
                o.put("ErrorMessage", e.errorMessage());
            } else {
                o.put("EventId", e.eventId());
            }
        }
        return out;
    }

    JsonNode testEventPattern(Shape in) {
        String pattern = in.string("EventPattern");
        if (pattern == null) {
            in.missing("EventPattern");
        }
        String event = in.string("Event");
        if (event == null) {
            in.missing("Event");
        }
        in.validate();
        ObjectNode out = Json.object();
        out.put("Result", busbar.testEventPattern(pattern, event));
        return out;
    }
}
