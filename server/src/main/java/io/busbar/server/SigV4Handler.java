package io.busbar.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Lets through only API requests whose SigV4 signature verifies; answers the others with AWS's error
 * ({@code UnrecognizedClientException} for a missing or unknown access key, {@code InvalidSignatureException} for
 * a wrong signature). Present in the pipeline only when the server has credentials. Shared by every connection.
 */
@ChannelHandler.Sharable
final class SigV4Handler extends ChannelInboundHandlerAdapter {
    private final SigV4Verifier verifier;

    SigV4Handler(SigV4Verifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            verifier.verify(request);
        } catch (ApiException e) {
            request.release();
            ctx.writeAndFlush(Responses.error(e, Responses.requestId()));
            return;
        }
        ctx.fireChannelRead(request);
    }
}
