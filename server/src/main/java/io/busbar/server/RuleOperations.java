package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.BusbarException;
import io.busbar.core.Page;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Rule;
import io.busbar.core.RuleState;
import java.util.List;
import java.util.Map;

/** PutRule, DescribeRule, DeleteRule, ListRules, EnableRule, DisableRule, ListRuleNamesByTarget (spec 4). */
final class RuleOperations implements OperationGroup {
    private final Busbar busbar;
    private final TagStore tags;

    RuleOperations(Busbar busbar, TagStore tags) {
        this.busbar = busbar;
        this.tags = tags;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("PutRule", this::putRule);
        r.control("DescribeRule", this::describeRule);
        r.control("DeleteRule", this::deleteRule);
        r.control("ListRules", this::listRules);
        r.control("EnableRule", in -> setState(in, true));
        r.control("DisableRule", in -> setState(in, false));
        r.control("ListRuleNamesByTarget", this::listRuleNamesByTarget);
    }

    /** Reads PutRule's members (the API's and a configuration file's rules alike). */
    static PutRuleRequest readPutRule(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        String pattern = in.jsonText("EventPattern");
        if (pattern != null && pattern.length() > 4096) {
            in.constraint("EventPattern", pattern, "Member must have length less than or equal to 4096");
        }
        String schedule = in.string("ScheduleExpression", 0, 256, null);
        String state = in.enumValue("State", false, Models.RULE_STATES);
        String description = in.string("Description", 0, 512, null);
        String roleArn = in.string("RoleArn", 1, 1600, null);
        return new PutRuleRequest(name, bus, pattern, schedule, state == null ? null : RuleState.parse(state),
                description, roleArn);
    }

    private JsonNode putRule(Shape in) {
        PutRuleRequest request = readPutRule(in);
        Map<String, String> newTags = TagOperations.readTags(in, "Tags");
        in.validate();
        boolean existed = exists(request.eventBusName(), request.name());
        Rule rule = busbar.putRule(request);
        if (!existed) {
            tags.put(rule.arn(), newTags); // PutRule ignores Tags when it updates a rule (spec 4.1)
        }
        ObjectNode out = Json.object();
        out.put("RuleArn", rule.arn());
        return out;
    }

    private boolean exists(String bus, String name) {
        try {
            busbar.describeRule(bus, name);
            return true;
        } catch (BusbarException e) {
            return false;
        }
    }

    private JsonNode describeRule(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        in.validate();
        ObjectNode out = write(busbar.describeRule(bus, name));
        out.put("CreatedBy", busbar.account());
        return out;
    }

    /** A rule as DescribeRule and ListRules show it: members not set are left out. */
    static ObjectNode write(Rule rule) {
        ObjectNode o = Json.object();
        o.put("Name", rule.name());
        o.put("Arn", rule.arn());
        Json.putIfPresent(o, "EventPattern", rule.eventPattern());
        Json.putIfPresent(o, "ScheduleExpression", rule.scheduleExpression());
        o.put("State", rule.state().name());
        Json.putIfPresent(o, "Description", rule.description());
        Json.putIfPresent(o, "RoleArn", rule.roleArn());
        o.put("EventBusName", rule.eventBusName());
        return o;
    }

    private JsonNode deleteRule(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        in.bool("Force");
        in.validate();
        String arn = null;
        try {
            arn = busbar.describeRule(bus, name).arn();
        } catch (BusbarException e) {
            if (!e.getMessage().startsWith("Rule ")) {
                throw e; // an unknown bus is an error; an unknown rule is not (DeleteRule is idempotent)
            }
        }
        busbar.deleteRule(bus, name);
        if (arn != null) {
            tags.drop(arn);
        }
        return Json.object();
    }

    private JsonNode listRules(Shape in) {
        String prefix = in.string("NamePrefix", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        Page<Rule> page = busbar.listRules(bus, prefix, limit, token);
        ObjectNode out = Json.object();
        ArrayNode rules = out.putArray("Rules");
        page.items().forEach(r -> rules.add(write(r)));
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }

    private JsonNode setState(Shape in, boolean enable) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String bus = Models.eventBusName(in);
        in.validate();
        if (enable) {
            busbar.enableRule(bus, name);
        } else {
            busbar.disableRule(bus, name);
        }
        return Json.object();
    }

    private JsonNode listRuleNamesByTarget(Shape in) {
        String targetArn = in.required("TargetArn", 1, 1600, null);
        String bus = Models.eventBusName(in);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        List<String> names = busbar.listRuleNamesByTarget(bus, targetArn);
        Page<String> page = Pages.page(names, limit, token);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("RuleNames");
        page.items().forEach(list::add);
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }
}
