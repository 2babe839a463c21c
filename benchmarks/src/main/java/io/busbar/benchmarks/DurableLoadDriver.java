package io.busbar.benchmarks;

import io.busbar.core.Busbar;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Target;
import io.busbar.core.store.Durability;
import io.busbar.server.BusbarServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Durable PutEvents against memory mode, in one run: the same {@link BusbarServer} set-up as {@link HttpLoadDriver}'s
 * busbar phases (one rule matching every event, an in-process function target that counts), with 10 entries per
 * request, once per durability: {@code memory} (no data directory), {@code fsync} (each request answered after its
 * events are on disk; concurrent requests share one sync) and {@code batch} (answered once written, synced every
 * 100 ms). The data directory is a fresh temporary folder on the same disk as {@code java.io.tmpdir} (override with
 * {@code -Djava.io.tmpdir=...}). Prints each phase and fsync's entries/s as a fraction of memory's (goal: 0.5).
 *
 * <p>Run (after {@code mvn -B -DskipTests -pl benchmarks -am package}):
 * <pre>{@code
 * java -Xms1g -Xmx1g [-Drounds=3] -cp benchmarks/target/benchmarks.jar io.busbar.benchmarks.DurableLoadDriver \
 *     [--seconds=10] [--warmup=5] [--connections=64] [--client-threads=2] [--server-threads=2]
 * }</pre>
 */
public final class DurableLoadDriver {
    private static final int ROUNDS = Integer.getInteger("rounds", 3);

    private DurableLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        if (a.stream().noneMatch(s -> s.startsWith("--connections="))) {
            a.add("--connections=64"); // enough requests in flight for group commit to have something to group
        }
        HttpLoadDriver.Options o = HttpLoadDriver.Options.parse(a.toArray(String[]::new));
        boolean epoll = Epoll.isAvailable();
        List<byte[]> ten = HttpLoadDriver.bodies(10);
        System.out.printf(Locale.ROOT, "DurableLoadDriver: %d connections, %d client threads, %d server I/O threads,"
                + " %d s per phase after %d s warmup, 10 entries per request (%d B)%n", o.connections(),
                o.clientThreads(), o.serverThreads(), o.seconds(), o.warmup(), ten.get(0).length);
        EventLoopGroup client = epoll
                ? new EpollEventLoopGroup(o.clientThreads(), new DefaultThreadFactory("driver", true))
                : new NioEventLoopGroup(o.clientThreads(), new DefaultThreadFactory("driver", true));
        try {
            // Rounds of the three modes, interleaved, so JIT warm-up and the machine's other load fall on all of
            // them alike; each round's ratios are printed.
            for (int round = 1; round <= ROUNDS; round++) {
                HttpLoadDriver.Result memory = phase("memory x10 #" + round, Durability.MEMORY, client, epoll, ten, o);
                HttpLoadDriver.Result fsync = phase("fsync x10 #" + round, Durability.FSYNC, client, epoll, ten, o);
                HttpLoadDriver.Result batch = phase("batch x10 #" + round, Durability.BATCH, client, epoll, ten, o);
                System.out.printf(Locale.ROOT, "ratio #%d: fsync/memory entries/s = %.3f (goal 0.5), batch/memory = %.3f"
                        + "%n%n", round, fsync.entriesPerSecond() / memory.entriesPerSecond(),
                        batch.entriesPerSecond() / memory.entriesPerSecond());
            }
        } finally {
            client.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static HttpLoadDriver.Result phase(String name, Durability durability, EventLoopGroup client,
                                               boolean epoll, List<byte[]> bodies, HttpLoadDriver.Options o)
            throws Exception {
        Path dir = durability == Durability.MEMORY ? null : Files.createTempDirectory("busbar-durable-");
        LongAdder delivered = new LongAdder();
        Busbar.Builder b = Busbar.builder().serviceLoader(false).meterRegistry(BusbarServer.newPrometheusRegistry())
                .deliveryLinger(BusbarServer.DELIVERY_LINGER)
                .deliveryPollInterval(BusbarServer.DELIVERY_POLL_INTERVAL).targetQueueCapacity(100_000);
        if (dir != null) {
            b.dataDirectory(dir).durability(durability);
        }
        Busbar busbar = b.build();
        try {
            String counter = busbar.registerFunction("count", d -> delivered.increment());
            busbar.putRule(PutRuleRequest.pattern("all", "{\"source\":[\"bench.orders\"]}"));
            busbar.putTargets(null, "all", List.of(Target.of("count", counter)));
            HttpLoadDriver.Result r;
            try (BusbarServer server = BusbarServer.builder(busbar).host("127.0.0.1").port(0)
                    .ioThreads(o.serverThreads()).build().start()) {
                r = HttpLoadDriver.closedLoop(name, client, epoll, server.port(), bodies, 10, o);
            }
            HttpLoadDriver.print(r);
            return r;
        } finally {
            busbar.close();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
