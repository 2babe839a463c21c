package io.busbar.server;

import io.busbar.core.Busbar;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The EventBridge API over HTTP/1.1 for one {@link Busbar}: what the aws CLI and the AWS SDKs talk to with
 * {@code --endpoint-url}.
 *
 * <pre>{@code
 * PrometheusMeterRegistry metrics = BusbarServer.newPrometheusRegistry();
 * Busbar busbar = Busbar.builder().meterRegistry(metrics).build();
 * try (BusbarServer server = BusbarServer.builder(busbar).port(4010).build().start()) {
 *     ... // POST / with X-Amz-Target: AWSEvents.PutEvents; GET /health; GET /metrics
 * }
 * }</pre>
 *
 * <p>Netty with epoll where the platform has it, NIO otherwise. Requests are bounded (body size, header size, a
 * deadline to arrive whole) and idle connections are closed, so slow or abusive clients cannot hold memory. With
 * credentials ({@link Builder#credentials}) every API request must carry a valid SigV4 signature; without, any
 * credentials are accepted. {@code /metrics} serves the bus's meters when its registry is a
 * {@link PrometheusMeterRegistry}.
 *
 * <p>{@link #close()} is graceful: the server stops accepting connections, lets the requests in flight finish (up
 * to the drain timeout), closes the connections, then closes the {@link Busbar} (unless told not to). Thread-safe.
 */
public final class BusbarServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BusbarServer.class.getName());

    private final Busbar busbar;
    private final io.busbar.core.schemas.SchemaRegistry schemas;
    private final Builder config;
    private final TagStore tags;
    private final ServerState state;
    private final ThreadPoolExecutor control;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final boolean epoll;
    private volatile Channel serverChannel;
    private volatile boolean closed;

    private BusbarServer(Builder b, TagStore tags) {
        this.busbar = b.busbar;
        this.schemas = io.busbar.core.schemas.SchemaRegistry.builder(busbar).build();
        this.config = b;
        this.tags = tags;
        this.state = new ServerState(new DefaultChannelGroup("busbar-connections", GlobalEventExecutor.INSTANCE));
        AtomicInteger n = new AtomicInteger();
        this.control = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(b.controlQueueCapacity), r -> {
            Thread t = new Thread(r, "busbar-control-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.epoll = b.nativeTransport && Epoll.isAvailable();
        if (epoll) {
            boss = new EpollEventLoopGroup(1, new DefaultThreadFactory("busbar-accept", true));
            workers = new EpollEventLoopGroup(b.ioThreads, new DefaultThreadFactory("busbar-io", true));
        } else {
            boss = new NioEventLoopGroup(1, new DefaultThreadFactory("busbar-accept", true));
            workers = new NioEventLoopGroup(b.ioThreads, new DefaultThreadFactory("busbar-io", true));
        }
    }

    /**
     * The delivery linger for a bus behind a server ({@code Busbar.Builder.deliveryLinger}), as {@code busbar serve}
     * sets it: none, as the bus's own default has been since 2026-11-27. The I/O threads and the clients need the
     * cores that a lingering delivery thread keeps busy: on a 2-core host, 200 us raised PutEvents x1 to 0.77-0.95 of
     * a bare Netty server, but the p99 at half load went to 24-48 ms, against 3-12 ms at 30 us. With the poll
     * interval ({@link #DELIVERY_POLL_INTERVAL}), 30 us did worse than none at 33,000 requests a second (p99 3.2 and
     * 3.9 ms against 1.1 and 2.1 ms, and deliveries' p99 1.1 ms against 0.4 ms) in two pairs of runs, 2026-11-27.
     */
    public static final java.time.Duration DELIVERY_LINGER = java.time.Duration.ZERO;

    /**
     * The delivery poll interval for a bus behind a server ({@code Busbar.Builder.deliveryPollInterval}), as
     * {@code busbar serve} sets it: 250 us, the bus's own default. Deliveries wait up to that long more, and the I/O
     * threads do not wake a delivery thread per request: at 33,000 1-entry requests a second on a 2-core host, the
     * delivery threads' CPU per request fell from 5.6 us to 2.2-2.4, the I/O threads' from 24.7-24.8 us to 22.3-22.7,
     * the request p99 from 3.9 and 11.1 ms to 1.3 and 3.8 ms, and the p99 from acceptance to delivery from 1.6-1.8 ms
     * to 0.4 ms, against a 30 us linger (two pairs of runs of {@code HttpLoadDriver --open-rate=33000}, 2026-11-27).
     */
    public static final java.time.Duration DELIVERY_POLL_INTERVAL = java.time.Duration.ofNanos(250_000);

    /**
     * A Prometheus registry for the bus ({@code Busbar.builder().meterRegistry(...)}) whose meters {@code /metrics}
     * then serves. (The bus gives every meter the same three labels, {@code bus}, {@code rule} and {@code target},
     * empty where one does not apply, as Prometheus wants one label set per meter name.)
     */
    public static PrometheusMeterRegistry newPrometheusRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** A builder for a server in front of {@code busbar}. */
    public static Builder builder(Busbar busbar) {
        return new Builder(busbar);
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws IllegalStateException if the port cannot be bound (the message says which)
     */
    public BusbarServer start() {
        if (serverChannel != null || closed) {
            throw new IllegalStateException("the server was already started");
        }
        PrometheusMeterRegistry prometheus = busbar.meterRegistry() instanceof PrometheusMeterRegistry p ? p : null;
        EndpointsHandler endpoints = new EndpointsHandler(state, prometheus, control);
        SigV4Handler sigv4 = config.credentials == null ? null
                : new SigV4Handler(new SigV4Verifier(config.credentials, config.clock));
        AwsJsonHandler api = new AwsJsonHandler(Operations.of(busbar, tags), control, busbar.meterRegistry());
        ServerInitializer.Limits limits = new ServerInitializer.Limits(config.maxBodyBytes,
                config.requestTimeout.toMillis(), config.idleTimeout.toMillis(), config.maxConnections);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ServerInitializer(state, limits, endpoints, sigv4, api,
                        new SchedulerHandler(busbar.scheduler(), control, busbar.meterRegistry(), busbar.clock()))
                        .withSchemas(new SchemasHandler(new SchemaOperations(schemas), control)));
        try {
            serverChannel = bootstrap.bind(config.host, config.port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownThreads(Duration.ZERO);
            throw new IllegalStateException("Cannot listen on " + config.host + ":" + config.port + ": "
                    + e.getMessage(), e);
        }
        return this;
    }

    /** The port the server listens on (the one chosen by the system when the builder asked for 0). */
    public int port() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("the server is not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    public String host() {
        return config.host;
    }

    /** {@code http://host:port}, the endpoint URL to give clients. */
    public URI endpoint() {
        String h = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return URI.create("http://" + h + ":" + port());
    }

    /** The Schema Registry behind the Schemas API ({@code /v1/...}), discovering from this server's bus. */
    public io.busbar.core.schemas.SchemaRegistry schemas() {
        return schemas;
    }

    public Busbar busbar() {
        return busbar;
    }

    /** Whether the server runs on epoll (Linux) rather than NIO. */
    public boolean nativeTransport() {
        return epoll;
    }

    /** Whether the server answers every request, signed or not ({@code false} with credentials). */
    public boolean acceptsAnyCredentials() {
        return config.credentials == null;
    }

    /** Graceful shutdown with the builder's drain timeout; see the class comment. */
    @Override
    public void close() {
        close(config.drainTimeout);
    }

    /**
     * Stops accepting connections, waits up to {@code drainTimeout} for the requests in flight, closes every
     * connection and the threads, then closes the bus (unless {@link Builder#closeBusbar(boolean)} said not to).
     *
     * @return whether every request in flight finished within the timeout
     */
    public synchronized boolean close(Duration drainTimeout) {
        if (closed) {
            return true;
        }
        closed = true;
        state.startDraining();
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (state.inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean drained = state.inFlight.get() == 0;
        if (!drained) {
            LOG.log(System.Logger.Level.WARNING, "Shutting down with {0} requests still in flight",
                    state.inFlight.get());
        }
        state.channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutdownThreads(Duration.ofSeconds(2));
        schemas.close();
        if (config.closeBusbar) {
            busbar.close();
        }
        return drained;
    }

    private void shutdownThreads(Duration timeout) {
        control.shutdown();
        boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            control.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.terminationFuture().awaitUninterruptibly(timeout.toMillis() + 1000);
        workers.terminationFuture().awaitUninterruptibly(timeout.toMillis() + 1000);
    }

    /**
     * Settings, each validated as it is set (the message names it). Defaults: {@code 127.0.0.1:4010}, bodies up to
     * 2 MiB, 30-second request deadline, connections idle for 60 seconds closed, at most 1,024 connections, 10
     * seconds to drain on close, any credentials accepted.
     */
    public static final class Builder {
        private final Busbar busbar;
        private String host = "127.0.0.1";
        private int port = 4010;
        private Map<String, String> credentials;
        private ConfigFile configFile;
        private int maxBodyBytes = 2 * 1024 * 1024;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private int maxConnections = 1024;
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int controlQueueCapacity = 1024;
        private boolean nativeTransport = true;
        private boolean closeBusbar = true;
        private Clock clock = Clock.systemUTC();

        private Builder(Busbar busbar) {
            this.busbar = Objects.requireNonNull(busbar, "busbar");
        }

        public Builder host(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("host: " + value + " (expected: a host name or address)");
            }
            this.host = value;
            return this;
        }

        /** The port; 0 lets the system choose (see {@link BusbarServer#port()}). */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port: " + value + " (expected: 0 to 65535)");
            }
            this.port = value;
            return this;
        }

        /** Require SigV4 signatures by these keys: secret access key by access key id. */
        public Builder credentials(Map<String, String> secretsByAccessKeyId) {
            Objects.requireNonNull(secretsByAccessKeyId, "credentials");
            if (secretsByAccessKeyId.isEmpty()) {
                throw new IllegalArgumentException("credentials: empty (expected: at least one access key)");
            }
            this.credentials = Map.copyOf(secretsByAccessKeyId);
            return this;
        }

        /**
         * Require SigV4 signatures by the keys of a credentials file: a JSON or YAML map of access key id to secret
         * access key, or an AWS shared-credentials file.
         *
         * @throws IllegalArgumentException naming the file and the problem
         */
        public Builder credentialsFile(Path file) {
            return credentials(Credentials.load(file));
        }

        /** Declarations applied to the bus by {@link #build()}, before the port is bound. */
        public Builder config(ConfigFile value) {
            this.configFile = Objects.requireNonNull(value, "config");
            return this;
        }

        /** The largest request body; a larger one is answered 413. */
        public Builder maxBodyBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxBodyBytes: " + value + " (expected: at least 1024)");
            }
            this.maxBodyBytes = value;
            return this;
        }

        /** How long a request may take to arrive in full; slower ones are answered 408 and their connection closed. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive("requestTimeout", value);
            return this;
        }

        /** How long a connection may wait between requests before it is closed. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = positive("idleTimeout", value);
            return this;
        }

        /** How long {@link BusbarServer#close()} waits for requests in flight. */
        public Builder drainTimeout(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("drainTimeout: " + value + " (expected: zero or positive)");
            }
            this.drainTimeout = value;
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = atLeastOne("maxConnections", value);
            return this;
        }

        public Builder ioThreads(int value) {
            this.ioThreads = atLeastOne("ioThreads", value);
            return this;
        }

        /** Control-plane requests waiting for the control thread before new ones get {@code ThrottlingException}. */
        public Builder controlQueueCapacity(int value) {
            this.controlQueueCapacity = atLeastOne("controlQueueCapacity", value);
            return this;
        }

        /** Whether to use epoll when the platform has it (default true); false forces NIO. */
        public Builder nativeTransport(boolean value) {
            this.nativeTransport = value;
            return this;
        }

        /** Whether {@link BusbarServer#close()} also closes the bus (default true). */
        public Builder closeBusbar(boolean value) {
            this.closeBusbar = value;
            return this;
        }

        /** The clock SigV4 request times are checked against. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Applies the configuration file to the bus and makes the server, not yet listening.
         *
         * @throws ConfigException if the configuration file declares something the bus refuses
         */
        public BusbarServer build() {
            TagStore tags = new TagStore(busbar);
            if (configFile != null) {
                configFile.applyTo(busbar, tags);
            }
            return new BusbarServer(this, tags);
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: a positive duration)");
            }
            return value;
        }

        private static int atLeastOne(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: at least 1)");
            }
            return value;
        }
    }
}
