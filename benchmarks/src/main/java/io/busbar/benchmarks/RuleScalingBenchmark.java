package io.busbar.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the engines scale with the number of rules: 1,000, 10,000 and 100,000 generated rules (exact, prefix,
 * numeric and anything-but, see {@link GeneratedWorkload}) against 10,000 generated events.
 *
 * <ul>
 *   <li>{@link #matchThroughput}: events per second, one event per operation, cycling; busbar gets UTF-8 bytes,
 *       event-ruler a {@code String}, both prepared before measuring (as in {@link CityLotsBenchmark}).</li>
 *   <li>{@link #addOneRule}: microseconds to add one more rule (the generator's next, an exact one) to the built
 *       set, its pattern compiled beforehand.
 *       Busbar's set is immutable, so this is {@code rules.with(name, pattern)} on an unchanged set; event-ruler's
 *       machine is mutated in place, so this is an add and a delete of the same rule (an upper bound on its add).
 *       </li>
 *   <li>Heap per rule, printed by {@code @Setup} as {@code HEAP engine=... rules=... bytesPerRule=...}: used heap
 *       after full GCs, before and after building the engine, over the rule count; averaged over several builds
 *       when the set is small. Rule names and pattern texts are made inside the measured span, so whatever an
 *       engine keeps of them counts.</li>
 * </ul>
 * {@code @Setup} also builds the other engine and checks, as {@link CityLotsBenchmark} does, that both match the
 * events the same way (the {@code COUNT} line).
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -DskipTests -pl benchmarks -am package
 * mkdir -p benchmarks/results
 * java -jar benchmarks/target/benchmarks.jar RuleScalingBenchmark -rf json -rff benchmarks/results/scaling.json
 * java -jar benchmarks/target/benchmarks.jar 'RuleScalingBenchmark.addOneRule' -p ruleCount=100000
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
// Room for both engines at 100,000 rules (the comparator is built for the count check) and for the garbage of
// busbar's copy-on-write adds; fixed so that heap figures are taken under the same GC ergonomics every time.
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
// Warmup longer than measurement for the reason given on CityLotsBenchmark.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
public class RuleScalingBenchmark {
    private static final int EVENT_COUNT = 10_000;
    /** Builds averaged for the heap figure: enough rules in all to drown GC noise, one build at 100,000. */
    private static final int HEAP_RULES_SAMPLED = 100_000;
    private static final int HEAP_MAX_BUILDS = 5;

    @Param({Engine.BUSBAR, Engine.EVENT_RULER})
    public String engine;

    @Param({"1000", "10000", "100000"})
    public int ruleCount;

    /**
     * {@code fixed}: the value domains of 1,000 rules at every count, so an event matches 100 times more rules at
     * 100,000; {@code scaled}: domains widened with the rule count, so an event matches about as many rules at
     * every count (see {@link GeneratedWorkload}). The two are the same workload at 1,000 rules.
     */
    @Param({"fixed", "scaled"})
    public String domains;

    private Events events;
    private Engine matcher;
    private Supplier<Object> addOne;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        GeneratedWorkload workload = switch (domains) {
            case "fixed" -> GeneratedWorkload.FIXED;
            case "scaled" -> GeneratedWorkload.scaledFor(ruleCount);
            default -> throw new IllegalArgumentException(
                    "domains: \"" + domains + "\" (expected: \"fixed\" or \"scaled\")");
        };
        events = workload.eventList(EVENT_COUNT);
        // Loads the engine's classes and static tables outside the measured span.
        Engine.build(engine, workload.ruleMap(16));

        int builds = Math.max(1, Math.min(HEAP_MAX_BUILDS, HEAP_RULES_SAMPLED / ruleCount));
        long retained = 0;
        for (int b = 0; b < builds; b++) {
            // Only this field refers to a build, so dropping it leaves the previous one to the collector.
            matcher = null;
            long before = usedHeapAfterGc();
            matcher = Engine.build(engine, workload.ruleMap(ruleCount));
            retained += usedHeapAfterGc() - before;
        }
        System.out.println("HEAP engine=" + engine + " rules=" + ruleCount + " domains=" + domains + " bytesPerRule="
                + retained / builds / ruleCount + " builds=" + builds);

        MatchCounts.requireAgreement("rules=" + ruleCount + " domains=" + domains, events, matcher,
                Engine.build(Engine.comparatorOf(engine), workload.ruleMap(ruleCount)));
        addOne = matcher.addOneRule("rule-new", workload.rule(ruleCount));
        next = 0;
    }

    @Benchmark
    public List<String> matchThroughput() {
        int i = next;
        next = i + 1 == events.size() ? 0 : i + 1;
        return matcher.match(events.utf8(i), events.text(i));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object addOneRule() {
        return addOne.get();
    }

    /**
     * Used heap once full collections stop freeing anything (at most 10 tries). Explicit GC is the only way to see
     * retained size from inside the JVM; with the default collector {@code System.gc()} is a full, compacting one.
     */
    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = runtime.totalMemory() - runtime.freeMemory();
            if (now >= used) {
                return used;
            }
            used = now;
        }
        return used;
    }
}
