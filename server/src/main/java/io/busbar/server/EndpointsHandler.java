package io.busbar.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Routes by path: {@code POST /} and the Scheduler's REST paths ({@code /schedules...},
 * {@code /schedule-groups...}) go on to the API handlers; {@code GET /health} answers the server's state
 * ({@code 200 {"status":"UP"}}, or {@code 503 {"status":"DRAINING"}} during shutdown); {@code GET /metrics} answers
 * the Prometheus text exposition of the bus's meters (scraped on the control executor, off the event loop).
 * Anything else is {@code 404} or {@code 405}, and a request the codec could not decode is {@code 400}
 * ({@code 414}/{@code 431} for an over-long line or headers) and closes the connection.
 *
 * <p>Stateless and shared by every connection.
 */
@ChannelHandler.Sharable
final class EndpointsHandler extends ChannelInboundHandlerAdapter {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerState state;
    private final PrometheusMeterRegistry prometheus;
    private final Executor control;

    /**
     * @param prometheus the bus's registry, or null when the bus does not use Prometheus ({@code /metrics} is 404)
     * @param control    where scrapes run
     */
    EndpointsHandler(ServerState state, PrometheusMeterRegistry prometheus, Executor control) {
        this.state = state;
        this.prometheus = prometheus;
        this.control = control;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            DecoderResult decoded = request.decoderResult();
            if (decoded.isFailure()) {
                Throwable cause = decoded.cause();
                HttpResponseStatus status = cause instanceof TooLongHttpLineException
                        ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST;
                FullHttpResponse r = Responses.error(status.code(), "BadRequest",
                        "The request could not be decoded: " + cause.getMessage(), Responses.requestId());
                HttpUtil.setKeepAlive(r, false);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            HttpMethod method = request.method();
            if ((path.equals("/") && method.equals(HttpMethod.POST)) || SchemasHandler.handles(path)
                    || SchedulerHandler.handles(path)) {
                ctx.fireChannelRead(request.retain());
                return;
            }
            boolean get = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
            switch (path) {
                case "/health" -> {
                    if (!get) {
                        notAllowed(ctx, "GET");
                    } else {
                        health(ctx);
                    }
                }
                case "/metrics" -> {
                    if (!get) {
                        notAllowed(ctx, "GET");
                    } else {
                        metrics(ctx);
                    }
                }
                case "/" -> notAllowed(ctx, "POST");
                default -> ctx.writeAndFlush(Responses.error(404, "NotFound", "No resource at " + path
                        + " (the API is POST /, with /health and /metrics beside it).", Responses.requestId()));
            }
        } finally {
            request.release();
        }
    }

    private void health(ChannelHandlerContext ctx) {
        boolean draining = state.draining();
        ObjectNode body = Json.object();
        body.put("status", draining ? "DRAINING" : "UP");
        FullHttpResponse r = Responses.json(draining ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                body, Responses.requestId());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        ctx.writeAndFlush(r);
    }

    private void metrics(ChannelHandlerContext ctx) {
        if (prometheus == null) {
            ctx.writeAndFlush(Responses.error(404, "NotFound",
                    "Metrics are off: the bus's MeterRegistry is not a PrometheusMeterRegistry.", Responses.requestId()));
            return;
        }
        try {
            control.execute(() -> {
                String text = prometheus.scrape();
                ctx.writeAndFlush(Responses.text(HttpResponseStatus.OK, PROMETHEUS_TEXT, text));
            });
        } catch (RejectedExecutionException e) {
            ctx.writeAndFlush(Responses.error(503, "ServiceUnavailable", "The server is busy or shutting down.",
                    Responses.requestId()));
        }
    }

    private static void notAllowed(ChannelHandlerContext ctx, String allow) {
        FullHttpResponse r = Responses.error(405, "MethodNotAllowed", "Use " + allow + ".", Responses.requestId());
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        ctx.writeAndFlush(r);
    }
}
