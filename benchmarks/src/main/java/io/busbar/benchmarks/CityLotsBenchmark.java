package io.busbar.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Matching throughput on the CityLots data set, event-ruler's own benchmark workload: 213,068 events of about 917
 * bytes against one bank of 5 rules (or a combination bank), one event per operation, so the score is events per
 * second. See {@code shared/data/README.md} for the data and {@link CityLots} for where it is looked up.
 *
 * <p>Each engine gets the event in the form its API takes, both prepared in memory before measuring: busbar the
 * UTF-8 bytes ({@code RuleSet.match(byte[])}), event-ruler a {@code String} ({@code Machine.rulesForJSONEvent}, its
 * array-consistent matcher). Decoding is in neither figure. Events are matched in file order, cycling.
 *
 * <p>{@code @Setup} builds both engines and matches every loaded event once with each; it prints a {@code COUNT}
 * line and stops the trial with an {@link IllegalStateException} unless the two agree rule by rule.
 *
 * <p>Run from the repository root (about 15 minutes for both engines and all 16 banks):
 * <pre>
 * mvn -B -DskipTests -pl benchmarks -am package
 * mkdir -p benchmarks/results
 * java -jar benchmarks/target/benchmarks.jar CityLotsBenchmark -rf json -rff benchmarks/results/citylots.json
 * </pre>
 * A smoke run on the first 20,000 events of one bank:
 * <pre>
 * java -Dbusbar.citylots.limit=20000 -jar benchmarks/target/benchmarks.jar CityLotsBenchmark \
 *     -p bank=EXACT -wi 1 -i 1 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
// Events take about 400 MB in both forms; a fixed heap keeps GC ergonomics the same for every trial.
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
// 32 trials must fit in about 15 minutes, so measurement is short; warmup is longer because event-ruler's compiled
// code settles only after some 5 to 10 seconds of matching on a 2-core machine (it dips, then recompiles), and a
// shorter warmup would measure that dip. Override with -wi/-i/-w/-r.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
public class CityLotsBenchmark {

    @Param({Engine.BUSBAR, Engine.EVENT_RULER})
    public String engine;

    @Param({"EXACT", "WILDCARD", "PREFIX", "PREFIX_EQUALS_IGNORE_CASE", "SUFFIX", "SUFFIX_EQUALS_IGNORE_CASE",
            "EQUALS_IGNORE_CASE", "NUMERIC", "ANYTHING_BUT", "ANYTHING_BUT_IGNORE_CASE", "ANYTHING_BUT_PREFIX",
            "ANYTHING_BUT_SUFFIX", "ANYTHING_BUT_WILDCARD", "COMPLEX_ARRAYS", "PARTIAL_COMBO", "COMBO"})
    public String bank;

    private Events events;
    private Engine matcher;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        events = CityLots.loadEvents();
        Map<String, String> rules = CityLots.rules(bank);
        matcher = Engine.build(engine, rules);
        MatchCounts.requireAgreement("bank=" + bank, events, matcher, Engine.build(Engine.comparatorOf(engine), rules));
        next = 0;
    }

    @Benchmark
    public List<String> match() {
        int i = next;
        next = i + 1 == events.size() ? 0 : i + 1;
        return matcher.match(events.utf8(i), events.text(i));
    }
}
