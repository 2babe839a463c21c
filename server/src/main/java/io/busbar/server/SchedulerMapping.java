package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.DeadLetterConfig;
import io.busbar.core.RetryPolicy;
import io.busbar.core.scheduler.ActionAfterCompletion;
import io.busbar.core.scheduler.EventBridgeParameters;
import io.busbar.core.scheduler.FlexibleTimeWindow;
import io.busbar.core.scheduler.ScheduleDetails;
import io.busbar.core.scheduler.ScheduleGroup;
import io.busbar.core.scheduler.ScheduleRequest;
import io.busbar.core.scheduler.ScheduleState;
import io.busbar.core.scheduler.ScheduleTarget;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Scheduler's REST-JSON shapes (SCHEDULER 5): request bodies to core values and core values to response bodies.
 * Members are PascalCase as in the model, timestamps are epoch seconds (a number, millisecond fraction), absent
 * optional members are omitted, defaults (time zone, state, retry policy, action) are written out.
 */
final class SchedulerMapping {
    /** Target members passed on to the target as JSON text, keyed by member name. */
    private static final List<String> FAMILY_PARAMETERS = List.of("SqsParameters", "KinesisParameters",
            "EcsParameters", "SageMakerPipelineParameters");

    private SchedulerMapping() {
    }

    static ScheduleRequest scheduleRequest(String name, JsonNode body) {
        ObjectNode b = object(body, "body");
        return new ScheduleRequest(name, string(b, "GroupName"), string(b, "ScheduleExpression"),
                string(b, "ScheduleExpressionTimezone"), timestamp(b, "StartDate"), timestamp(b, "EndDate"),
                window(b.get("FlexibleTimeWindow")), enumValue(b, "State", ScheduleState.class),
                enumValue(b, "ActionAfterCompletion", ActionAfterCompletion.class), string(b, "Description"),
                string(b, "KmsKeyArn"), target(b.get("Target")));
    }

    private static FlexibleTimeWindow window(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode w = object(node, "FlexibleTimeWindow");
        return new FlexibleTimeWindow(enumValue(w, "Mode", FlexibleTimeWindow.Mode.class),
                integer(w, "MaximumWindowInMinutes"));
    }

    private static ScheduleTarget target(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        ObjectNode t = object(node, "Target");
        RetryPolicy retry = null;
        if (t.hasNonNull("RetryPolicy")) {
            ObjectNode r = object(t.get("RetryPolicy"), "RetryPolicy");
            Integer attempts = integer(r, "MaximumRetryAttempts");
            Integer age = integer(r, "MaximumEventAgeInSeconds");
            retry = new RetryPolicy(attempts == null ? RetryPolicy.DEFAULT.maximumRetryAttempts() : attempts,
                    age == null ? RetryPolicy.DEFAULT.maximumEventAgeInSeconds() : age);
        }
        DeadLetterConfig dlq = null;
        if (t.hasNonNull("DeadLetterConfig")) {
            String arn = string(object(t.get("DeadLetterConfig"), "DeadLetterConfig"), "Arn");
            dlq = arn == null ? null : new DeadLetterConfig(arn);
        }
        EventBridgeParameters bus = null;
        if (t.hasNonNull("EventBridgeParameters")) {
            ObjectNode e = object(t.get("EventBridgeParameters"), "EventBridgeParameters");
            bus = new EventBridgeParameters(string(e, "DetailType"), string(e, "Source"));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String member : FAMILY_PARAMETERS) {
            if (t.hasNonNull(member)) {
                parameters.put(member, Json.compact(object(t.get(member), member)));
            }
        }
        return new ScheduleTarget(string(t, "Arn"), string(t, "RoleArn"), string(t, "Input"), retry, dlq, bus,
                parameters);
    }

    static Map<String, String> tags(JsonNode body) {
        if (body == null || !body.hasNonNull("Tags")) {
            return Map.of();
        }
        JsonNode list = body.get("Tags");
        if (!list.isArray()) {
            throw invalid("Tags: " + list + " (expected: a list of {\"Key\",\"Value\"})");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : list) {
            ObjectNode o = object(tag, "Tags");
            String key = string(o, "Key");
            String value = string(o, "Value");
            if (key == null || key.isEmpty() || key.length() > 128 || value == null || value.isEmpty()
                    || value.length() > 256) {
                throw invalid("Tags: " + tag + " (expected: Key of 1-128 and Value of 1-256 characters)");
            }
            tags.put(key, value);
        }
        return tags;
    }

    // ---------------------------------------------------------------- output

