package io.busbar.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Page;
import io.busbar.core.schemas.Discoverer;
import io.busbar.core.schemas.Registry;
import io.busbar.core.schemas.Schema;
import io.busbar.core.schemas.SchemaDocuments;
import io.busbar.core.schemas.SchemaException;
import io.busbar.core.schemas.SchemaInferrer;
import io.busbar.core.schemas.SchemaRegistry;
import io.busbar.core.schemas.SchemaSearchHit;
import io.busbar.core.schemas.SchemaType;
import io.busbar.core.schemas.SchemaVersion;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Schemas REST-JSON operations (service {@code schemas}, API 2019-12-02, spec SCHEMAS.md section 4): routes a
 * method and path to the {@link SchemaRegistry}, reads PascalCase body members (and lowercase {@code tags}) and
 * lowerCamelCase query parameters, and answers JSON with ISO-8601 timestamps; errors carry
 * {@code X-Amzn-ErrorType} and {@code {"Code","Message"}}. Thread-safe.
 */
final class SchemaOperations {
    private final SchemaRegistry schemas;

    SchemaOperations(SchemaRegistry schemas) {
        this.schemas = schemas;
    }

    /** A successful answer: a status and a body, or null for an empty 204. */
    private record Result(int status, ObjectNode body) {
    }

    FullHttpResponse handle(String method, String rawPath, Map<String, List<String>> query, String body,
                            String requestId) {
        try {
            List<String> p = segments(rawPath);
            Result r = route(method, p, new Query(query), body);
            return respond(r, requestId);
        } catch (SchemaException e) {
            return error(status(e.errorType()), e.errorType(), e.getMessage(), requestId);
        } catch (RuntimeException e) {
            return error(500, "InternalServerErrorException", "Internal error: " + e, requestId);
        }
    }

    private Result route(String m, List<String> p, Query q, String body) {
        int n = p.size();
        if (n == 2 && p.get(0).equals("tags")) {
            return tags(m, p, p.get(1), q, body);
        }
        if (n == 2 && p.get(1).equals("policy")) {
            return policy(m, p, q, body);
        }
        // p.get(0) is "v1"
        if (n >= 2 && p.get(1).equals("discoverers")) {
            if (n == 2) {
                return switch (m) {
                    case "POST" -> createDiscoverer(json(body));
                    case "GET" -> listDiscoverers(q);
                    default -> notAllowed(m, p);
                };
            }
            if (n >= 4 && p.get(2).equals("id")) {
                String id = p.get(3);
                if (n == 4) {
                    return switch (m) {
                        case "GET" -> ok(discoverer(schemas.describeDiscoverer(id), true));
                        case "PUT" -> {
                            JsonNode b = json(body);
                            yield ok(discoverer(schemas.updateDiscoverer(id, text(b, "Description"),
                                    bool(b, "CrossAccount")), true));
                        }
                        case "DELETE" -> {
                            schemas.deleteDiscoverer(id);
                            yield new Result(204, null);
                        }
                        default -> notAllowed(m, p);
                    };
                }
                if (n == 5 && m.equals("POST") && (p.get(4).equals("start") || p.get(4).equals("stop"))) {
                    Discoverer d = p.get(4).equals("start") ? schemas.startDiscoverer(id) : schemas.stopDiscoverer(id);
                    ObjectNode out = Json.object();
                    out.put("DiscovererId", d.id()).put("State", d.state().name());
                    return ok(out);
                }
            }
        }
        if (n == 2 && p.get(1).equals("discover") && m.equals("POST")) {
            return getDiscoveredSchema(json(body));
        }
        if (n >= 2 && p.get(1).equals("registries")) {
            if (n == 2) {
                if (!m.equals("GET")) {
                    return notAllowed(m, p);
                }
                Page<Registry> page = schemas.listRegistries(q.one("registryNamePrefix"), q.one("scope"),
                        q.limit(), q.one("nextToken"));
                return listed("Registries", page, r -> registry(r, false));
            }
            if (n >= 4 && p.get(2).equals("name")) {
                return registryRoutes(m, p, q, body, p.get(3));
            }
        }
        throw new SchemaException(SchemaException.NOT_FOUND, "No Schemas API resource at /" + String.join("/", p)
                + ".");
    }

