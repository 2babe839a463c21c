package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.EventBus;
import io.busbar.core.Page;
import java.util.Map;

/** CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus (spec 8.1). */
final class BusOperations implements OperationGroup {
    private final Busbar busbar;
    private final TagStore tags;

    BusOperations(Busbar busbar, TagStore tags) {
        this.busbar = busbar;
        this.tags = tags;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("CreateEventBus", this::createEventBus);
        r.control("DescribeEventBus", this::describeEventBus);
        r.control("ListEventBuses", this::listEventBuses);
        r.control("DeleteEventBus", this::deleteEventBus);
    }

    private JsonNode createEventBus(Shape in) {
        String name = in.required("Name", 1, 256, Models.BUS_NAME);
        String description = in.string("Description", 0, 512, null);
        in.string("EventSourceName", 1, 256, null);
        in.string("KmsKeyIdentifier", 0, 2048, null);
        Map<String, String> newTags = TagOperations.readTags(in, "Tags");
        in.validate();
        EventBus bus = busbar.createEventBus(name, description);
        tags.put(bus.arn(), newTags);
        ObjectNode out = Json.object();
        out.put("EventBusArn", bus.arn());
        Json.putIfPresent(out, "Description", bus.description());
        return out;
    }

    private JsonNode describeEventBus(Shape in) {
        String name = in.string("Name", 1, 1600, Models.BUS_NAME_OR_ARN);
        in.validate();
        return write(busbar.describeEventBus(name));
    }

    /** The bus has no update operation, so it was last modified when it was created. */
    private static ObjectNode write(EventBus bus) {
        ObjectNode o = Json.object();
        o.put("Name", bus.name());
        o.put("Arn", bus.arn());
        Json.putIfPresent(o, "Description", bus.description());
        o.set("CreationTime", Json.timestamp(bus.created()));
        o.set("LastModifiedTime", Json.timestamp(bus.created()));
        return o;
    }

    private JsonNode listEventBuses(Shape in) {
        String prefix = in.string("NamePrefix", 1, 256, Models.BUS_NAME);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        Page<EventBus> page = Pages.page(busbar.listEventBuses(prefix), limit, token);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("EventBuses");
        page.items().forEach(b -> list.add(write(b)));
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }

    private JsonNode deleteEventBus(Shape in) {
        String name = in.required("Name", 1, 256, Models.BUS_NAME);
        in.validate();
        busbar.deleteEventBus(name);
        tags.drop(busbar.busArn(name));
        return Json.object();
    }
}
