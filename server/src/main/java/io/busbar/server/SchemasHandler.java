package io.busbar.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The Schemas REST-JSON API ({@code /v1/...}): takes those requests off the pipeline and answers them on the control
 * executor (registry calls take a lock, so they stay off the event loop); every other request goes on. Shared by
 * every connection.
 */
@ChannelHandler.Sharable
final class SchemasHandler extends ChannelInboundHandlerAdapter {
    private final SchemaOperations operations;
    private final Executor control;

    SchemasHandler(SchemaOperations operations, Executor control) {
        this.operations = operations;
        this.control = control;
    }

    /** Whether a request path belongs to the Schemas API. */
    static boolean handles(String path) {
        return path.startsWith("/v1/") || path.startsWith("/tags/arn:aws:schemas:");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (!handles(uri.path())) {
            ctx.fireChannelRead(msg);
            return;
        }
        String method;
        String body;
        try {
            method = request.method().name();
            body = request.content().toString(StandardCharsets.UTF_8);
        } finally {
            request.release();
        }
        String requestId = Responses.requestId();
        try {
            control.execute(() -> ctx.writeAndFlush(operations.handle(method, uri.rawPath(), uri.parameters(), body,
                    requestId)));
        } catch (RejectedExecutionException e) {
            ctx.writeAndFlush(SchemaOperations.error(503, "ServiceUnavailableException",
                    "The server is busy or shutting down.", requestId));
        }
    }
}