    private Result registryRoutes(String m, List<String> p, Query q, String body, String reg) {
        int n = p.size();
        if (n == 4) {
            return switch (m) {
                case "POST" -> {
                    JsonNode b = json(body);
                    yield new Result(201, registry(schemas.createRegistry(reg, text(b, "Description"), tags(b)),
                            true));
                }
                case "GET" -> ok(registry(schemas.describeRegistry(reg), true));
                case "PUT" -> ok(registry(schemas.updateRegistry(reg, text(json(body), "Description")), true));
                case "DELETE" -> {
                    schemas.deleteRegistry(reg);
                    yield new Result(204, null);
                }
                default -> notAllowed(m, p);
            };
        }
        if (!p.get(4).equals("schemas")) {
            return notFound(p);
        }
        if (n == 5) {
            return m.equals("GET") ? listed("Schemas",
                    schemas.listSchemas(reg, q.one("schemaNamePrefix"), q.limit(), q.one("nextToken")),
                    SchemaOperations::schemaSummary) : notAllowed(m, p);
        }
        if (n == 6 && p.get(5).equals("search")) {
            if (!m.equals("GET")) {
                return notAllowed(m, p);
            }
            String keywords = q.one("keywords");
            if (keywords == null) {
                throw new SchemaException(SchemaException.BAD_REQUEST, "keywords: null (expected: keywords)");
            }
            return listed("Schemas", schemas.searchSchemas(reg, keywords, q.limit(), q.one("nextToken")),
                    SchemaOperations::searchHit);
        }
        if (n < 7 || !p.get(5).equals("name")) {
            return notFound(p);
        }
        String name = p.get(6);
        if (n == 7) {
            return switch (m) {
                case "POST" -> {
                    JsonNode b = json(body);
                    String type = text(b, "Type");
                    if (type == null || text(b, "Content") == null) {
                        throw new SchemaException(SchemaException.BAD_REQUEST,
                                "Content and Type are required (expected: Content, Type)");
                    }
                    yield new Result(201, schema(schemas.createSchema(reg, name, SchemaType.parse("Type", type),
                            text(b, "Content"), text(b, "Description"), tags(b)), false));
                }
                case "GET" -> ok(schema(schemas.describeSchema(reg, name, q.one("schemaVersion")), true));
                case "PUT" -> {
                    JsonNode b = json(body);
                    String type = text(b, "Type");
                    yield ok(schema(schemas.updateSchema(reg, name, type == null ? null
                                    : SchemaType.parse("Type", type), text(b, "Content"), text(b, "Description"),
                            text(b, "ClientTokenId")), false));
                }
                case "DELETE" -> {
                    schemas.deleteSchema(reg, name);
                    yield new Result(204, null);
                }
                default -> notAllowed(m, p);
            };
        }
        String sub = p.get(7);
        if (n == 8 && sub.equals("versions") && m.equals("GET")) {
            Page<SchemaVersion> page = schemas.listSchemaVersions(reg, name, q.limit(), q.one("nextToken"));
            String arn = schemas.schemaArn(reg, name);
            return listed("SchemaVersions", page, v -> {
                ObjectNode o = Json.object();
                o.put("SchemaArn", arn).put("SchemaName", name).put("SchemaVersion", v.version())
                        .put("Type", v.type().name());
                return o;
            });
        }
        if (n == 9 && sub.equals("version") && m.equals("DELETE")) {
            schemas.deleteSchemaVersion(reg, name, p.get(8));
            return new Result(204, null);
        }
        if (n == 8 && sub.equals("export") && m.equals("GET")) {
            String type = q.one("type");
            if (type == null) {
                throw new SchemaException(SchemaException.BAD_REQUEST, "type: null (expected: JSONSchemaDraft4)");
            }
            Schema s = schemas.exportSchema(reg, name, q.one("schemaVersion"), type);
            ObjectNode o = Json.object();
            o.put("Content", s.version().content()).put("SchemaArn", s.arn()).put("SchemaName", s.name())
                    .put("SchemaVersion", s.version().version()).put("Type", s.version().type().name());
            return ok(o);
        }
        if (sub.equals("language")) {
            throw new SchemaException(SchemaException.NOT_FOUND, "Code bindings are not supported by Busbar.");
        }
        return notFound(p);
    }

    private Result createDiscoverer(JsonNode b) {
        String source = text(b, "SourceArn");
        if (source == null) {
            throw new SchemaException(SchemaException.BAD_REQUEST, "SourceArn: null (expected: an event bus ARN)");
        }
        return new Result(201, discoverer(schemas.createDiscoverer(source, text(b, "Description"),
                bool(b, "CrossAccount"), tags(b)), true));
    }

    private Result listDiscoverers(Query q) {
        return listed("Discoverers", schemas.listDiscoverers(q.one("discovererIdPrefix"), q.one("sourceArnPrefix"),
                q.limit(), q.one("nextToken")), d -> discoverer(d, false));
    }

