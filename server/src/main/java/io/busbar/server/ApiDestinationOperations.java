package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.ApiDestination;
import io.busbar.core.Busbar;
import io.busbar.core.Page;

/**
 * CreateApiDestination, DescribeApiDestination, UpdateApiDestination, DeleteApiDestination, ListApiDestinations
 * (spec 6.2).
 */
final class ApiDestinationOperations implements OperationGroup {
    private final Busbar busbar;

    ApiDestinationOperations(Busbar busbar) {
        this.busbar = busbar;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("CreateApiDestination", this::createApiDestination);
        r.control("DescribeApiDestination", this::describeApiDestination);
        r.control("UpdateApiDestination", this::updateApiDestination);
        r.control("DeleteApiDestination", this::deleteApiDestination);
        r.control("ListApiDestinations", this::listApiDestinations);
    }

    /**
     * Reads CreateApiDestination's members and creates it. A configuration file may name the connection by
     * {@code connection} (its name) instead of {@code connectionArn}.
     */
    static ApiDestination create(Busbar busbar, Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String description = in.string("Description", 0, 512, null);
        String connectionArn = in.string("ConnectionArn", 1, 1600, null);
        if (connectionArn == null && in.isConfig() && in.has("Connection")) {
            String connection = in.string("Connection");
            try {
                connectionArn = busbar.describeConnection(connection).arn();
            } catch (RuntimeException e) {
                throw in.problem("Connection", e);
            }
        } else if (connectionArn == null) {
            in.missing("ConnectionArn");
        }
        String endpoint = in.required("InvocationEndpoint", 1, 2048, null);
        String method = in.enumValue("HttpMethod", true, Models.HTTP_METHODS);
        Integer rate = in.integer("InvocationRateLimitPerSecond", 1, null);
        in.validate();
        try {
            return busbar.createApiDestination(name, description, connectionArn, endpoint, method, rate);
        } catch (RuntimeException e) {
            // the bus names the member it refused first in its message (invocationEndpoint: ...)
            String m = String.valueOf(e.getMessage());
            String member = m.startsWith("invocationEndpoint") ? "InvocationEndpoint"
                    : m.startsWith("httpMethod") ? "HttpMethod" : m.contains("onnection") ? "ConnectionArn" : "Name";
            throw in.problem(member, e);
        }
    }

    private JsonNode createApiDestination(Shape in) {
        return summary(create(busbar, in));
    }

    private static ObjectNode summary(ApiDestination d) {
        ObjectNode out = Json.object();
        out.put("ApiDestinationArn", d.arn());
        out.put("ApiDestinationState", d.state());
        out.set("CreationTime", Json.timestamp(d.created()));
        out.set("LastModifiedTime", Json.timestamp(d.lastModified()));
        return out;
    }

    private static ObjectNode write(ApiDestination d) {
        ObjectNode o = Json.object();
        o.put("ApiDestinationArn", d.arn());
        o.put("Name", d.name());
        Json.putIfPresent(o, "Description", d.description());
        o.put("ApiDestinationState", d.state());
        o.put("ConnectionArn", d.connectionArn());
        o.put("InvocationEndpoint", d.invocationEndpoint());
        o.put("HttpMethod", d.httpMethod());
        o.put("InvocationRateLimitPerSecond", d.invocationRateLimitPerSecond());
        o.set("CreationTime", Json.timestamp(d.created()));
        o.set("LastModifiedTime", Json.timestamp(d.lastModified()));
        return o;
    }

    private JsonNode describeApiDestination(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        in.validate();
        return write(busbar.describeApiDestination(name));
    }

    private JsonNode updateApiDestination(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String description = in.string("Description", 0, 512, null);
        String connectionArn = in.string("ConnectionArn", 1, 1600, null);
        String endpoint = in.string("InvocationEndpoint", 1, 2048, null);
        String method = in.enumValue("HttpMethod", false, Models.HTTP_METHODS);
        Integer rate = in.integer("InvocationRateLimitPerSecond", 1, null);
        in.validate();
        return summary(busbar.updateApiDestination(name, description, connectionArn, endpoint, method, rate));
    }

    private JsonNode deleteApiDestination(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        in.validate();
        busbar.deleteApiDestination(name);
        return Json.object();
    }

    private JsonNode listApiDestinations(Shape in) {
        String prefix = in.string("NamePrefix", 1, 64, Models.NAME);
        String connectionArn = in.string("ConnectionArn", 1, 1600, null);
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        Page<ApiDestination> page = Pages.page(busbar.listApiDestinations(prefix, connectionArn), limit, token);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("ApiDestinations");
        page.items().forEach(d -> list.add(write(d)));
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }
}
