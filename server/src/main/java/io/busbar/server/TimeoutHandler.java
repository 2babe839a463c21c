package io.busbar.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps slow or silent clients from holding a connection: a request must arrive whole within the request timeout
 * (else {@code 408} and the connection is closed, however steadily its bytes trickle in), and a connection that
 * waits for its next request longer than the idle time (an {@link IdleStateEvent} from the {@code IdleStateHandler}
 * before the codec) is closed. A connection whose request is being answered is never closed for idleness.
 *
 * <p>Sits between the HTTP codec and the aggregator, so it sees the request's start and its last part. One
 * instance per connection; all calls on the connection's event loop.
 */
final class TimeoutHandler extends ChannelDuplexHandler {
    private final long requestTimeoutMillis;
    private ScheduledFuture<?> deadline;
    private boolean answering;

    TimeoutHandler(long requestTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest && deadline == null) {
            deadline = ctx.executor().schedule(() -> expire(ctx), requestTimeoutMillis, TimeUnit.MILLISECONDS);
        }
        if (msg instanceof LastHttpContent) {
            cancel();
            answering = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            answering = false;
        }
        ctx.write(msg, promise);
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (ctx.channel().isActive()) {
            FullHttpResponse r = Responses.error(408, "RequestTimeoutException",
                    "The request was not received in full within " + requestTimeoutMillis + " ms.",
                    Responses.requestId());
            r.setStatus(HttpResponseStatus.REQUEST_TIMEOUT);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (deadline == null && !answering) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
