package io.busbar.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The meters of spec section 9, with EventBridge's metric names and the tags {@code bus}, {@code rule} and
 * {@code target}. Meters are looked up once per tag combination and cached, so counting costs a map lookup.
 * Thread-safe.
 */
final class BusMetrics {
    static final String MATCHED_EVENTS = "MatchedEvents";
    static final String TRIGGERED_RULES = "TriggeredRules";
    static final String INVOCATIONS = "Invocations";
    static final String INVOCATION_ATTEMPTS = "InvocationAttempts";
    static final String SUCCESSFUL_INVOCATION_ATTEMPTS = "SuccessfulInvocationAttempts";
    static final String RETRY_INVOCATION_ATTEMPTS = "RetryInvocationAttempts";
    static final String FAILED_INVOCATIONS = "FailedInvocations";
    static final String SENT_TO_DLQ = "InvocationsSentToDlq";
    static final String FAILED_TO_BE_SENT_TO_DLQ = "InvocationsFailedToBeSentToDlq";
    static final String THROTTLED_RULES = "ThrottledRules";
    static final String INGESTION_TO_START = "IngestionToInvocationStartLatency";
    static final String INGESTION_TO_SUCCESS = "IngestionToInvocationSuccessLatency";
    static final String PUT_EVENTS_LATENCY = "PutEventsLatency";
    static final String PUT_EVENTS_ENTRIES = "PutEventsEntriesCount";
    static final String PUT_EVENTS_FAILED_ENTRIES = "PutEventsFailedEntriesCount";
    static final String TARGET_QUEUE_DEPTH = "TargetQueueDepth";
    /**
     * Invocations EventBridge drops because the target's transformed input is not valid JSON (spec 5.3); Busbar's
     * own meter, so that such a drop is never silent.
     */
    static final String DROPPED_INVOCATIONS = "DroppedInvocations";

    private final MeterRegistry registry;
    /** A meter's identity; a record rather than a concatenated string, so a lookup allocates nothing. */
    private record Key(String name, String bus, String rule, String target) {
    }

    private final ConcurrentMap<Key, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    BusMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    void count(String name, String bus, String rule, String target) {
        count(name, bus, rule, target, 1);
    }

    void count(String name, String bus, String rule, String target, long amount) {
        counter(name, bus, rule, target).increment(amount);
    }

    /** The counter itself, for a caller that keeps it (one lookup instead of one per event). */
    Counter counter(String name, String bus, String rule, String target) {
        Key key = new Key(name, bus, rule, target);
        Counter c = counters.get(key);
        if (c == null) {
            c = counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags(bus, rule, target)).register(registry));
        }
        return c;
    }

    /**
     * A rule's per-event counters, looked up on first use and then kept with the rule's published entry, so that
     * matching an event costs no map lookup for its meters.
     */
    static final class RuleCounters {
        private volatile Counter matched;
        private volatile Counter triggered;

        void matchedAndTriggered(BusMetrics metrics, String bus, String rule) {
            Counter m = matched;
            Counter t = triggered;
            if (m == null || t == null) {
                matched = m = metrics.counter(MATCHED_EVENTS, bus, rule, null);
                triggered = t = metrics.counter(TRIGGERED_RULES, bus, rule, null);
            }
            m.increment();
            t.increment();
        }
    }

    void time(String name, String bus, String rule, String target, Duration d) {
        timer(name, bus, rule, target).record(d.isNegative() ? Duration.ZERO : d);
    }

    private Timer timer(String name, String bus, String rule, String target) {
        // No client-side percentiles: computing them on every record costs more than the rest of a delivery;
        // registries that want distributions (Prometheus) compute them from the exported timer.
        Key key = new Key(name, bus, rule, target);
        Timer t = timers.get(key);
        if (t == null) {
            t = timers.computeIfAbsent(key, k -> Timer.builder(name).tags(tags(bus, rule, target)).register(registry));
        }
        return t;
    }

    /**
     * The meters every delivery to one target of one rule updates, looked up once and kept with the target's
     * lane: five map lookups per delivery were a third of a delivery thread's time.
     */
    record TargetMeters(Counter attempts, Counter successfulAttempts, Counter invocations, Timer ingestionToStart,
                        Timer ingestionToSuccess) {
    }

    TargetMeters targetMeters(String bus, String rule, String target) {
        return new TargetMeters(counter(INVOCATION_ATTEMPTS, bus, rule, target),
                counter(SUCCESSFUL_INVOCATION_ATTEMPTS, bus, rule, target), counter(INVOCATIONS, bus, rule, target),
                timer(INGESTION_TO_START, bus, rule, target), timer(INGESTION_TO_SUCCESS, bus, rule, target));
    }

    /** Nanoseconds from {@code from} to {@code to}, 0 if {@code to} is earlier (a clock set back). */
    static long nanosBetween(java.time.Instant from, java.time.Instant to) {
        long nanos = (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
        return Math.max(0, nanos);
    }

    void gauge(String name, String bus, String rule, String target, Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).tags(tags(bus, rule, target)).register(registry);
    }

    /**
     * Every meter carries all three tags, empty where they do not apply (a bus-level count has no rule), because
     * registries such as Prometheus require one label set per meter name.
     */
    private static Tags tags(String bus, String rule, String target) {
        return Tags.of("bus", bus == null ? "" : bus, "rule", rule == null ? "" : rule,
                "target", target == null ? "" : target);
    }
}