    static ObjectNode schedule(ScheduleDetails d) {
        ScheduleRequest r = d.definition();
        ObjectNode o = Json.object();
        o.put("ActionAfterCompletion", r.actionAfterCompletion().name());
        o.put("Arn", d.arn());
        o.set("CreationDate", Json.timestamp(d.creationDate()));
        Json.putIfPresent(o, "Description", r.description());
        if (r.endDate() != null) {
            o.set("EndDate", Json.timestamp(r.endDate()));
        }
        ObjectNode w = o.putObject("FlexibleTimeWindow");
        w.put("Mode", r.flexibleTimeWindow().mode().name());
        if (r.flexibleTimeWindow().maximumWindowInMinutes() != null) {
            w.put("MaximumWindowInMinutes", r.flexibleTimeWindow().maximumWindowInMinutes());
        }
        o.put("GroupName", r.groupName());
        Json.putIfPresent(o, "KmsKeyArn", r.kmsKeyArn());
        o.set("LastModificationDate", Json.timestamp(d.lastModificationDate()));
        o.put("Name", r.name());
        o.put("ScheduleExpression", r.scheduleExpression());
        o.put("ScheduleExpressionTimezone", r.scheduleExpressionTimezone());
        if (r.startDate() != null) {
            o.set("StartDate", Json.timestamp(r.startDate()));
        }
        o.put("State", r.state().name());
        o.set("Target", target(r.target()));
        return o;
    }

    private static ObjectNode target(ScheduleTarget t) {
        ObjectNode o = Json.object();
        o.put("Arn", t.arn());
        if (t.deadLetterConfig() != null) {
            o.putObject("DeadLetterConfig").put("Arn", t.deadLetterConfig().arn());
        }
        if (t.eventBridgeParameters() != null) {
            o.putObject("EventBridgeParameters").put("DetailType", t.eventBridgeParameters().detailType())
                    .put("Source", t.eventBridgeParameters().source());
        }
        Json.putIfPresent(o, "Input", t.input());
        o.putObject("RetryPolicy").put("MaximumEventAgeInSeconds", t.retryPolicy().maximumEventAgeInSeconds())
                .put("MaximumRetryAttempts", t.retryPolicy().maximumRetryAttempts());
        o.put("RoleArn", t.roleArn());
        for (Map.Entry<String, String> p : t.parameters().entrySet()) {
            try {
                o.set(p.getKey(), Json.MAPPER.readTree(p.getValue()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored target parameters are not JSON", e);
            }
        }
        return o;
    }

    static ObjectNode scheduleSummary(ScheduleDetails d) {
        ObjectNode o = Json.object();
        o.put("Arn", d.arn());
        o.set("CreationDate", Json.timestamp(d.creationDate()));
        o.put("GroupName", d.groupName());
        o.set("LastModificationDate", Json.timestamp(d.lastModificationDate()));
        o.put("Name", d.name());
        o.put("State", d.definition().state().name());
        o.putObject("Target").put("Arn", d.definition().target().arn());
        return o;
    }

    static ObjectNode group(ScheduleGroup g) {
        ObjectNode o = Json.object();
        o.put("Arn", g.arn());
        o.set("CreationDate", Json.timestamp(g.creationDate()));
        o.set("LastModificationDate", Json.timestamp(g.lastModificationDate()));
        o.put("Name", g.name());
        o.put("State", g.state());
        return o;
    }

    static ObjectNode list(String member, List<ObjectNode> items, String nextToken) {
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray(member);
        items.forEach(a::add);
        Json.putIfPresent(o, "NextToken", nextToken);
        return o;
    }

    // ---------------------------------------------------------------- readers

    private static ObjectNode object(JsonNode node, String member) {
        if (node == null || node.isNull()) {
            return Json.object();
        }
        if (!(node instanceof ObjectNode o)) {
            throw invalid(member + ": " + node + " (expected: a JSON object)");
        }
        return o;
    }

    private static String string(ObjectNode o, String member) {
        JsonNode v = o.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(member + ": " + v + " (expected: a string)");
        }
        return v.asText();
    }

    private static Integer integer(ObjectNode o, String member) {
        JsonNode v = o.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw invalid(member + ": " + v + " (expected: an integer)");
        }
        return v.intValue();
    }

    private static Instant timestamp(ObjectNode o, String member) {
        JsonNode v = o.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw invalid(member + ": " + v + " (expected: epoch seconds, a number)");
        }
        BigDecimal seconds = v.decimalValue();
        return Instant.ofEpochSecond(0).plusMillis(seconds.movePointRight(3).longValue());
    }

    private static <E extends Enum<E>> E enumValue(ObjectNode o, String member, Class<E> type) {
        String v = string(o, member);
        if (v == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            StringBuilder values = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                values.append(values.length() == 0 ? "" : ", ").append(c.name());
            }
            throw invalid("1 validation error detected: Value '" + v + "' at '" + Character.toLowerCase(
                    member.charAt(0)) + member.substring(1) + "' failed to satisfy constraint: Member must satisfy "
                    + "enum value set: [" + values + "]");
        }
    }

    static ApiException invalid(String message) {
        return ApiException.validation(message);
    }
}
