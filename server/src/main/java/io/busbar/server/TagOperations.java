package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TagResource, UntagResource, ListTagsForResource. Rules and event buses can be tagged, as in EventBridge; an ARN
 * that names neither an existing rule nor an existing bus of this account and region is
 * {@code ResourceNotFoundException}.
 */
final class TagOperations implements OperationGroup {
    private static final Pattern RULE = Pattern.compile("rule/(?:([/.\\-_A-Za-z0-9]+)/)?([.\\-_A-Za-z0-9]+)");
    private static final Pattern BUS = Pattern.compile("event-bus/([/.\\-_A-Za-z0-9]+)");

    private final Busbar busbar;
    private final TagStore tags;

    TagOperations(Busbar busbar, TagStore tags) {
        this.busbar = busbar;
        this.tags = tags;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("TagResource", this::tagResource);
        r.control("UntagResource", this::untagResource);
        r.control("ListTagsForResource", this::listTagsForResource);
    }

    /** A {@code Tags} member: a list of {@code {Key, Value}}; empty when absent. */
    static Map<String, String> readTags(Shape in, String member) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Shape t : in.objects(member)) {
            t.onlyMembers(List.of("Key", "Value"));
            String key = t.required("Key", 1, 128, null);
            String value = t.required("Value", 0, 256, null);
            if (key != null && value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private JsonNode tagResource(Shape in) {
        String arn = in.required("ResourceARN", 1, 1600, null);
        if (!in.has("Tags")) {
            in.missing("Tags");
        }
        Map<String, String> added = readTags(in, "Tags");
        in.validate();
        tags.put(resolve(arn), added);
        return Json.object();
    }

    private JsonNode untagResource(Shape in) {
        String arn = in.required("ResourceARN", 1, 1600, null);
        List<String> keys = in.strings("TagKeys");
        if (keys == null) {
            in.missing("TagKeys");
        }
        in.validate();
        tags.remove(resolve(arn), keys);
        return Json.object();
    }

    private JsonNode listTagsForResource(Shape in) {
        String arn = in.required("ResourceARN", 1, 1600, null);
        in.validate();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Tags");
        tags.get(resolve(arn)).forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
        return out;
    }

    /** The ARN of an existing rule or bus, as the bus spells it; throws ResourceNotFoundException otherwise. */
    private String resolve(String arn) {
        String prefix = "arn:aws:events:" + busbar.region() + ":" + busbar.account() + ":";
        if (arn.startsWith(prefix)) {
            String resource = arn.substring(prefix.length());
            Matcher m = BUS.matcher(resource);
            if (m.matches()) {
                return busbar.describeEventBus(m.group(1)).arn();
            }
            m = RULE.matcher(resource);
            if (m.matches()) {
                return busbar.describeRule(m.group(1), m.group(2)).arn();
            }
        }
        throw ApiException.badRequest(ApiException.NOT_FOUND, "Resource " + arn + " does not exist.");
    }
}
