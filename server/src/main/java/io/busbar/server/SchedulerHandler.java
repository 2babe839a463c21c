package io.busbar.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.BusbarException;
import io.busbar.core.EventBridgeScheduler;
import io.busbar.core.Page;
import io.busbar.core.scheduler.ScheduleDetails;
import io.busbar.core.scheduler.ScheduleGroup;
import io.busbar.core.scheduler.ScheduleState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The EventBridge Scheduler API over REST-JSON (SCHEDULER 5) on the server's port: {@code /schedules[/{Name}]} and
 * {@code /schedule-groups[/{Name}]} with the model's methods; other requests go on down the pipeline. Operations run
 * on the control executor. Errors are {@code {"__type","Message"}} with {@code X-Amzn-ErrorType} and the model's
 * status: {@code ValidationException} 400, {@code ServiceQuotaExceededException} 402,
 * {@code ResourceNotFoundException} 404, {@code ConflictException} 409, {@code InternalServerException} 500. Each
 * request is timed in {@code busbar.server.requests} ({@code operation}, {@code status}).
 *
 * <p>Shared by every connection; the ClientTokens it remembers are touched on the control thread only.
 */
@ChannelHandler.Sharable
final class SchedulerHandler extends ChannelInboundHandlerAdapter {
    static final String SCHEDULES = "/schedules";
    static final String GROUPS = "/schedule-groups";
    /** TagResource and friends: {@code /tags/{ResourceArn}}, the ARN percent-encoded in one segment. */
    static final String TAGS = "/tags/";
    private static final String JSON = "application/json";
    private static final System.Logger LOG = System.getLogger(SchedulerHandler.class.getName());

    private static final java.util.regex.Pattern CLIENT_TOKEN =
            java.util.regex.Pattern.compile("[a-zA-Z0-9-_]{1,64}");
    /** How long a ClientToken is remembered (SCHEDULER 5.4). */
    private static final java.time.Duration TOKEN_WINDOW = java.time.Duration.ofHours(24);
    /**
     * At most this many tokens are remembered, the oldest forgotten first: SDKs send a fresh token with every
     * create, update and delete, and a day of them must not grow without bound. A retry comes within seconds.
     */
    private static final int MAX_TOKENS = 10_000;

