package io.busbar.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection, in order:
 * <ol>
 *   <li>{@code IdleStateHandler}: notices a connection with no traffic for the idle time;</li>
 *   <li>{@code HttpServerCodec}, with limits on the request line (4 KiB) and headers (16 KiB);</li>
 *   <li>{@code HttpServerKeepAliveHandler}: HTTP/1.1 keep-alive;</li>
 *   <li>{@link TimeoutHandler}: the request deadline (408) and closing idle connections;</li>
 *   <li>{@link RequestTracker}: one request at a time, counted for shutdown;</li>
 *   <li>{@link BodyAggregator} with the body limit: a larger body is answered 413 (its connection is then
 *       closed, or kept when the client can go on, its excess body discarded within the request deadline);</li>
 *   <li>{@link EndpointsHandler}: {@code /health}, {@code /metrics}, routing;</li>
 *   <li>{@link SigV4Handler} when the server has credentials;</li>
 *   <li>{@link SchedulerHandler}: the EventBridge Scheduler REST-JSON API;</li>
 *   <li>{@link AwsJsonHandler}: the API.</li>
 * </ol>
 * Connections beyond the limit are closed as they are accepted.
 */
final class ServerInitializer extends ChannelInitializer<Channel> {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 16 * 1024;

    private final ServerState state;
    private final Limits limits;
    private final EndpointsHandler endpoints;
    private final SigV4Handler sigv4;
    private final AwsJsonHandler api;
    private SchemasHandler schemas;
    private final SchedulerHandler schedulerApi;

    /** The server's limits on connections and requests. */
    record Limits(int maxBodyBytes, long requestTimeoutMillis, long idleTimeoutMillis, int maxConnections) {
    }

    /** @param sigv4 null when any credentials are accepted */
    ServerInitializer(ServerState state, Limits limits, EndpointsHandler endpoints, SigV4Handler sigv4,
                      AwsJsonHandler api) {
        this(state, limits, endpoints, sigv4, api, null);
    }

    /** @param schedulerApi null when the server offers no Scheduler API */
    ServerInitializer(ServerState state, Limits limits, EndpointsHandler endpoints, SigV4Handler sigv4,
                      AwsJsonHandler api, SchedulerHandler schedulerApi) {
        this.schedulerApi = schedulerApi;
        this.state = state;
        this.limits = limits;
        this.endpoints = endpoints;
        this.sigv4 = sigv4;
        this.api = api;
    }

    /** Adds the Schemas REST API ({@code /v1/...}) in front of the AWS JSON API. */
    ServerInitializer withSchemas(SchemasHandler handler) {
        this.schemas = handler;
        return this;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (state.channels.size() >= limits.maxConnections()) {
            ch.close();
            return;
        }
        state.channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
        p.addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 8192));
        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
        p.addLast("timeouts", new TimeoutHandler(limits.requestTimeoutMillis()));
        p.addLast("tracker", new RequestTracker(state));
        p.addLast("aggregator", new BodyAggregator(limits.maxBodyBytes()));
        p.addLast("endpoints", endpoints);
        if (sigv4 != null) {
            p.addLast("sigv4", sigv4);
        }
        if (schemas != null) {
            p.addLast("schemas", schemas);
        }
        if (schedulerApi != null) {
            p.addLast("scheduler", schedulerApi);
        }
        p.addLast("api", api);
    }
}