    /** GetDiscoveredSchema: stateless inference over 1-10 events (spec 2.7). */
    private Result getDiscoveredSchema(JsonNode b) {
        JsonNode events = b.get("Events");
        String type = text(b, "Type");
        if (type == null || events == null || !events.isArray() || events.size() < 1 || events.size() > 10) {
            throw new SchemaException(SchemaException.BAD_REQUEST,
                    "Events and Type are required (expected: 1 to 10 events as JSON strings, Type)");
        }
        SchemaType t = SchemaType.parse("Type", type);
        SchemaInferrer inferrer = SchemaInferrer.create();
        for (JsonNode e : events) {
            if (!e.isTextual() || e.textValue().isEmpty() || e.textValue().length() > 100_000) {
                throw new SchemaException(SchemaException.BAD_REQUEST,
                        "Events: each event is a JSON string of 1 to 100000 characters");
            }
            inferrer.add(e.textValue());
        }
        String content = inferrer.openApi();
        ObjectNode o = Json.object();
        o.put("Content", t == SchemaType.OpenApi3 ? content : SchemaDocuments.toJsonSchemaDraft4(content));
        return ok(o);
    }

    // ---------------------------------------------------------------- shapes

    private ObjectNode registry(Registry r, boolean full) {
        ObjectNode o = Json.object();
        o.put("RegistryArn", r.arn()).put("RegistryName", r.name());
        if (full) {
            Json.putIfPresent(o, "Description", r.description());
        }
        o.set("tags", tagsNode(r.tags()));
        return o;
    }

    private static ObjectNode schema(Schema s, boolean content) {
        ObjectNode o = Json.object();
        if (content) {
            o.put("Content", s.version().content());
        }
        o.put("SchemaArn", s.arn()).put("SchemaName", s.name()).put("SchemaVersion", s.version().version())
                .put("Type", s.version().type().name());
        Json.putIfPresent(o, "Description", s.description());
        o.put("LastModified", iso(s.lastModified())).put("VersionCreatedDate", iso(s.version().createdDate()));
        o.set("tags", tagsNode(s.tags()));
        return o;
    }

    private static ObjectNode schemaSummary(Schema s) {
        ObjectNode o = Json.object();
        o.put("LastModified", iso(s.lastModified())).put("SchemaArn", s.arn()).put("SchemaName", s.name());
        o.set("tags", tagsNode(s.tags()));
        o.put("VersionCount", s.versionCount());
        return o;
    }

    private static ObjectNode searchHit(SchemaSearchHit h) {
        ObjectNode o = Json.object();
        o.put("RegistryName", h.registryName()).put("SchemaArn", h.schemaArn()).put("SchemaName", h.schemaName());
        ArrayNode versions = o.putArray("SchemaVersions");
        for (SchemaVersion v : h.versions()) {
            versions.addObject().put("CreatedDate", iso(v.createdDate())).put("SchemaVersion", v.version())
                    .put("Type", v.type().name());
        }
        return o;
    }

    private ObjectNode discoverer(Discoverer d, boolean full) {
        ObjectNode o = Json.object();
        o.put("DiscovererArn", d.arn()).put("DiscovererId", d.id()).put("SourceArn", d.sourceArn())
                .put("State", d.state().name()).put("CrossAccount", d.crossAccount());
        if (full) {
            Json.putIfPresent(o, "Description", d.description());
        }
        o.set("tags", tagsNode(d.tags()));
        return o;
    }

    private static ObjectNode tagsNode(Map<String, String> tags) {
        ObjectNode t = Json.object();
        tags.forEach(t::put);
        return t;
    }

    /** ISO-8601 in UTC, to the millisecond at most (SCHEMAS 3: seconds with optional milliseconds). */
    private static String iso(Instant i) {
        return i == null ? null : i.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    private static <T> Result listed(String member, Page<T> page, java.util.function.Function<T, ObjectNode> shape) {
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray(member);
        page.items().forEach(i -> a.add(shape.apply(i)));
        Json.putIfPresent(o, "NextToken", page.nextToken());
        return ok(o);
    }

    private static Result ok(ObjectNode body) {
        return new Result(200, body);
    }

    private static Result notAllowed(String method, List<String> p) {
        throw new SchemaException(SchemaException.NOT_FOUND, "No operation " + method + " /" + String.join("/", p)
                + ".");
    }

    private static Result notFound(List<String> p) {
        throw new SchemaException(SchemaException.NOT_FOUND, "No Schemas API resource at /" + String.join("/", p)
                + ".");
    }

    // ---------------------------------------------------------------- request parsing

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (!n.isObject()) {
                throw new SchemaException(SchemaException.BAD_REQUEST, "The request body is not a JSON object.");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new SchemaException(SchemaException.BAD_REQUEST, "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode b, String member) {
        JsonNode v = b.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new SchemaException(SchemaException.BAD_REQUEST, member + ": " + v + " (expected: a string)");
        }
        return v.textValue();
    }

    private static Boolean bool(JsonNode b, String member) {
        JsonNode v = b.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new SchemaException(SchemaException.BAD_REQUEST, member + ": " + v + " (expected: a boolean)");
        }
        return v.booleanValue();
    }

