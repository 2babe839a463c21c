package io.busbar.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * {@link HttpObjectAggregator} whose 413 for a body over the limit carries an error body in the API's form
 * ({@code {"__type","message"}}, with a request id) rather than Netty's empty one, so that an SDK or the aws CLI
 * shows why. Whether the connection stays open follows Netty's rule: it is closed when the body has started to
 * arrive or the client will not keep it alive, and kept (the excess discarded) when the client can go on.
 */
final class BodyAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;

    BodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        long declared = HttpUtil.getContentLength(oversized, -1L);
        FullHttpResponse r = Responses.error(413, "RequestEntityTooLargeException", "The request body"
                + (declared >= 0 ? " of " + declared + " bytes" : "") + " is over the server's limit of "
                + maxBodyBytes + " bytes.", Responses.requestId());
        boolean close = oversized instanceof FullHttpMessage
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        if (close) {
            HttpUtil.setKeepAlive(r, false);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}
