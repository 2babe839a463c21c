package io.busbar.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.Busbar;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutEventsResult;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Target;
import io.busbar.core.schemas.SchemaRegistry;
import io.busbar.pattern.EventPattern;
import io.busbar.pattern.RuleSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Load driver for in-process routing: {@code putEvents} → match → in-process function target, with 100 rules,
 * against the matcher alone on the same events, in one run. Not JMH: it needs an open-loop phase at a fixed rate to
 * measure ingestion-to-invocation latency, which JMH's closed loop cannot.
 *
 * <ol>
 *   <li><b>matcher</b> and <b>max</b>, in alternating one-second slices after a warm-up of both: {@code RuleSet.match}
 *       on the event envelopes, one thread; then one producer thread calling {@code putEvents} with 10 entries per
 *       call as fast as the bus accepts them (a throttled entry is retried), throughput = entries delivered per second
 *       to the function targets. The figure is the median of the slices' ratios;</li>
 *   <li><b>discovery</b>: as <b>max</b>, with a schema discoverer on the bus (inference runs on its own thread,
 *       off the ingestion path; the ratio to <b>max</b> is the cost discovery adds to PutEvents);</li>
 *   <li><b>half</b>: the producer paces itself at half of the <b>max</b> rate, sleeping between calls; each handler
 *       records the time from just before {@code putEvents} to its invocation, and the driver prints p50, p99 and
 *       p99.9.</li>
 * </ol>
 * The rules are the first 99 rules of {@link GeneratedWorkload} plus one that every event matches, each with its own
 * function target, so every event is delivered at least once. Run:
 * {@code java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar
 * io.busbar.benchmarks.InProcessLoadDriver [seconds]} (a heap not touched before made the first phases pay page
 * faults for every new page); {@code -Dbusbar.warmup=S} sets the first warm-up (default 10 s),
 * {@code -Dbusbar.deliveryThreads=N} the bus's delivery threads (default: the bus's own default),
 * {@code -Dbusbar.lingerMicros=N} and {@code -Dbusbar.pollMicros=N} its delivery linger and poll interval (default:
 * the bus's own, none and 250 us), {@code -Dbusbar.halfRate=N} the <b>half</b> phase's rate in entries a second
 * instead of half of <b>max</b> (two builds compared at the same load, where <b>max</b> moves by a fifth from run
 * to run).
 */
public final class InProcessLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first phase's warm-up: the JIT was still recompiling the PutEvents path 8 s into a run. */
    private static final long WARMUP_NANOS = Long.getLong("busbar.warmup", 10) * 1_000_000_000L;
    /** A later phase's: the code is compiled by then, and a new bus only needs its lanes and meters made. */
    private static final long PHASE_WARMUP_NANOS = 2_000_000_000L;

    /** {@code -Dbusbar.halfRate}, {@code -Dbusbar.lingerMicros}, {@code -Dbusbar.pollMicros}; -1 where not set. */
    private static final long HALF_RATE = property("busbar.halfRate");
    private static final long LINGER_MICROS = property("busbar.lingerMicros");
    private static final long POLL_MICROS = property("busbar.pollMicros");

    private InProcessLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds: must be at least 1, was " + seconds);
        }
        Events generated = GeneratedWorkload.events(20_000);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            events.add(generated.text(i));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        GeneratedWorkload.rules(99).forEach(rules::put);
        rules.put("catch-all", "{\"source\":[{\"prefix\":\"svc-\"}]}");
        List<PutEventsEntry> entries = new ArrayList<>();
        for (String e : events) {
            JsonNode n = JSON.readTree(e);
            entries.add(PutEventsEntry.of(n.get("source").asText(), n.get("detail-type").asText(),
                    n.get("detail").toString()));
        }

        double max = maxAgainstMatcher(events, entries, rules, seconds);
        double discovering = run(entries, rules, seconds, 0, null, true);
        System.out.printf("discovery: %,.0f entries/s with a schema discoverer on the bus = %.3f x without%n",
                discovering, discovering / max);
        long[] latencies = new long[4_000_000];
        AtomicLong count = new AtomicLong();
        double half = run(entries, rules, seconds, HALF_RATE > 0 ? HALF_RATE : max / 2,
                new Recorder(latencies, count), false);
        int n = (int) Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("at half  : %,.0f entries/s; ingestion-to-invocation p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms"
                + " (%d samples)%n", half, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999), n);
    }

    /**
     * The matcher alone and the bus at full speed, in alternating one-second slices: {@code seconds} of each after
     * the warm-up. On a shared host whose speed drifts by a third within a minute, two phases run one after the
     * other compared different machines; each pair of slices here sees nearly the same one, and the median of the
     * pairs' ratios is the figure. Returns the median of the bus's slices, in entries delivered per second.
     */
    private static double maxAgainstMatcher(List<String> events, List<PutEventsEntry> entries,
                                            Map<String, String> rules, int seconds) throws InterruptedException {
        Map<String, EventPattern> patterns = new LinkedHashMap<>();
        rules.forEach((k, v) -> patterns.put(k, EventPattern.compile(v)));
        RuleSet set = RuleSet.of(patterns);
        byte[][] bytes = events.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        LongAdder delivered = new LongAdder();
        double[] matcher = new double[seconds];
        double[] bus = new double[seconds];
        double[] ratio = new double[seconds];
        try (Busbar b = newBus(rules, delivered, null)) {
            long warmupEnd = System.nanoTime() + WARMUP_NANOS;
            while (System.nanoTime() < warmupEnd) {
                match(set, bytes, 250_000_000L);
                slice(b, entries, delivered, 250_000_000L);
            }
            for (int i = 0; i < seconds; i++) {
                matcher[i] = match(set, bytes, 1_000_000_000L);
                bus[i] = slice(b, entries, delivered, 1_000_000_000L);
                ratio[i] = bus[i] / matcher[i];
            }
        }
        System.out.printf("matcher  : %,.0f events/s (RuleSet.match, 1 thread, %d rules; median of %d slices)%n",
                median(matcher), rules.size(), seconds);
        double max = median(bus);
        System.out.printf("busbar   : %,.0f entries/s delivered (putEvents x10, in-process functions; median)%n", max);
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        System.out.printf("ratio    : %.2f x matcher (median of the slices' ratios; %.2f to %.2f)%n",
                median(ratio), sorted[0], sorted[sorted.length - 1]);
        return max;
    }

    /**
     * A non-negative whole-number system property, or -1 when it is not set. Read when the class loads, so that a
     * bad value stops the run at once, naming the property, rather than after the phases before it (or, as
     * {@link Long#getLong} would have it, being ignored).
     */
    private static long property(String name) {
        String v = System.getProperty(name);
        if (v == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + name + "=" + v + ": expected a whole number, 0 or more");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** What the matcher returned, kept where the JIT cannot drop it; it also varies where each slice starts. */
    private static long sink;

    /** {@code RuleSet.match} for {@code nanos} on one thread; events per second. */
    private static double match(RuleSet set, byte[][] bytes, long nanos) {
        long start = System.nanoTime();
        long end = start + nanos;
        long done = 0;
        int i = (int) (sink & 0xffff);
        while (System.nanoTime() < end) {
            for (int k = 0; k < 1000; k++) {
                sink += set.match(bytes[i++ % bytes.length]).size();
            }
            done += 1000;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    /** The bus at full speed for {@code nanos}, then until it has delivered all; entries delivered per second. */
    private static double slice(Busbar bus, List<PutEventsEntry> entries, LongAdder delivered, long nanos)
            throws InterruptedException {
        drain(bus);
        delivered.reset();
        long start = System.nanoTime();
        produce(bus, entries, start + nanos, 0, false);
        drain(bus);
        return delivered.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    private static Busbar newBus(Map<String, String> rules, LongAdder delivered, Recorder recorder) {
        Busbar.Builder builder = Busbar.builder().serviceLoader(false).targetQueueCapacity(100_000);
        Integer deliveryThreads = Integer.getInteger("busbar.deliveryThreads");
        if (deliveryThreads != null) {
            builder.deliveryThreads(deliveryThreads);
        }
        if (LINGER_MICROS >= 0) {
            builder.deliveryLinger(java.time.Duration.ofNanos(LINGER_MICROS * 1_000));
        }
        if (POLL_MICROS >= 0) {
            builder.deliveryPollInterval(java.time.Duration.ofNanos(POLL_MICROS * 1_000));
        }
        Busbar bus = builder.build();
        String counter = bus.registerFunction("catch-all", d -> {
            delivered.increment();
            if (recorder != null) {
                recorder.record(d.payload());
            }
        });
        String other = bus.registerFunction("other", d -> { });
        for (Map.Entry<String, String> r : rules.entrySet()) {
            bus.putRule(PutRuleRequest.pattern(r.getKey(), r.getValue()));
            bus.putTargets(null, r.getKey(), List.of(Target.of("f",
                    r.getKey().equals("catch-all") ? counter : other)));
        }
        return bus;
    }

    /** Records the latency of each delivery whose detail carries the nanoTime it was put at. */
    private record Recorder(long[] samples, AtomicLong count) {
        void record(String payload) {
            int at = payload.indexOf("\"sent\":");
            if (at < 0) {
                return;
            }
            int end = payload.indexOf('}', at);
            long sent = Long.parseLong(payload.substring(at + 7, end).trim());
            long i = count.getAndIncrement();
            if (i < samples.length) {
                samples[(int) i] = System.nanoTime() - sent;
            }
        }
    }

    /** Runs a phase; {@code rate} 0 means as fast as possible. Returns entries delivered to the catch-all per second. */
    private static double run(List<PutEventsEntry> entries, Map<String, String> rules, int seconds, double rate,
                              Recorder recorder, boolean discovery) throws InterruptedException {
        LongAdder delivered = new LongAdder();
        try (Busbar bus = newBus(rules, delivered, recorder);
             SchemaRegistry schemas = discovery ? SchemaRegistry.builder(bus).emitEvents(false).build() : null) {
            if (schemas != null) {
                schemas.createDiscoverer(bus.busArn("default"), null, null, null);
            }
            long warmupEnd = System.nanoTime() + PHASE_WARMUP_NANOS;
            produce(bus, entries, warmupEnd, rate, recorder != null);
            drain(bus);
            delivered.reset();
            if (recorder != null) {
                recorder.count().set(0);
            }
            long start = System.nanoTime();
            produce(bus, entries, start + seconds * 1_000_000_000L, rate, recorder != null);
            drain(bus);
            return delivered.sum() / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void drain(Busbar bus) throws InterruptedException {
        while (bus.outstandingDeliveries() > 0) {
            Thread.sleep(1);
        }
    }

    private static void produce(Busbar bus, List<PutEventsEntry> entries, long until, double rate, boolean stamp) {
        int i = 0;
        long start = System.nanoTime();
        long sent = 0;
        List<PutEventsEntry> batch = new ArrayList<>(10);
        while (System.nanoTime() < until) {
            batch.clear();
            for (int k = 0; k < 10; k++) {
                PutEventsEntry e = entries.get(i++ % entries.size());
                if (stamp) {
                    String detail = e.detail();
                    e = PutEventsEntry.of(e.source(), e.detailType(),
                            detail.substring(0, detail.length() - 1) + ",\"sent\":" + System.nanoTime() + "}");
                }
                batch.add(e);
            }
            PutEventsResult r = bus.putEvents(batch);
            if (r.failedEntryCount() > 0) {
                Thread.onSpinWait(); // throttled: the queues are full; the next call retries with new entries
            }
            sent += 10 - r.failedEntryCount();
            if (rate > 0) {
                // Sleeps rather than spins until the next call is due, as a paced producer would: a spinning one
                // holds one of the two cores that delivery needs. A sleep overshoots by up to about 60 us; the
                // calls then due are made back to back, and latency is counted from each call, not from its slot.
                long due = start + (long) (sent / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }
}
