package io.busbar.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.BusbarException;
import io.busbar.core.Connection;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.ConnectionAuth.AuthorizationType;
import io.busbar.core.HttpParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A connection's {@code AuthParameters} to {@link ConnectionAuth} and back (spec 6.1). Reading the parameters of
 * UpdateConnection merges them into the connection's current ones, as AWS does: members not given keep their
 * value. What DescribeConnection shows is built from {@link ConnectionAuth#redacted()}: secrets never leave.
 */
final class ConnectionMapping {
    private static final List<String> AUTH_MEMBERS = List.of("BasicAuthParameters", "OAuthParameters",
            "ApiKeyAuthParameters", "InvocationHttpParameters", "ConnectivityParameters");

    private ConnectionMapping() {
    }

    /**
     * Reads {@code AuthorizationType} and {@code AuthParameters}; the supplier builds the authorization after
     * {@link Shape#validate()}, on top of {@code current} (null for CreateConnection, where both are required).
     * The supplier returns null when neither member was given (an update that keeps the authorization).
     */
    static Supplier<ConnectionAuth> read(Shape in, ConnectionAuth current) {
        boolean create = current == null;
        String typeName = in.enumValue("AuthorizationType", create, Models.AUTHORIZATION_TYPES);
        Shape ap = in.object("AuthParameters");
        if (ap == null && create) {
            in.missing("AuthParameters");
        }
        if (ap != null) {
            ap.onlyMembers(AUTH_MEMBERS);
        }
        Shape basic = ap == null ? null : ap.object("BasicAuthParameters");
        Shape apiKey = ap == null ? null : ap.object("ApiKeyAuthParameters");
        Shape oauth = ap == null ? null : ap.object("OAuthParameters");
        String username = null;
        String password = null;
        String keyName = null;
        String keyValue = null;
        String clientId = null;
        String clientSecret = null;
        String endpoint = null;
        String method = null;
        Supplier<ConnectionAuth.InvocationParameters> oauthParams = () -> null;
        if (basic != null) {
            basic.onlyMembers(List.of("Username", "Password"));
            username = basic.string("Username", 1, 512, ConnectionAuth.AUTH_VALUE);
            password = basic.secret("Password", 1, 512, ConnectionAuth.AUTH_VALUE);
        }
        if (apiKey != null) {
            apiKey.onlyMembers(List.of("ApiKeyName", "ApiKeyValue"));
            keyName = apiKey.string("ApiKeyName", 1, 512, ConnectionAuth.AUTH_VALUE);
            keyValue = apiKey.secret("ApiKeyValue", 1, 512, ConnectionAuth.AUTH_VALUE);
        }
        if (oauth != null) {
            oauth.onlyMembers(List.of("ClientParameters", "AuthorizationEndpoint", "HttpMethod", "OAuthHttpParameters"));
            Shape client = oauth.object("ClientParameters");
            if (client != null) {
                client.onlyMembers(List.of("ClientID", "ClientSecret"));
                clientId = client.string("ClientID", 1, 512, ConnectionAuth.AUTH_VALUE);
                clientSecret = client.secret("ClientSecret", 1, 512, ConnectionAuth.AUTH_VALUE);
            }
            endpoint = oauth.string("AuthorizationEndpoint", 1, 2048, null);
            method = oauth.enumValue("HttpMethod", false, Models.OAUTH_HTTP_METHODS);
            Shape p = oauth.object("OAuthHttpParameters");
            if (p != null) {
                oauthParams = invocationParameters(p);
            }
        }
        Shape invocation = ap == null ? null : ap.object("InvocationHttpParameters");
        Supplier<ConnectionAuth.InvocationParameters> invocationParams =
                invocation == null ? () -> null : invocationParameters(invocation);

        String u = username;
        String pw = password;
        String kn = keyName;
        String kv = keyValue;
        String ci = clientId;
        String cs = clientSecret;
        String ep = endpoint;
        String m = method;
        Supplier<ConnectionAuth.InvocationParameters> op = oauthParams;
        return () -> {
            if (typeName == null && ap == null) {
                return null;
            }
            AuthorizationType type = typeName != null ? AuthorizationType.valueOf(typeName) : current.type();
            // Spec 6.1: AuthParameters holds only the block of the connection's authorization type.
            String foreign = type != AuthorizationType.BASIC && basic != null ? "BasicAuthParameters"
                    : type != AuthorizationType.API_KEY && apiKey != null ? "ApiKeyAuthParameters"
                    : type != AuthorizationType.OAUTH_CLIENT_CREDENTIALS && oauth != null ? "OAuthParameters" : null;
            if (foreign != null) {
                throw in.problem("AuthParameters", ApiException.validation("Parameter AuthParameters is not valid. "
                        + "Reason: " + foreign + " cannot be used with authorization type " + type + "."));
            }
            ConnectionAuth old = current != null && current.type() == type ? current : null;
            ConnectionAuth.InvocationParameters params = invocationParams.get();
            if (params == null && current != null) {
                params = current.invocationParams();
            }
            try {
                return switch (type) {
                    case BASIC -> new ConnectionAuth(type, new ConnectionAuth.Basic(
                            require(in, "Username", u, old == null ? null : old.basic().username()),
                            require(in, "Password", pw, old == null ? null : old.basic().password())),
                            null, null, params);
                    case API_KEY -> new ConnectionAuth(type, null, new ConnectionAuth.ApiKey(
                            require(in, "ApiKeyName", kn, old == null ? null : old.apiKey().apiKeyName()),
                            require(in, "ApiKeyValue", kv, old == null ? null : old.apiKey().apiKeyValue())),
                            null, params);
                    case OAUTH_CLIENT_CREDENTIALS -> {
                        ConnectionAuth.OAuth o = old == null ? null : old.oauth();
                        ConnectionAuth.InvocationParameters oParams = op.get();
                        yield new ConnectionAuth(type, null, null, new ConnectionAuth.OAuth(
                                require(in, "ClientID", ci, o == null ? null : o.clientId()),
                                require(in, "ClientSecret", cs, o == null ? null : o.clientSecret()),
                                require(in, "AuthorizationEndpoint", ep, o == null ? null : o.authorizationEndpoint()),
                                m != null ? m : o == null ? null : o.httpMethod(),
                                oParams != null ? oParams : o == null ? null : o.oauthParams()), params);
                    }
                };
            } catch (BusbarException e) {
                throw in.problem("AuthParameters", e);
            }
        };
    }

    private static String require(Shape in, String member, String given, String current) {
        String v = given != null ? given : current;
        if (v == null) {
            throw in.problem("AuthParameters", ApiException.validation("Parameter AuthParameters is not valid. Reason: "
                    + member + " is required for the authorization type."));
        }
        return v;
    }

    private static Supplier<ConnectionAuth.InvocationParameters> invocationParameters(Shape p) {
        p.onlyMembers(List.of("HeaderParameters", "QueryStringParameters", "BodyParameters"));
        List<Supplier<HttpParameter>> headers = parameters(p, "HeaderParameters");
        List<Supplier<HttpParameter>> query = parameters(p, "QueryStringParameters");
        List<Supplier<HttpParameter>> body = parameters(p, "BodyParameters");
        return () -> new ConnectionAuth.InvocationParameters(build(headers), build(query), build(body));
    }

    /**
     * Reads a list of parameters. Header names and values are checked against the model's patterns, as are query and
     * body parameters: a header value with a line break would otherwise reach the HTTP client at delivery time.
     */
    private static List<Supplier<HttpParameter>> parameters(Shape p, String member) {
        boolean header = member.equals("HeaderParameters");
        List<Supplier<HttpParameter>> out = new ArrayList<>();
        for (Shape e : p.objects(member)) {
            e.onlyMembers(List.of("Key", "Value", "IsValueSecret"));
            boolean secret = e.bool("IsValueSecret");
            String key = e.string("Key", 0, 512, header ? HttpParameter.HEADER_KEY : HttpParameter.QUERY_KEY);
            java.util.regex.Pattern valuePattern = header ? HttpParameter.HEADER_VALUE : HttpParameter.QUERY_VALUE;
            String value = secret ? e.secret("Value", 0, 512, valuePattern) : e.string("Value", 0, 512, valuePattern);
            out.add(() -> {
                try {
                    return new HttpParameter(key, value, secret);
                } catch (BusbarException ex) {
                    throw e.problem(null, ex);
                }
            });
        }
        return out;
    }

    private static List<HttpParameter> build(List<Supplier<HttpParameter>> list) {
        return list.stream().map(Supplier::get).toList();
    }

    /** DescribeConnection's {@code AuthParameters}: names and endpoints, never a secret. */
    static ObjectNode writeRedacted(ConnectionAuth auth) {
        ConnectionAuth r = auth.redacted();
        ObjectNode o = Json.object();
        if (r.basic() != null) {
            o.putObject("BasicAuthParameters").put("Username", r.basic().username());
        }
        if (r.apiKey() != null) {
            o.putObject("ApiKeyAuthParameters").put("ApiKeyName", r.apiKey().apiKeyName());
        }
        if (r.oauth() != null) {
            ObjectNode oauth = o.putObject("OAuthParameters");
            oauth.putObject("ClientParameters").put("ClientID", r.oauth().clientId());
            oauth.put("AuthorizationEndpoint", r.oauth().authorizationEndpoint());
            oauth.put("HttpMethod", r.oauth().httpMethod());
            ObjectNode p = writeParameters(r.oauth().oauthParams());
            if (p != null) {
                oauth.set("OAuthHttpParameters", p);
            }
        }
        ObjectNode p = writeParameters(r.invocationParams());
        if (p != null) {
            o.set("InvocationHttpParameters", p);
        }
        return o;
    }

    private static ObjectNode writeParameters(ConnectionAuth.InvocationParameters params) {
        if (params.headers().isEmpty() && params.queryString().isEmpty() && params.body().isEmpty()) {
            return null;
        }
        ObjectNode o = Json.object();
        writeList(o, "HeaderParameters", params.headers());
        writeList(o, "QueryStringParameters", params.queryString());
        writeList(o, "BodyParameters", params.body());
        return o;
    }

    private static void writeList(ObjectNode o, String member, List<HttpParameter> list) {
        if (list.isEmpty()) {
            return;
        }
        ArrayNode a = o.putArray(member);
        for (HttpParameter p : list) {
            ObjectNode e = a.addObject();
            e.put("Key", p.key());
            if (!p.isValueSecret()) {
                e.put("Value", p.value());
            }
            e.put("IsValueSecret", p.isValueSecret());
        }
    }

    /** The Secrets Manager ARN AWS shows for a connection's secret; Busbar keeps secrets in memory instead. */
    static String secretArn(Connection c, String region, String account) {
        String suffix = c.arn().substring(c.arn().lastIndexOf('/') + 1);
        return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:events!connection/" + c.name() + "/"
                + suffix;
    }
}
