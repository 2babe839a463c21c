package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.Page;
import java.util.List;
import java.util.function.Supplier;

/**
 * CreateConnection, DescribeConnection, UpdateConnection, DeleteConnection, ListConnections (spec 6.1). Secrets go
 * into the bus and never come back out: DescribeConnection shows the redacted authorization.
 */
final class ConnectionOperations implements OperationGroup {
    private final Busbar busbar;

    ConnectionOperations(Busbar busbar) {
        this.busbar = busbar;
    }

    @Override
    public void register(Operations.Registry r) {
        r.control("CreateConnection", this::createConnection);
        r.control("DescribeConnection", this::describeConnection);
        r.control("UpdateConnection", this::updateConnection);
        r.control("DeleteConnection", this::deleteConnection);
        r.control("ListConnections", this::listConnections);
    }

    /** Reads CreateConnection's members and creates the connection (the API's and a configuration file's). */
    static Connection create(Busbar busbar, Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String description = in.string("Description", 0, 512, null);
        in.string("KmsKeyIdentifier", 0, 2048, null);
        Supplier<ConnectionAuth> auth = ConnectionMapping.read(in, null);
        in.validate();
        ConnectionAuth a = auth.get();
        try {
            return busbar.createConnection(name, description, a);
        } catch (RuntimeException e) {
            throw in.problem("Name", e);
        }
    }

    private JsonNode createConnection(Shape in) {
        Connection c = create(busbar, in);
        ObjectNode out = Json.object();
        out.put("ConnectionArn", c.arn());
        out.put("ConnectionState", c.state());
        out.set("CreationTime", Json.timestamp(c.created()));
        out.set("LastModifiedTime", Json.timestamp(c.lastModified()));
        return out;
    }

    private JsonNode describeConnection(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        in.validate();
        Connection c = busbar.describeConnection(name);
        ObjectNode out = Json.object();
        out.put("ConnectionArn", c.arn());
        out.put("Name", c.name());
        Json.putIfPresent(out, "Description", c.description());
        out.put("ConnectionState", c.state());
        out.put("AuthorizationType", c.auth().type().name());
        out.put("SecretArn", ConnectionMapping.secretArn(c, busbar.region(), busbar.account()));
        out.set("AuthParameters", ConnectionMapping.writeRedacted(c.auth()));
        out.set("CreationTime", Json.timestamp(c.created()));
        out.set("LastModifiedTime", Json.timestamp(c.lastModified()));
        if ("AUTHORIZED".equals(c.state())) {
            out.set("LastAuthorizedTime", Json.timestamp(c.lastAuthorized()));
        }
        return out;
    }

    private JsonNode updateConnection(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        String description = in.string("Description", 0, 512, null);
        in.validate();
        Connection current = busbar.describeConnection(name);
        Supplier<ConnectionAuth> auth = ConnectionMapping.read(in, current.auth());
        in.validate();
        Connection c = busbar.updateConnection(name, description, auth.get());
        return summary(c);
    }

    private JsonNode deleteConnection(Shape in) {
        String name = in.required("Name", 1, 64, Models.NAME);
        in.validate();
        return summary(busbar.deleteConnection(name));
    }

    /** The output of UpdateConnection and DeleteConnection. */
    private static ObjectNode summary(Connection c) {
        ObjectNode out = Json.object();
        out.put("ConnectionArn", c.arn());
        out.put("ConnectionState", c.state());
        out.set("CreationTime", Json.timestamp(c.created()));
        out.set("LastModifiedTime", Json.timestamp(c.lastModified()));
        out.set("LastAuthorizedTime", Json.timestamp(c.lastAuthorized()));
        return out;
    }

    private JsonNode listConnections(Shape in) {
        String prefix = in.string("NamePrefix", 1, 64, Models.NAME);
        String state = in.string("ConnectionState");
        Integer limit = Models.limit(in);
        String token = Models.nextToken(in);
        in.validate();
        List<Connection> all = busbar.listConnections(prefix).stream()
                .filter(c -> state == null || state.equals(c.state())).toList();
        Page<Connection> page = Pages.page(all, limit, token);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Connections");
        for (Connection c : page.items()) {
            ObjectNode o = list.addObject();
            o.put("ConnectionArn", c.arn());
            o.put("Name", c.name());
            o.put("ConnectionState", c.state());
            o.put("AuthorizationType", c.auth().type().name());
            o.set("CreationTime", Json.timestamp(c.created()));
            o.set("LastModifiedTime", Json.timestamp(c.lastModified()));
        }
        Json.putIfPresent(out, "NextToken", page.nextToken());
        return out;
    }
}
