package io.busbar.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.Busbar;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Target;
import io.busbar.server.BusbarServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load driver for the server: {@code AWSEvents.PutEvents} over AWS JSON 1.1 on loopback, against Busbar and
 * against a bare Netty HTTP server that answers a fixed 200, in one run, so the cost of the HTTP layer itself (and of
 * the client, which shares the machine) can be told apart from Busbar's.
 *
 * <ol>
 *   <li><b>bare</b>: a Netty server with the same transport, I/O thread count and HTTP codec as BusbarServer, that
 *       answers every POST with a fixed 200 and a PutEvents-shaped body; the driver sends it the 1-entry requests;</li>
 *   <li><b>busbar x1</b>: a {@link BusbarServer} (in memory, no SigV4, Prometheus meters as the {@code busbar serve}
 *       command has) with one rule that matches every event and an in-process function target that counts; 1 entry
 *       per request;</li>
 *   <li><b>busbar x10</b>: the same with 10 entries per request;</li>
 *   <li><b>open loop</b>: 1-entry requests to Busbar at a fixed rate, half of the busbar x1 request rate; latency is
 *       measured from when each request was due, not when a connection was free to send it, so queueing in the
 *       driver counts (no coordinated omission);</li>
 *   <li><b>bare open</b>: the same open loop, at the same rate, against a new bare server: the p99 that the host and
 *       the client alone give at that rate, in the same run; then at half of the bare server's own maximum, the
 *       goal's "p99 at half load" put to a server that does nothing.</li>
 * </ol>
 * The first three are closed loops: each of {@code --connections} keep-alive connections sends its next request as
 * soon as the answer to the previous one is in (no pipelining). Every phase, the open loop too, has a warmup of
 * {@code --warmup} seconds that is not measured, then {@code --seconds} measured, and a Busbar phase starts once the
 * previous one's deliveries are all made. (The open loop had no warmup before 2026-11-27: its first seconds, with the
 * pacer's code not yet compiled, gave the bare server a p99 of 5.8 ms against 2.7 ms in a second run.) The client is
 * Netty (epoll where available) on {@code --client-threads} event-loop threads. For each phase the driver prints
 * requests/s, accepted entries/s, latency p50/p99/p99.9 and the errors (non-200 answers and failed entries); then
 * Busbar x1's requests/s as a fraction of the bare server's, the open loops' p99s, and whether every accepted entry
 * reached the counting function. Requests are unsigned: the server is run without credentials, so SigV4
 * verification is not measured. Loopback only; every phase is bounded in time and in requests
 * ({@code --max-requests}); the driver stops by itself.
 *
 * <p>Run (from the repository root, after {@code mvn -B -DskipTests -pl benchmarks -am package}):
 * <pre>{@code
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar io.busbar.benchmarks.HttpLoadDriver \
 *     [--seconds=10] [--warmup=5] [--connections=16] [--client-threads=2] [--server-threads=2] \
 *     [--max-requests=20000000] [--open-rate=N]
 * }</pre>
 * A smoke run: {@code --seconds=2 --warmup=1}. {@code --open-rate} runs both open loops at that rate instead of
 * half of busbar x1's (the bare server's own half-load loop still runs at half of its maximum): two builds compared
 * at the same offered load, which a closed loop that varies by a third from run to run does not give.
 */
