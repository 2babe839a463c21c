package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.EventBus;
import io.busbar.core.Page;
import java.util.List;
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
        String eventSource = in.string("EventSourceName", 1, 256, null);
        String kms = in.string("KmsKeyIdentifier", 0, 2048, null);
        Shape dlq = in.object("DeadLetterConfig");
        String dlqArn = dlq == null ? null : dlq.string("Arn", 1, 1600, null);
        Shape log = in.object("LogConfig");
        String includeDetail = log == null ? null : log.enumValue("IncludeDetail", false, List.of("NONE", "FULL"));
        String level = log == null ? null : log.enumValue("Level", false, List.of("OFF", "ERROR", "INFO", "TRACE"));
        Map<String, String> newTags = TagOperations.readTags(in, "Tags");
        in.validate();
        if (eventSource != null) {
            throw ApiException.badRequest("OperationDisabledException", "Partner event buses (EventSourceName) are"
                    + " not available in Busbar.");
        }
        EventBus bus = busbar.createEventBus(name, description, new EventBus.Options(kms, dlqArn, includeDetail,
                level));
        tags.put(bus.arn(), newTags);
        ObjectNode out = Json.object();
        out.put("EventBusArn", bus.arn());
        Json.putIfPresent(out, "Description", bus.description());
        writeOptions(out, bus.options());
        return out;
    }

    /** The optional settings, as CreateEventBus and DescribeEventBus show them (ListEventBuses' items have none). */
    private static void writeOptions(ObjectNode out, EventBus.Options o) {
        Json.putIfPresent(out, "KmsKeyIdentifier", o.kmsKeyIdentifier());
        if (o.deadLetterArn() != null) {
            out.putObject("DeadLetterConfig").put("Arn", o.deadLetterArn());
        }
        if (o.hasLogConfig()) {
            ObjectNode log = out.putObject("LogConfig");
            Json.putIfPresent(log, "IncludeDetail", o.logIncludeDetail());
            Json.putIfPresent(log, "Level", o.logLevel());
        }
    }

    private JsonNode describeEventBus(Shape in) {
        String name = in.string("Name", 1, 1600, Models.BUS_NAME_OR_ARN);
        in.validate();
        EventBus bus = busbar.describeEventBus(name);
        ObjectNode out = write(bus);
        writeOptions(out, bus.options());
        return out;
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
