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
 *   <li><b>matcher</b>: {@code RuleSet.match} on the event envelopes, one thread, for the measure time;</li>
 *   <li><b>max</b>: one producer thread calls {@code putEvents} with 10 entries per call as fast as the bus accepts
 *       them (a throttled entry is retried); throughput = entries delivered per second to the function targets;</li>
 *   <li><b>discovery</b>: as <b>max</b>, with a schema discoverer on the bus (inference runs on its own thread,
 *       off the ingestion path; the ratio to <b>max</b> is the cost discovery adds to PutEvents);</li>
 *   <li><b>half</b>: the producer paces itself at half of that rate, sleeping between calls; each handler records
 *       the time from just before {@code putEvents} to its invocation, and the driver prints p50, p99 and
 *       p99.9.</li>
 * </ol>
 * The rules are the first 99 rules of {@link GeneratedWorkload} plus one that every event matches, each with its own
 * function target, so every event is delivered at least once. Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.busbar.benchmarks.InProcessLoadDriver [seconds]};
 * {@code -Dbusbar.deliveryThreads=N} sets the bus's delivery threads (default: the bus's own default).
 */
public final class InProcessLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InProcessLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Events generated = GeneratedWorkload.events(20_000);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            events.add(generated.text(i));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        GeneratedWorkload.rules(99).forEach(rules::put);
        rules.put("catch-all", "{\"source\":[{\"prefix\":\"svc-\"}]}");

        double matcherRate = matcherOnly(events, rules, seconds);
        System.out.printf("matcher  : %,.0f events/s (RuleSet.match, 1 thread, %d rules)%n", matcherRate, rules.size());

        List<PutEventsEntry> entries = new ArrayList<>();
        for (String e : events) {
            JsonNode n = JSON.readTree(e);
            entries.add(PutEventsEntry.of(n.get("source").asText(), n.get("detail-type").asText(),
                    n.get("detail").toString()));
        }
        double max = run(entries, rules, seconds, 0, null, false);
        System.out.printf("busbar   : %,.0f entries/s delivered (putEvents x10, in-process functions)  = %.2f x matcher%n",
                max, max / matcherRate);
        double discovering = run(entries, rules, seconds, 0, null, true);
        System.out.printf("discovery: %,.0f entries/s with a schema discoverer on the bus = %.3f x without%n",
                discovering, discovering / max);
        long[] latencies = new long[4_000_000];
        AtomicLong count = new AtomicLong();
        double half = run(entries, rules, seconds, max / 2, new Recorder(latencies, count), false);
        int n = (int) Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("at half  : %,.0f entries/s; ingestion-to-invocation p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms"
                + " (%d samples)%n", half, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999), n);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    private static double matcherOnly(List<String> events, Map<String, String> rules, int seconds) {
        Map<String, EventPattern> patterns = new LinkedHashMap<>();
        rules.forEach((k, v) -> patterns.put(k, EventPattern.compile(v)));
        RuleSet set = RuleSet.of(patterns);
        byte[][] bytes = events.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        long sink = 0;
        long warmupEnd = System.nanoTime() + 2_000_000_000L;
        int i = 0;
        while (System.nanoTime() < warmupEnd) {
            sink += set.match(bytes[i++ % bytes.length]).size();
        }
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long done = 0;
        while (System.nanoTime() < end) {
            for (int k = 0; k < 1000; k++) {
                sink += set.match(bytes[i++ % bytes.length]).size();
            }
            done += 1000;
        }
        if (sink == 42) {
            System.out.print("");
        }
        return done / ((System.nanoTime() - start) / 1e9);
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
        Busbar.Builder builder = Busbar.builder().serviceLoader(false).targetQueueCapacity(100_000);
        Integer deliveryThreads = Integer.getInteger("busbar.deliveryThreads");
        if (deliveryThreads != null) {
            builder.deliveryThreads(deliveryThreads);
        }
        try (Busbar bus = builder.build();
             SchemaRegistry schemas = discovery ? SchemaRegistry.builder(bus).emitEvents(false).build() : null) {
            if (schemas != null) {
                schemas.createDiscoverer(bus.busArn("default"), null, null, null);
            }
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
            long warmupEnd = System.nanoTime() + 2_000_000_000L;
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
