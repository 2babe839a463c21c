package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.Page;
import io.busbar.core.PutTargetsResult;
import io.busbar.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** PutTargets, RemoveTargets, ListTargetsByRule (spec 5.1, 5.2). */
final class TargetOperations implements OperationGroup {
    private final Busbar busbar;

    TargetOperations(Busbar busbar) {
        this.busbar = busbar;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("PutTargets", this::putTargets);
        r.control("RemoveTargets", this::removeTargets);
        r.control("ListTargetsByRule", this::listTargetsByRule);
    }

    private JsonNode putTargets(Shape in) {
        String rule = in.required("Rule", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        if (!in.has("Targets")) {
            in.missing("Targets");
        }
        List<Supplier<Target>> read = new ArrayList<>();
        for (Shape t : in.objects("Targets")) {
            read.add(TargetMapping.read(t));
        }
        in.validate();
        List<Target> targets = read.stream().map(Supplier::get).toList();
        return write(busbar.putTargets(bus, rule, targets));
    }

    private JsonNode removeTargets(Shape in) {
        String rule = in.required("Rule", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        List<String> ids = in.strings("Ids");
        if (ids == null) {
            in.missing("Ids");
        }
        in.bool("Force");
        in.validate();
        return write(busbar.removeTargets(bus, rule, ids));
    }

    private static ObjectNode write(PutTargetsResult result) {
        ObjectNode out = Json.object();
        out.put("FailedEntryCount", result.failedEntryCount());
        ArrayNode failed = out.putArray("FailedEntries");
        for (PutTargetsResult.Failure f : result.failedEntries()) {
            ObjectNode o = failed.addObject();
            o.put("TargetId", f.targetId());
            o.put("ErrorCode", f.errorCode());
            o.put("ErrorMessage", f.errorMessage());
        }
        return out;
    }

    private JsonNode listTargetsByRule(Shape in) {
        String rule = in.required("Rule", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        Page<Target> page = Pages.page(busbar.listTargetsByRule(bus, rule), limit, token);
        ObjectNode out = Json.object();
        ArrayNode targets = out.putArray("Targets");
        page.items().forEach(t -> targets.add(TargetMapping.write(t)));
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }
}