    private final EventBridgeScheduler scheduler;
    private final Executor control;
    private final MeterRegistry meters;
    private final java.time.Clock clock;
    /**
     * The answers given to requests that carried a ClientToken, by operation, resource and token, for
     * {@link #TOKEN_WINDOW}. Touched on the control thread only.
     */
    private final Map<String, Answered> answered = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Answered> eldest) {
            return size() > MAX_TOKENS;
        }
    };

    /** A request made with a ClientToken: what it asked (its parameters, as JSON) and what it was answered. */
    private record Answered(String parameters, JsonNode answer, java.time.Instant at) {
    }

    SchedulerHandler(EventBridgeScheduler scheduler, Executor control, MeterRegistry meters, java.time.Clock clock) {
        this.scheduler = scheduler;
        this.control = control;
        this.meters = meters;
        this.clock = clock;
    }

    /** Whether a path belongs to the Scheduler API. */
    static boolean handles(String path) {
        return path.equals(SCHEDULES) || path.startsWith(SCHEDULES + "/") || path.equals(GROUPS)
                || path.startsWith(GROUPS + "/") || path.startsWith(TAGS + "arn:aws:scheduler:");
    }

    /** One parsed request. */
    private record Call(HttpMethod method, String collection, String name, Map<String, List<String>> query,
                        JsonNode body) {
        String query(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (!handles(path)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long start = System.nanoTime();
        String requestId = Responses.requestId();
        Call call;
        try {
            String collection = path.startsWith(TAGS) ? TAGS : path.startsWith(GROUPS) ? GROUPS : SCHEDULES;
            String rest = path.substring(collection.length());
            String name = collection.equals(TAGS) ? rest : rest.isEmpty() ? null : rest.substring(1);
            if (!collection.equals(TAGS) && name != null && (name.isEmpty() || name.contains("/"))) {
                throw new ApiException(404, "UnknownOperationException", "No Scheduler operation at " + path + ".");
            }
            call = new Call(request.method(), collection, name, uri.parameters(), parse(request));
        } catch (ApiException e) {
            respond(ctx, error(e.status(), e.type(), e.getMessage(), requestId), "unknown", start);
            return;
        } finally {
            request.release();
        }
        try {
            control.execute(() -> {
                String[] operation = {"unknown"};
                respond(ctx, invoke(call, requestId, operation), operation[0], start);
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, error(429, "ThrottlingException", "Rate exceeded", requestId), "unknown", start);
        }
    }

    private static JsonNode parse(FullHttpRequest request) {
        if (!request.content().isReadable()) {
            return null;
        }
        try (ByteBufInputStream in = new ByteBufInputStream(request.content().duplicate())) {
            return Json.MAPPER.readTree((java.io.InputStream) in);
        } catch (JacksonException e) {
            throw ApiException.validation("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.validation("The request body could not be read: " + e.getMessage());
        }
    }

    /** Runs the operation and turns every outcome into a response; never throws. */
    private FullHttpResponse invoke(Call c, String requestId, String[] operation) {
        try {
            JsonNode out = route(c, operation);
            return json(HttpResponseStatus.OK, out, requestId);
        } catch (ApiException e) {
            return error(e.status(), e.type(), e.getMessage(), requestId);
        } catch (BusbarException e) {
            return error(status(e.errorCode()), e.errorCode(), e.getMessage(), requestId);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Scheduler " + operation[0] + " failed (request " + requestId + ")", e);
            return error(500, "InternalServerException", "An internal error occurred (request " + requestId + ").",
                    requestId);
        }
    }

    /**
     * Runs a mutating operation under its ClientToken (SCHEDULER 5.4): a retry with the same token and the same
     * parameters within 24 hours gets the first answer again, without running again (so deleting twice succeeds
     * twice); the same token with other parameters is a {@code ConflictException}. Without a token, it just runs.
     */
    private JsonNode idempotent(Call c, String operation, String token, java.util.function.Supplier<JsonNode> run) {
        if (token == null) {
            return run.get();
        }
        if (!CLIENT_TOKEN.matcher(token).matches()) {
            throw ApiException.validation("1 validation error detected: Value '" + token + "' at 'clientToken' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-_]+$ and "
                    + "have length between 1 and 64");
        }
        java.time.Instant now = clock.instant();
        answered.values().removeIf(a -> a.at().plus(TOKEN_WINDOW).isBefore(now));
        String key = operation + " " + c.collection() + "/" + c.name() + " " + token;
        String parameters = (c.body() == null ? "" : Json.compact(c.body())) + " " + c.query();
        Answered before = answered.get(key);
        if (before != null) {
            if (!before.parameters().equals(parameters)) {
                throw new ApiException(409, "ConflictException", "The ClientToken " + token + " was already used for "
                        + operation + " of " + c.name() + " with different parameters.");
            }
            return before.answer();
        }
        JsonNode answer = run.get();
        answered.put(key, new Answered(parameters, answer, now));
        return answer;
    }

    /** TagResource, UntagResource, ListTagsForResource (SCHEDULER 5.3): schedule groups are taggable. */
    private JsonNode tags(Call c, String[] operation) {
        HttpMethod m = c.method();
        if (m.equals(HttpMethod.POST)) {
            operation[0] = "TagResource";
            if (c.body() == null || !c.body().hasNonNull("Tags")) {
                throw ApiException.validation("1 validation error detected: Value null at 'tags' failed to satisfy "
                        + "constraint: Member must not be null");
            }
            scheduler.tagResource(c.name(), SchedulerMapping.tags(c.body()));
            return Json.object();
        }
        if (m.equals(HttpMethod.DELETE)) {
            operation[0] = "UntagResource";
            List<String> keys = c.query().getOrDefault("TagKeys", List.of());
            if (keys.isEmpty()) {
                throw ApiException.validation("1 validation error detected: Value null at 'tagKeys' failed to "
                        + "satisfy constraint: Member must not be null");
            }
            scheduler.untagResource(c.name(), keys);
            return Json.object();
        }
        allow(m, HttpMethod.GET);
        operation[0] = "ListTagsForResource";
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("Tags");
        new java.util.TreeMap<>(scheduler.tags(c.name())).forEach((k, v) -> list.addObject().put("Key", k)
                .put("Value", v));
        return out;
    }

    private static String bodyToken(Call c) {
        JsonNode t = c.body() == null ? null : c.body().get("ClientToken");
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isTextual()) {
            throw ApiException.validation("ClientToken: " + t + " (expected: a string)");
        }
        return t.textValue();
    }

    private JsonNode route(Call c, String[] operation) {
        HttpMethod m = c.method();
        if (c.collection().equals(TAGS)) {
            return tags(c, operation);
        }
        if (c.collection().equals(SCHEDULES)) {
            if (c.name() == null) {
                allow(m, HttpMethod.GET);
                operation[0] = "ListSchedules";
                return listSchedules(c);
            }
            if (m.equals(HttpMethod.POST)) {
                operation[0] = "CreateSchedule";
                return idempotent(c, operation[0], bodyToken(c), () -> Json.object().put("ScheduleArn",
                        scheduler.createSchedule(SchedulerMapping.scheduleRequest(c.name(), c.body())).arn()));
            }
            if (m.equals(HttpMethod.PUT)) {
                operation[0] = "UpdateSchedule";
                return idempotent(c, operation[0], bodyToken(c), () -> Json.object().put("ScheduleArn",
                        scheduler.updateSchedule(SchedulerMapping.scheduleRequest(c.name(), c.body())).arn()));
            }
            if (m.equals(HttpMethod.GET)) {
                operation[0] = "GetSchedule";
                return SchedulerMapping.schedule(scheduler.getSchedule(c.query("groupName"), c.name()));
            }
            allow(m, HttpMethod.DELETE);
            operation[0] = "DeleteSchedule";
            return idempotent(c, operation[0], c.query("clientToken"), () -> {
                scheduler.deleteSchedule(c.query("groupName"), c.name());
                return Json.object();
            });
        }
        if (c.name() == null) {
            allow(m, HttpMethod.GET);
            operation[0] = "ListScheduleGroups";
            Page<ScheduleGroup> page = scheduler.listScheduleGroups(c.query("NamePrefix"), maxResults(c),
                    c.query("NextToken"));
            return SchedulerMapping.list("ScheduleGroups", page.items().stream().map(SchedulerMapping::group)
                    .toList(), page.nextToken());
        }
        if (m.equals(HttpMethod.POST)) {
            operation[0] = "CreateScheduleGroup";
            return idempotent(c, operation[0], bodyToken(c), () -> Json.object().put("ScheduleGroupArn",
                    scheduler.createScheduleGroup(c.name(), SchedulerMapping.tags(c.body())).arn()));
        }
        if (m.equals(HttpMethod.GET)) {
            operation[0] = "GetScheduleGroup";
            return SchedulerMapping.group(scheduler.getScheduleGroup(c.name()));
        }
        allow(m, HttpMethod.DELETE);
        operation[0] = "DeleteScheduleGroup";
        return idempotent(c, operation[0], c.query("clientToken"), () -> {
            scheduler.deleteScheduleGroup(c.name());
            return Json.object();
        });
    }

    private JsonNode listSchedules(Call c) {
        String state = c.query("State");
        ScheduleState s = null;
        if (state != null) {
            try {
                s = ScheduleState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw ApiException.validation("1 validation error detected: Value '" + state + "' at 'state' failed "
                        + "to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]");
            }
        }
        Page<ScheduleDetails> page = scheduler.listSchedules(c.query("ScheduleGroup"), c.query("NamePrefix"), s,
                maxResults(c), c.query("NextToken"));
        List<ObjectNode> items = page.items().stream().map(SchedulerMapping::scheduleSummary).toList();
        return SchedulerMapping.list("Schedules", items, page.nextToken());
    }

    private static Integer maxResults(Call c) {
        String v = c.query("MaxResults");
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ApiException.validation("1 validation error detected: Value '" + v + "' at 'maxResults' failed to "
                    + "satisfy constraint: Member must have value between 1 and 100");
        }
    }

    private static void allow(HttpMethod method, HttpMethod allowed) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "MethodNotAllowed", "Use " + allowed + ".");
        }
    }

    private static int status(String code) {
        return switch (code) {
            case "ResourceNotFoundException" -> 404;
            case "ConflictException" -> 409;
            case "ServiceQuotaExceededException" -> 402;
            case "ThrottlingException" -> 429;
            case "InternalServerException" -> 500;
            default -> 400;
        };
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body, String requestId) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response: " + e.getMessage(), e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(Responses.REQUEST_ID, requestId);
        return r;
    }

    /** The Scheduler's error shape: {@code Message} (the model's member) and the type in header and body. */
    static FullHttpResponse error(int status, String type, String message, String requestId) {
        ObjectNode body = Json.object();
        body.put("__type", type);
        body.put("Message", message);
        FullHttpResponse r = json(HttpResponseStatus.valueOf(status), body, requestId);
        r.headers().set(Responses.ERROR_TYPE, type);
        return r;
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response, String operation, long start) {
        int status = response.status().code();
        ctx.writeAndFlush(response);
        Timer.builder("busbar.server.requests")
                .description("API requests by operation and HTTP status")
                .tag("operation", operation)
                .tag("status", String.valueOf(status))
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}
