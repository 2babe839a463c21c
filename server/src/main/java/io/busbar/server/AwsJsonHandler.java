package io.busbar.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.BusbarException;
import io.busbar.core.TargetValidationException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The EventBridge API over AWS JSON 1.1 (spec 2): {@code X-Amz-Target: AWSEvents.<Operation>} names the
 * operation, the body is its input. The body is parsed on the event loop (it is bounded by the aggregator); the
 * operation then runs on the event loop when it never blocks, else on the control executor, and its output or
 * error is written back from there.
 *
 * <p>Errors: no or unknown target is {@code UnknownOperationException}; an operation of the API that Busbar does not
 * offer is {@code OperationDisabledException}; a body that is not JSON (or a member of the wrong JSON type) is
 * {@code SerializationException}; refusals of the bus keep its code and message; a bug is
 * {@code 500 InternalException} and logged. Each request is timed in {@code busbar.server.requests}
 * ({@code operation}, {@code status}).
 *
 * <p>Stateless and shared by every connection.
 */
@ChannelHandler.Sharable
final class AwsJsonHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String TARGET_HEADER = "X-Amz-Target";
    static final String TARGET_PREFIX = "AWSEvents.";
    private static final System.Logger LOG = System.getLogger(AwsJsonHandler.class.getName());

    private final Operations operations;
    private final Executor control;
    private final MeterRegistry meters;
    private final java.util.concurrent.ConcurrentMap<TimerKey, Timer> timers =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record TimerKey(String operation, int status) {
    }

    AwsJsonHandler(Operations operations, Executor control, MeterRegistry meters) {
        this.operations = operations;
        this.control = control;
        this.meters = meters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        String requestId = Responses.requestId();
        String target = request.headers().get(TARGET_HEADER);
        String name = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length())
                : null;
        Operations.Entry entry = name == null ? null : operations.find(name);
        if (entry == null) {
            ApiException e = name != null && Operations.MODEL.contains(name)
                    ? ApiException.badRequest("OperationDisabledException", "Operation " + name
                    + " is not available in Busbar.")
                    : ApiException.badRequest(ApiException.UNKNOWN_OPERATION, target == null
                    ? "Missing " + TARGET_HEADER + " header: expected AWSEvents.<Operation>."
                    : "Unknown operation " + target + ".");
            respond(ctx, Responses.error(e, requestId), "unknown", start);
            return;
        }
        if (entry.raw() != null) {
            java.util.concurrent.CompletionStage<byte[]> fast;
            try {
                fast = entry.raw().tryInvoke(request.content());
            } catch (RuntimeException e) {
                respond(ctx, error(entry, e, requestId), entry.name(), start);
                return;
            }
            if (fast != null) {
                fast.whenComplete((out, e) -> respond(ctx, e == null ? Responses.json(out, requestId)
                        : error(entry, e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e, requestId), entry.name(), start));
                return;
            }
        }
        JsonNode body;
        try {
            body = parse(request);
        } catch (ApiException e) {
            respond(ctx, Responses.error(e, requestId), entry.name(), start);
            return;
        }
        if (entry.async() != null) {
            java.util.concurrent.CompletionStage<JsonNode> stage;
            try {
                stage = entry.async().invoke(Shape.api(body));
            } catch (RuntimeException e) {
                respond(ctx, error(entry, e, requestId), entry.name(), start);
                return;
            }
            stage.whenComplete((out, e) -> respond(ctx, e == null ? Responses.json(HttpResponseStatus.OK, out, requestId)
                    : error(entry, e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e, requestId), entry.name(), start));
            return;
        }
        if (entry.onEventLoop()) {
            respond(ctx, invoke(entry, body, requestId), entry.name(), start);
            return;
        }
        try {
            control.execute(() -> respond(ctx, invoke(entry, body, requestId), entry.name(), start));
        } catch (RejectedExecutionException e) {
            respond(ctx, Responses.error(400, ApiException.THROTTLING, "Rate exceeded", requestId), entry.name(),
                    start);
        }
    }

    /**
     * The end of the pipeline: a connection reset, or a client that hung up in the middle of a request, only
     * closes that connection.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "Closing connection " + ctx.channel() + ": " + cause);
        ctx.close();
    }

    private static JsonNode parse(FullHttpRequest request) {
        if (!request.content().isReadable()) {
            return null;
        }
        try (ByteBufInputStream in = new ByteBufInputStream(request.content().duplicate())) {
            return Json.MAPPER.readTree((java.io.InputStream) in);
        } catch (JacksonException e) {
            throw ApiException.serialization("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.serialization("The request body could not be read: " + e.getMessage());
        }
    }

    /** Runs an operation and turns every outcome into a response; never throws. */
    private FullHttpResponse invoke(Operations.Entry entry, JsonNode body, String requestId) {
        try {
            JsonNode out = entry.operation().invoke(Shape.api(body));
            return Responses.json(HttpResponseStatus.OK, out, requestId);
        } catch (RuntimeException e) {
            return error(entry, e, requestId);
        }
    }

    /** The response for an operation's failure: refusals keep their code and message; anything else is a bug. */
    private static FullHttpResponse error(Operations.Entry entry, Throwable e, String requestId) {
        if (e instanceof ApiException a) {
            return Responses.error(a, requestId);
        }
        if (e instanceof BusbarException b) {
            return Responses.error(status(b.errorCode()), b.errorCode(), b.getMessage(), requestId);
        }
        if (e instanceof TargetValidationException t) {
            return Responses.error(400, t.errorCode(), t.getMessage(), requestId);
        }
        LOG.log(System.Logger.Level.ERROR, "AWSEvents." + entry.name() + " failed (request " + requestId + ")", e);
        return Responses.error(500, ApiException.INTERNAL, "An internal error occurred (request " + requestId
                + ").", requestId);
    }

    private static int status(String code) {
        return switch (code) {
            case "InternalException", "InternalFailure" -> 500;
            case "ServiceUnavailable" -> 503;
            default -> 400;
        };
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response, String operation, long start) {
        int status = response.status().code();
        ctx.writeAndFlush(response);
        TimerKey key = new TimerKey(operation, status);
        Timer timer = timers.get(key);
        if (timer == null) {
            // Registered once per (operation, status): a registry lookup per request cost more than the timing.
            timer = timers.computeIfAbsent(key, k -> Timer.builder("busbar.server.requests")
                    .description("API requests by operation and HTTP status")
                    .tag("operation", operation)
                    .tag("status", String.valueOf(status))
                    .register(meters));
        }
        timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