    /**
     * PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy (SCHEMAS 4.10), on the registry named by the
     * {@code registryName} query parameter. {@code Policy} is a JSON string, or a JSON object (taken as its text);
     * it is answered as a string.
     */
    private Result policy(String m, List<String> p, Query q, String body) {
        String registry = q.one("registryName");
        if (registry == null) {
            throw new SchemaException(SchemaException.BAD_REQUEST, "registryName: null (expected: the registry whose "
                    + "policy this is)");
        }
        return switch (m) {
            case "PUT" -> {
                JsonNode b = json(body);
                JsonNode policy = b.get("Policy");
                String text = policy == null || policy.isNull() ? null
                        : policy.isTextual() ? policy.textValue() : policy.isObject() ? Json.compact(policy) : null;
                if (text == null) {
                    throw new SchemaException(SchemaException.BAD_REQUEST, "Policy: " + policy
                            + " (expected: a JSON policy document, as a string)");
                }
                yield ok(policyBody(schemas.putResourcePolicy(registry, text, text(b, "RevisionId"))));
            }
            case "GET" -> ok(policyBody(schemas.getResourcePolicy(registry)));
            case "DELETE" -> {
                schemas.deleteResourcePolicy(registry);
                yield new Result(204, null);
            }
            default -> notAllowed(m, p);
        };
    }

    private static ObjectNode policyBody(SchemaRegistry.ResourcePolicy policy) {
        return Json.object().put("Policy", policy.policy()).put("RevisionId", policy.revisionId());
    }

    /** TagResource, UntagResource and ListTagsForResource (SCHEMAS 4.9); the ARN is one decoded path segment. */
    private Result tags(String m, List<String> p, String arn, Query q, String body) {
        return switch (m) {
            case "POST" -> {
                JsonNode b = json(body);
                if (b == null || !b.hasNonNull("tags")) {
                    throw new SchemaException(SchemaException.BAD_REQUEST, "tags: null (expected: a map of strings)");
                }
                schemas.tagResource(arn, tags(b));
                yield new Result(204, null);
            }
            case "DELETE" -> {
                List<String> keys = q.all("tagKeys");
                if (keys.isEmpty()) {
                    throw new SchemaException(SchemaException.BAD_REQUEST, "tagKeys: none (expected: one or more)");
                }
                schemas.untagResource(arn, keys);
                yield new Result(204, null);
            }
            case "GET" -> {
                ObjectNode o = Json.object();
                ObjectNode t = o.putObject("tags");
                new java.util.TreeMap<>(schemas.tags(arn)).forEach(t::put);
                yield ok(o);
            }
            default -> notAllowed(m, p);
        };
    }

    private static Map<String, String> tags(JsonNode b) {
        JsonNode v = b.get("tags");
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw new SchemaException(SchemaException.BAD_REQUEST, "tags: " + v + " (expected: a map of strings)");
        }
        v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Path segments, each percent-decoded on its own ({@code %2F} stays inside its segment; {@code +} is literal). */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(percentDecode(s));
            }
        }
        return out;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    bytes.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            bytes.write(b, 0, b.length);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private record Query(Map<String, List<String>> params) {
        String one(String name) {
            List<String> v = params.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        List<String> all(String name) {
            return params.getOrDefault(name, List.of());
        }

        Integer limit() {
            String v = one("limit");
            if (v == null) {
                return null;
            }
            try {
                return Integer.valueOf(v);
            } catch (NumberFormatException e) {
                throw new SchemaException(SchemaException.BAD_REQUEST, "limit: " + v + " (expected: an integer)");
            }
        }
    }

    // ---------------------------------------------------------------- responses

    private static FullHttpResponse respond(Result r, String requestId) {
        if (r.body() == null) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), Unpooled.EMPTY_BUFFER);
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            resp.headers().set(Responses.REQUEST_ID, requestId);
            return resp;
        }
        return body(r.status(), r.body(), requestId);
    }

    static FullHttpResponse error(int status, String type, String message, String requestId) {
        ObjectNode o = Json.object();
        o.put("Code", type).put("Message", message);
        FullHttpResponse resp = body(status, o, requestId);
        resp.headers().set(Responses.ERROR_TYPE, type);
        return resp;
    }

    private static FullHttpResponse body(int status, ObjectNode body, String requestId) {
        byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        resp.headers().set(Responses.REQUEST_ID, requestId);
        return resp;
    }

    private static int status(String type) {
        return switch (type) {
            case SchemaException.BAD_REQUEST -> 400;
            case SchemaException.FORBIDDEN -> 403;
            case SchemaException.NOT_FOUND -> 404;
            case SchemaException.CONFLICT -> 409;
            case SchemaException.PRECONDITION_FAILED -> 412;
            default -> 500;
        };
    }
}
