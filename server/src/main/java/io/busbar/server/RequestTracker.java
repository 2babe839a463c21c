package io.busbar.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One request at a time per connection, counted for a graceful shutdown. A request is in flight from its first
 * byte until its response is written, so shutdown also waits for a request that is still arriving. Once a request
 * has arrived whole and its answer is not written at once, the connection stops reading until it is answered, and
 * what was already read of the next (pipelined) request waits here: requests are answered in order although
 * operations run on different threads, and a client cannot queue work faster than it is answered. While the server
 * drains, responses close their connection.
 *
 * <p>Sits before the aggregator, so it sees the request's first and last parts and also the aggregator's own
 * {@code 413}, which may come before the request's last part. One instance per connection; all calls on the
 * connection's event loop.
 */
final class RequestTracker extends ChannelDuplexHandler {
    private final ServerState state;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    /** From the request's first part until its response is written. */
    private boolean inFlight;
    /** From the request's last part until its response is written. */
    private boolean received;

    RequestTracker(ServerState state) {
        this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (received) {
            waiting.add(msg); // the next request, read in the same batch as this one's end
            return;
        }
        if (msg instanceof HttpRequest && !inFlight) {
            inFlight = true;
            state.inFlight.incrementAndGet();
        }
        if (msg instanceof LastHttpContent && inFlight) {
            received = true;
            ctx.fireChannelRead(msg);
            // Stop reading only if the answer is still to come. Most are written before fireChannelRead returns
            // (PutEvents in memory mode, on the event loop), and stopping and resuming cost two epoll_ctl calls per
            // request: 12% of an I/O thread's time at full load with one entry per request. What was already read
            // of a next request waits in `waiting` either way.
            if (received) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse response && state.draining()) {
            HttpUtil.setKeepAlive(response, false);
        }
        if (msg instanceof LastHttpContent && inFlight) {
            promise = promise.unvoid();
            promise.addListener(f -> done(ctx));
        }
        ctx.write(msg, promise);
    }

    private void done(ChannelHandlerContext ctx) throws Exception {
        if (inFlight) {
            inFlight = false;
            state.inFlight.decrementAndGet();
        }
        received = false;
        while (!received && !waiting.isEmpty() && ctx.channel().isActive()) {
            channelRead(ctx, waiting.poll());
        }
        if (!received) {
            ctx.channel().config().setAutoRead(true); // also asks for the next read
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (inFlight) {
            inFlight = false;
            state.inFlight.decrementAndGet();
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        Object m;
        while ((m = waiting.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }
}