public final class HttpLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "bench.orders";
    private static final int DISTINCT_BODIES = 1024;
    private static final byte[] FAILED_ENTRY_COUNT = "\"FailedEntryCount\":".getBytes(StandardCharsets.US_ASCII);
    /** A 1-entry PutEvents answer, as the bare server's fixed body. */
    private static final byte[] BARE_RESPONSE = ("{\"FailedEntryCount\":0,\"Entries\":"
            + "[{\"EventId\":\"6f1f4d2a-2b0c-4a3e-9d61-0c7e2f6a9b11\"}]}").getBytes(StandardCharsets.US_ASCII);

    private HttpLoadDriver() {
    }

    /** Command-line settings. */
    record Options(int seconds, int warmup, int connections, int clientThreads, int serverThreads, long maxRequests,
                   long openRate) {
        static Options parse(String[] args) {
            int seconds = 10;
            int warmup = 5;
            int connections = 16;
            int clientThreads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
            int serverThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            long maxRequests = 20_000_000;
            long openRate = 0;
            for (String a : args) {
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("expected --name=value, got " + a);
                }
                String name = a.substring(2, eq);
                long v = Long.parseLong(a.substring(eq + 1));
                if (v < 1) {
                    throw new IllegalArgumentException(a + ": expected a positive number");
                }
                switch (name) {
                    case "seconds" -> seconds = (int) Math.min(v, 3600);
                    case "warmup" -> warmup = (int) Math.min(v, 3600);
                    case "connections" -> connections = (int) Math.min(v, 512);
                    case "client-threads" -> clientThreads = (int) Math.min(v, 64);
                    case "server-threads" -> serverThreads = (int) Math.min(v, 64);
                    case "max-requests" -> maxRequests = v;
                    case "open-rate" -> openRate = Math.min(v, 10_000_000);
                    default -> throw new IllegalArgumentException("unknown option --" + name + " (expected: seconds,"
                            + " warmup, connections, client-threads, server-threads, max-requests, open-rate)");
                }
            }
            return new Options(seconds, warmup, connections, clientThreads, serverThreads, maxRequests, openRate);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        boolean epoll = Epoll.isAvailable();
        List<byte[]> one = bodies(1);
        List<byte[]> ten = bodies(10);
        System.out.printf(Locale.ROOT, "HttpLoadDriver: %d connections, %d client threads, %d server I/O threads, %s,"
                        + " %d s per phase after %d s warmup, bodies %d B (x1) and %d B (x10)%n",
                o.connections(), o.clientThreads(), o.serverThreads(), epoll ? "epoll" : "nio", o.seconds(),
                o.warmup(), one.get(0).length, ten.get(0).length);

        EventLoopGroup client = epoll
                ? new EpollEventLoopGroup(o.clientThreads(), new DefaultThreadFactory("driver", true))
                : new NioEventLoopGroup(o.clientThreads(), new DefaultThreadFactory("driver", true));
        try {
            Result bare;
            try (BareServer server = BareServer.start(o.serverThreads(), epoll)) {
                bare = closedLoop("bare", client, epoll, server.port(), one, 1, o);
            }
            print(bare);

            LongAdder delivered = new LongAdder();
            Busbar busbar = Busbar.builder().serviceLoader(false).meterRegistry(BusbarServer.newPrometheusRegistry())
                    .deliveryLinger(BusbarServer.DELIVERY_LINGER)
                    .deliveryPollInterval(BusbarServer.DELIVERY_POLL_INTERVAL)
                    .targetQueueCapacity(100_000).build();
            DeliveryLatency deliveryLatency = new DeliveryLatency();
            String counter = busbar.registerFunction("count", d -> {
                delivered.increment();
                deliveryLatency.record(d.ingestionTime());
            });
            busbar.putRule(PutRuleRequest.pattern("all", "{\"source\":[\"" + SOURCE + "\"]}"));
            busbar.putTargets(null, "all", List.of(Target.of("count", counter)));
            Result x1;
            double openRate;
            Result x10;
            Result open;
            try (BusbarServer server = BusbarServer.builder(busbar).host("127.0.0.1").port(0)
                    .ioThreads(o.serverThreads()).build().start()) {
                x1 = closedLoop("busbar x1", client, epoll, server.port(), one, 1, o);
                print(x1);
                awaitDelivered(busbar);
                x10 = closedLoop("busbar x10", client, epoll, server.port(), ten, 10, o);
                print(x10);
                awaitDelivered(busbar);
                openRate = o.openRate() > 0 ? o.openRate() : x1.requestsPerSecond() / 2;
                deliveryLatency.on = true;
                open = openLoop("open x1 @ " + Math.round(openRate) + "/s", client, epoll, server.port(), one, openRate,
                        o);
                awaitDelivered(busbar);
                deliveryLatency.on = false;
                print(open);
                System.out.println("    " + deliveryLatency.line());
            }
            // The same open loop against a server that does nothing: at Busbar's rate, the latency this host and client
            // give at that rate in this run; at half of the bare server's own maximum, the goal's "p99 at half load".
            Result bareOpen;
            Result bareHalf;
            try (BareServer server = BareServer.start(o.serverThreads(), epoll)) {
                bareOpen = openLoop("bare open @ " + Math.round(openRate) + "/s", client, epoll, server.port(), one,
                        openRate, o);
                print(bareOpen);
                bareHalf = openLoop("bare open @ " + Math.round(bare.requestsPerSecond() / 2) + "/s", client, epoll,
                        server.port(), one, bare.requestsPerSecond() / 2, o);
                print(bareHalf);
            }
            long accepted = x1.acceptedTotal() + x10.acceptedTotal() + open.acceptedTotal();
            System.out.println();
            System.out.printf(Locale.ROOT, "ratio   : busbar x1 req/s / bare req/s = %.3f%n",
                    x1.requestsPerSecond() / bare.requestsPerSecond());
            System.out.printf(Locale.ROOT, "ratio   : busbar x10 entries/s / busbar x1 entries/s = %.2f%n",
                    x10.entriesPerSecond() / x1.entriesPerSecond());
            System.out.printf(Locale.ROOT, "open    : at %s (%.0f req/s offered, %.0f achieved), p99 %.3f ms"
                    + " (p50 %.3f, p99.9 %.3f); requests still due at the end: %d%n",
                    o.openRate() > 0 ? "--open-rate" : "half of busbar x1", openRate,
                    open.requestsPerSecond(), open.p99(), open.p50(), open.p999(), open.backlog());
            System.out.printf(Locale.ROOT, "open    : the bare server at the same rate, p99 %.3f ms (p50 %.3f,"
                    + " p99.9 %.3f); requests still due at the end: %d%n", bareOpen.p99(), bareOpen.p50(),
                    bareOpen.p999(), bareOpen.backlog());
            System.out.printf(Locale.ROOT, "open    : the bare server at half of its own maximum (%.0f req/s), p99"
                    + " %.3f ms (p50 %.3f, p99.9 %.3f); requests still due at the end: %d%n",
                    bare.requestsPerSecond() / 2, bareHalf.p99(), bareHalf.p50(), bareHalf.p999(), bareHalf.backlog());
            System.out.printf(Locale.ROOT, "check   : %,d of %,d accepted entries (warmups included) reached the counting"
                    + " function%s%n", delivered.sum(), accepted, delivered.sum() == accepted ? "" : "  <-- MISMATCH");
        } finally {
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The time from an event's acceptance (its {@code ingestionTime}, on the bus's clock) to its delivery to the
     * counting function, for the open loop (warmup included): what a consumer of the events waits, where the
     * request latency is what the producer waits. Microseconds, as {@link Instant#now} gives them here.
     */
    private static final class DeliveryLatency {
        final long[] samples = new long[8_000_000];
        final AtomicInteger count = new AtomicInteger();
        volatile boolean on;

        void record(Instant ingested) {
            if (on) {
                Instant now = Instant.now();
                int i = count.getAndIncrement();
                if (i < samples.length) {
                    samples[i] = (now.getEpochSecond() - ingested.getEpochSecond()) * 1_000_000_000L
                            + now.getNano() - ingested.getNano();
                }
            }
        }

        String line() {
            int n = Math.min(count.get(), samples.length);
            long[] sorted = Arrays.copyOf(samples, n);
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "acceptance to delivery: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms"
                    + " (%d deliveries, warmup included)", pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999), n);
        }
    }

    /**
     * Waits, up to 30 s, until the bus has made every delivery it accepted, so that one phase's deliveries do not
     * run during the next: the x10 phase ends with up to a queue's worth still to deliver.
     */
    private static void awaitDelivered(Busbar busbar) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (busbar.outstandingDeliveries() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /** {@link #DISTINCT_BODIES} PutEvents bodies of {@code entries} entries each, all from {@link #SOURCE}. */
    static List<byte[]> bodies(int entries) throws Exception {
        List<byte[]> out = new ArrayList<>(DISTINCT_BODIES);
        int n = 0;
        for (int b = 0; b < DISTINCT_BODIES; b++) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("Entries");
            for (int e = 0; e < entries; e++, n++) {
                ObjectNode detail = JSON.createObjectNode();
                detail.put("id", String.format(Locale.ROOT, "o-%07d", n));
                detail.put("customer", "c-" + (n % 977));
                detail.put("total", (n % 100_000) / 100.0);
                detail.put("currency", n % 3 == 0 ? "EUR" : "USD");
                ArrayNode items = detail.putArray("items");
                for (int i = 0; i <= n % 3; i++) {
                    items.addObject().put("sku", "sku-" + ((n + i) % 501)).put("qty", 1 + i);
                }
                ObjectNode entry = list.addObject();
                entry.put("Source", SOURCE);
                entry.put("DetailType", n % 2 == 0 ? "Order Placed" : "Order Paid");
                entry.put("Detail", JSON.writeValueAsString(detail));
            }
            out.add(JSON.writeValueAsBytes(body));
        }
        return out;
    }

    private static FullHttpRequest request(ByteBuf body, String host) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", body);
        r.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.1")
                .set("X-Amz-Target", "AWSEvents.PutEvents")
                .set(HttpHeaderNames.USER_AGENT, "busbar-http-load-driver")
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }

    /** The {@code FailedEntryCount} of a PutEvents answer, or -1 if it has none. */
    static int failedEntryCount(ByteBuf content) {
        int from = content.readerIndex();
        int end = content.writerIndex();
        outer:
        for (int i = from; i <= end - FAILED_ENTRY_COUNT.length; i++) {
            for (int k = 0; k < FAILED_ENTRY_COUNT.length; k++) {
                if (content.getByte(i + k) != FAILED_ENTRY_COUNT[k]) {
                    continue outer;
                }
            }
            int n = 0;
            boolean digits = false;
            for (int j = i + FAILED_ENTRY_COUNT.length; j < end; j++) {
                byte c = content.getByte(j);
                if (c >= '0' && c <= '9') {
                    n = n * 10 + (c - '0');
                    digits = true;
                } else if (c != ' ' || digits) {
                    break;
                }
            }
            return digits ? n : -1;
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ phases

    /** What one measured phase did. Latencies in milliseconds. */
    record Result(String name, double seconds, long requests, long entries, long failedEntries, long httpErrors,
                  double p50, double p99, double p999, long acceptedTotal, long backlog, String cpu) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        double entriesPerSecond() {
            return entries / seconds;
        }
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-22s %10.0f req/s %11.0f entries/s   p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms"
                        + "   %d requests in %.1f s, errors: %d HTTP, %d entries%n", r.name(), r.requestsPerSecond(),
                r.entriesPerSecond(), r.p50(), r.p99(), r.p999(), r.requests(), r.seconds(), r.httpErrors(),
                r.failedEntries());
        System.out.println("    " + r.cpu());
    }

    /** A phase's shared state: which bodies to send, whether to go on, and the counters. */
    private static final class Phase {
        final ByteBuf[] bodies;
        final int entriesPerRequest;
        final String host;
        volatile boolean running = true;
        volatile boolean record;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        long limit = Long.MAX_VALUE;
        final LongAdder requests = new LongAdder();
        final LongAdder acceptedEntries = new LongAdder();
        final LongAdder failedEntries = new LongAdder();
        final LongAdder httpErrors = new LongAdder();
        long acceptedTotal;
        /** Open loop only: the due times not yet taken by a connection, and the connections waiting for one. */
        final ConcurrentLinkedQueue<Long> due = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Conn> idle = new ConcurrentLinkedQueue<>();
        boolean openLoop;

        Phase(List<byte[]> bodies, int entriesPerRequest, String host) {
            this.bodies = bodies.stream().map(b -> Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b)))
                    .toArray(ByteBuf[]::new);
            this.entriesPerRequest = entriesPerRequest;
            this.host = host;
        }

        void reset() {
            requests.reset();
            failedEntries.reset();
            httpErrors.reset();
            acceptedTotal += acceptedEntries.sumThenReset();
        }
    }

    /** One keep-alive connection: sends a request, waits for its answer, records it, then asks the phase what next. */
    private static final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
        final Phase phase;
        Channel channel;
        long dueAt;
        int next;
        long[] samples = new long[4096];
        int count;

        Conn(Phase phase, int first) {
            this.phase = phase;
            this.next = first;
        }

        /** On the connection's event loop. */
        void send(long due) {
            dueAt = due;
            phase.inFlight.incrementAndGet();
            phase.sent.incrementAndGet();
            ByteBuf body = phase.bodies[next++ % phase.bodies.length].duplicate();
            channel.writeAndFlush(request(body, phase.host), channel.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            long latency = System.nanoTime() - dueAt;
            if (response.status().code() != 200) {
                phase.httpErrors.increment();
            } else {
                int failed = failedEntryCount(response.content());
                if (failed < 0) {
                    phase.httpErrors.increment();
                } else {
                    phase.failedEntries.add(failed);
                    phase.acceptedEntries.add(phase.entriesPerRequest - failed);
                }
            }
            phase.requests.increment();
            if (phase.record) {
                if (count == samples.length && count < 16_000_000) {
                    samples = Arrays.copyOf(samples, Math.min(16_000_000, count * 2));
                }
                if (count < samples.length) {
                    samples[count++] = latency;
                }
            }
            phase.inFlight.decrementAndGet();
            if (!phase.running) {
                return;
            }
            if (phase.openLoop) {
                Long due = phase.due.poll();
                if (due != null) {
                    send(due);
                } else {
                    phase.idle.add(this);
                }
            } else if (phase.sent.get() < phase.limit) {
                send(System.nanoTime());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("connection " + ctx.channel() + " failed: " + cause);
            phase.httpErrors.increment();
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (phase.running) {
                System.err.println("connection " + ctx.channel() + " closed by the server during the phase");
            }
        }
    }

    private static List<Conn> connect(EventLoopGroup group, boolean epoll, int port, Phase phase, int n)
            throws InterruptedException {
        List<Conn> conns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Conn c = new Conn(phase, i * 61);
            Bootstrap b = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), c);
                        }
                    });
            c.channel = b.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
            conns.add(c);
        }
        return conns;
    }

    /** Runs closed-loop traffic for {@code seconds}, or until {@code maxRequests}; returns the elapsed seconds. */
    private static double runClosed(List<Conn> conns, Phase phase, int seconds, long maxRequests)
            throws InterruptedException {
        phase.running = true;
        phase.sent.set(0);
        phase.limit = maxRequests;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (Conn c : conns) {
            c.channel.eventLoop().execute(() -> c.send(System.nanoTime()));
        }
        while (System.nanoTime() < end && phase.sent.get() < maxRequests) {
            Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
        phase.running = false;
        awaitIdle(phase);
        // Up to the last answer: every request counted was sent and answered within it.
        return (System.nanoTime() - start) / 1e9;
    }

    private static void awaitIdle(Phase phase) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (phase.inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (phase.inFlight.get() > 0) {
            System.err.println(phase.inFlight.get() + " requests still unanswered 10 s after the phase ended");
        }
    }

    static Result closedLoop(String name, EventLoopGroup group, boolean epoll, int port, List<byte[]> bodies,
                                     int entriesPerRequest, Options o) throws InterruptedException {
        Phase phase = new Phase(bodies, entriesPerRequest, "127.0.0.1:" + port);
        List<Conn> conns = connect(group, epoll, port, phase, o.connections());
        try {
            runClosed(conns, phase, o.warmup(), o.maxRequests());
            phase.reset();
            phase.record = true;
            CpuShares cpu = CpuShares.start();
            double elapsed = runClosed(conns, phase, o.seconds(), o.maxRequests());
            phase.record = false;
            return result(name, phase, conns, elapsed, 0, cpu);
        } finally {
            close(conns);
        }
    }

    /**
     * Sends requests at {@code rate} per second: {@code --warmup} seconds not measured, then {@code --seconds}
     * measured, on the same connections. A pacer thread queues each request's due time and hands it to an idle
     * connection; a connection that gets its answer takes the next due request itself.
     */
    private static Result openLoop(String name, EventLoopGroup group, boolean epoll, int port, List<byte[]> bodies,
                                   double rate, Options o) throws InterruptedException {
        Phase phase = new Phase(bodies, 1, "127.0.0.1:" + port);
        phase.openLoop = true;
        List<Conn> conns = connect(group, epoll, port, phase, o.connections());
        try {
            pace(phase, conns, rate, o.warmup(), o.maxRequests());
            phase.reset();
            phase.record = true;
            CpuShares cpu = CpuShares.start();
            long start = System.nanoTime();
            long backlog = pace(phase, conns, rate, o.seconds(), o.maxRequests());
            double elapsed = (System.nanoTime() - start) / 1e9;
            phase.record = false;
            return result(name, phase, conns, elapsed, backlog, cpu);
        } finally {
            close(conns);
        }
    }

    /**
     * Paces requests at {@code rate} for {@code seconds} (or {@code maxRequests}), then waits for the answers;
     * returns the requests that were due but not yet sent when the time was up.
     */
    private static long pace(Phase phase, List<Conn> conns, double rate, int seconds, long maxRequests)
            throws InterruptedException {
        phase.running = true;
        phase.idle.clear();
        phase.idle.addAll(conns);
        long interval = Math.max(1, (long) (1e9 / rate));
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long next = start;
        long issued = 0;
        long now;
        while ((now = System.nanoTime()) < end && issued < maxRequests) {
            while (next <= now && issued < maxRequests) {
                phase.due.add(next);
                next += interval;
                issued++;
            }
            Conn c;
            while (!phase.due.isEmpty() && (c = phase.idle.poll()) != null) {
                Long due = phase.due.poll();
                if (due == null) {
                    phase.idle.add(c);
                    break;
                }
                Conn conn = c;
                conn.channel.eventLoop().execute(() -> conn.send(due));
            }
            LockSupport.parkNanos(Math.max(1_000, Math.min(next - System.nanoTime(), 100_000)));
        }
        phase.running = false;
        long backlog = phase.due.size();
        phase.due.clear();
        awaitIdle(phase);
        return backlog;
    }

    private static Result result(String name, Phase phase, List<Conn> conns, double elapsed, long backlog,
                                 CpuShares cpu) {
        int n = 0;
        for (Conn c : conns) {
            n += c.count;
        }
        long[] all = new long[n];
        int at = 0;
        for (Conn c : conns) {
            System.arraycopy(c.samples, 0, all, at, c.count);
            at += c.count;
        }
        Arrays.sort(all);
        long requests = phase.requests.sum();
        String cpuLine = cpu.line(requests, "request");
        long accepted = phase.acceptedEntries.sum();
        long failed = phase.failedEntries.sum();
        long errors = phase.httpErrors.sum();
        phase.reset();
        return new Result(name, elapsed, requests, accepted, failed, errors, pct(all, 0.50), pct(all, 0.99),
                pct(all, 0.999), phase.acceptedTotal, backlog, cpuLine);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    private static void close(List<Conn> conns) {
        for (Conn c : conns) {
            c.channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------ the bare server

    /** Netty answering every request with a fixed 200 and {@link #BARE_RESPONSE}, keeping connections alive. */
    private static final class BareServer implements AutoCloseable {
        private final EventLoopGroup boss;
        private final EventLoopGroup workers;
        private final Channel channel;

        private BareServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
            this.boss = boss;
            this.workers = workers;
            this.channel = channel;
        }

        static BareServer start(int threads, boolean epoll) {
            EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("bare-accept", true))
                    : new NioEventLoopGroup(1, new DefaultThreadFactory("bare-accept", true));
            EventLoopGroup workers = epoll ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("bare-io", true))
                    : new NioEventLoopGroup(threads, new DefaultThreadFactory("bare-io", true));
            ByteBuf fixed = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BARE_RESPONSE));
            ServerBootstrap b = new ServerBootstrap().group(boss, workers)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                    new HttpObjectAggregator(2 * 1024 * 1024),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.OK, fixed.duplicate());
                                            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.1")
                                                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BARE_RESPONSE.length);
                                            HttpUtil.setKeepAlive(r, HttpUtil.isKeepAlive(req));
                                            ctx.writeAndFlush(r);
                                        }
                                    });
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly()
                    .channel();
            return new BareServer(boss, workers, ch);
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
