package io.busbar.benchmarks;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Load driver that chooses Busbar's storage engine by measurement: our own append-only segment log against embedded
 * stores from Maven Central, each behind {@link StoreCandidate} with the same group commit
 * ({@link GroupCommitCandidate}) and the same guarantee (an acknowledged record is fsynced). Not JMH: the phases are
 * many producer threads waiting on disk syncs, and the figures that matter are per-run ratios between candidates.
 *
 * <p>Four phases, each run for every candidate before the next phase starts. The three closed-loop phases are
 * measured in {@code --rounds} rounds that take the candidates in turn (rotating which goes first), each turn a fresh
 * store in a fresh directory under {@code --dir}, {@code --warmup} seconds not measured and then
 * {@code --seconds / --rounds} measured; a candidate's figures are over all its turns. Interleaving matters on a
 * shared machine, where the disk's sync latency drifts by several times within minutes.
 * <ol>
 *   <li><b>append</b>: {@code --threads} producers each append a batch of {@code --batch} records (EventBridge
 *       envelopes of about 700 bytes, {@link EnvelopeRecords}) and wait until it is durable before the next:
 *       records acknowledged per second and batch-acknowledgement latency p50/p99;</li>
 *   <li><b>append x1</b>: the same with one producer: the cost of one sync per batch;</li>
 *   <li><b>append+done</b>: as <b>append</b>, and each producer marks its batch's records done as soon as the batch
 *       is acknowledged (the bus does so when a target got the event); records appended and marked done per
 *       second;</li>
 *   <li><b>recovery</b> (one turn per candidate, in a fresh directory): {@code --records} records appended
 *       (batches of 100 from the producers), the store closed; reopened, every second record marked done, closed;
 *       then the time to reopen and read every record not done (checked: count, bytes and id order). Disk bytes
 *       per record written are measured after each close (sizes of the files, not of allocated blocks). The files
 *       were just written, so they are in the page cache: this times the engine's work, not the disk's reads.</li>
 * </ol>
 * Every phase is bounded in time (or in records) and the driver exits by itself; it prints a line per phase and ends
 * with a Markdown table whose ratios are to {@code segment-log} (or to the first candidate if it is not in the run).
 * On a shared machine only the ratios within one run mean anything: run it several times.
 *
 * <p>Run (from the repository root, after {@code mvn -B -DskipTests -pl benchmarks -am package}):
 * <pre>{@code
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar io.busbar.benchmarks.StoreComparison \
 *     [--threads=16] [--batch=10] [--seconds=10] [--warmup=2] [--rounds=3] [--records=1000000] \
 *     [--candidates=segment-log,mvstore,sqlite,rocksdb] [--dir=<a folder on the disk to measure>]
 * }</pre>
 * A smoke run (about a minute): {@code --seconds=1 --warmup=1 --rounds=1 --records=20000}.
 */
public final class StoreComparison {
    private static final int LOAD_BATCH = 100;
    private static final long ACK_TIMEOUT_SECONDS = 120;
    /** Distinct high halves of record ids, one per producer thread over the whole run. */
    private static final AtomicLong PRODUCERS = new AtomicLong(System.nanoTime() << 20);

    private StoreComparison() {
    }

    /** The candidates, by the name used on the command line and in the results. */
    enum Candidate {
        SEGMENT_LOG("segment-log", SegmentLogCandidate::open),
        MVSTORE("mvstore", MvStoreCandidate::open),
        SQLITE("sqlite", SqliteCandidate::open),
        ROCKSDB("rocksdb", RocksDbCandidate::open);

        private final String label;
        private final Function<Path, StoreCandidate> opener;

        Candidate(String label, Function<Path, StoreCandidate> opener) {
            this.label = label;
            this.opener = opener;
        }

        String label() {
            return label;
        }

        StoreCandidate open(Path dir) {
            return opener.apply(dir);
        }

        static Candidate named(String label) {
            for (Candidate c : values()) {
                if (c.label.equals(label)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("--candidates: " + label
                    + " (expected: segment-log, mvstore, sqlite, rocksdb)");
        }
    }

    /** Command-line settings. */
    record Options(int threads, int batch, int seconds, int warmup, int rounds, int records,
                   List<Candidate> candidates, Path dir) {
        static Options parse(String[] args) throws IOException {
            int threads = 16;
            int batch = 10;
            int seconds = 10;
            int warmup = 2;
            int rounds = 3;
            int records = 1_000_000;
            List<Candidate> candidates = List.of(Candidate.values());
            Path dir = null;
            for (String a : args) {
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("expected --name=value, got " + a);
                }
                String name = a.substring(2, eq);
                String value = a.substring(eq + 1);
                switch (name) {
                    case "threads" -> threads = positive(a, value, 1024);
                    case "batch" -> batch = positive(a, value, GroupCommitCandidate.MAX_GROUP_OPS);
                    case "seconds" -> seconds = positive(a, value, 3600);
                    case "warmup" -> warmup = positive(a, value, 3600);
                    case "rounds" -> rounds = positive(a, value, 100);
                    case "records" -> records = positive(a, value, 100_000_000);
                    case "candidates" -> candidates = Arrays.stream(value.split(",")).map(String::trim)
                            .map(Candidate::named).toList();
                    case "dir" -> dir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option --" + name + " (expected: threads,"
                            + " batch, seconds, warmup, rounds, records, candidates, dir)");
                }
            }
            if (dir == null) {
                dir = Files.createTempDirectory("busbar-storebench-");
            } else {
                Files.createDirectories(dir);
            }
            return new Options(threads, batch, seconds, warmup, rounds, records, candidates, dir);
        }

        private static int positive(String arg, String value, int max) {
            int v = Integer.parseInt(value);
            if (v < 1 || v > max) {
                throw new IllegalArgumentException(arg + " (expected: 1 to " + max + ")");
            }
            return v;
        }
    }

    /** A closed-loop phase: records acknowledged per second and batch-acknowledgement latency. */
    record Throughput(double recordsPerSecond, double p50Millis, double p99Millis, long batches) {
    }

    /** The recovery phase. */
    record Recovery(double loadSeconds, long bytesWritten, long bytesAfterDone, double seconds, long recovered) {
    }

    record Result(Candidate candidate, Throughput many, Throughput one, Throughput withDone, Recovery recovery) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        EnvelopeRecords records = new EnvelopeRecords();
        FileStore disk = Files.getFileStore(o.dir());
        System.out.printf(Locale.ROOT, "StoreComparison: %d cores, Java %s, %s; dir %s (%s, %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), o.dir(), disk.name(),
                disk.type());
        System.out.printf(Locale.ROOT, "records %.0f B on average (%d distinct envelopes), batches of %d, %d producers,"
                        + " %d s measured per phase in %d rounds (each after %d s warmup), recovery of %,d records;"
                        + " candidates %s%n", records.averageSize(), EnvelopeRecords.TEMPLATES, o.batch(), o.threads(),
                o.seconds(), o.rounds(), o.warmup(), o.records(),
                o.candidates().stream().map(Candidate::label).toList());
        // Phase by phase, and each phase in rounds that take the candidates in turn, rather than candidate by
        // candidate: on a shared machine the disk's sync latency drifts over seconds to minutes, so the candidates
        // compared in a phase are measured interleaved in time, each over the same stretches of the run.
        List<Candidate> candidates = o.candidates();
        int n = candidates.size();
        Recovery[] recovered = new Recovery[n];
        Throughput[] many;
        Throughput[] one;
        Throughput[] withDone;
        try {
            many = phase("append x" + o.threads(), o, records, o.threads(), false);
            one = phase("append x1", o, records, 1, false);
            withDone = phase("append+done x" + o.threads(), o, records, o.threads(), true);
            for (int i = 0; i < n; i++) {
                Recovery r = recovery(candidates.get(i), o, records);
                recovered[i] = r;
                System.out.printf(Locale.ROOT, "%-12s %-16s %,d records loaded in %.1f s; %.1f B/record written,"
                                + " %.1f B/record after half done; reopen and read %,d not done: %.3f s%n",
                        candidates.get(i).label(), "recovery", o.records(), r.loadSeconds(),
                        (double) r.bytesWritten() / o.records(), (double) r.bytesAfterDone() / o.records(),
                        r.recovered(), r.seconds());
            }
        } finally {
            delete(o.dir());
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(new Result(candidates.get(i), many[i], one[i], withDone[i], recovered[i]));
        }
        System.out.println();
        table(results, o);
    }

    private static void print(Candidate c, String phase, Throughput t) {
        System.out.printf(Locale.ROOT, "%-12s %-16s %10.0f records/s   p50 %8.3f ms  p99 %8.3f ms  (%,d batches)%n",
                c.label(), phase, t.recordsPerSecond(), t.p50Millis(), t.p99Millis(), t.batches());
    }

    /** One producer's loop; {@link #failure} holds what stopped it early. */
    private static final class Producer implements Runnable {
        private final StoreCandidate store;
        private final EnvelopeRecords source;
        private final int batch;
        private final boolean markDone;
        private final long measureFrom;
        private final long until;
        private long[] latencies = new long[1024];
        private int batches;
        private long records;
        private Throwable failure;

        Producer(StoreCandidate store, EnvelopeRecords source, int batch, boolean markDone, long measureFrom,
                 long until) {
            this.store = store;
            this.source = source;
            this.batch = batch;
            this.markDone = markDone;
            this.measureFrom = measureFrom;
            this.until = until;
        }

        @Override
        public void run() {
            long high = PRODUCERS.incrementAndGet();
            long sequence = 0;
            try {
                while (System.nanoTime() < until) {
                    List<byte[]> next = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        next.add(source.record(high, sequence, sequence + high));
                        sequence++;
                    }
                    long sent = System.nanoTime();
                    long[] ids = store.appendDurably(next).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    long acked = System.nanoTime();
                    if (markDone) {
                        for (long id : ids) {
                            store.markDone(id);
                        }
                    }
                    if (acked >= measureFrom && acked < until) {
                        if (batches == latencies.length) {
                            latencies = Arrays.copyOf(latencies, batches * 2);
                        }
                        latencies[batches++] = acked - sent;
                        records += next.size();
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    /**
     * Runs a closed-loop phase for every candidate: {@code --rounds} rounds, each taking the candidates in turn
     * (round {@code r} starting with candidate {@code r}), each candidate's turn a fresh store warmed up for
     * {@code --warmup} s and then measured for {@code --seconds / --rounds} s. Prints and returns each candidate's
     * figures over all its rounds.
     */
    private static Throughput[] phase(String name, Options o, EnvelopeRecords source, int threads,
                                      boolean markDone) throws Exception {
        List<Candidate> candidates = o.candidates();
        int n = candidates.size();
        long measureNanos = TimeUnit.SECONDS.toNanos(o.seconds()) / o.rounds();
        List<List<Producer>> turns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            turns.add(new ArrayList<>());
        }
        for (int round = 0; round < o.rounds(); round++) {
            for (int k = 0; k < n; k++) {
                int i = (round + k) % n;
                turns.get(i).addAll(closedLoop(candidates.get(i), o, source, threads, markDone, measureNanos));
            }
        }
        Throughput[] out = new Throughput[n];
        for (int i = 0; i < n; i++) {
            long records = 0;
            int batches = 0;
            for (Producer p : turns.get(i)) {
                records += p.records;
                batches += p.batches;
            }
            long[] all = new long[batches];
            int at = 0;
            for (Producer p : turns.get(i)) {
                System.arraycopy(p.latencies, 0, all, at, p.batches);
                at += p.batches;
            }
            Arrays.sort(all);
            out[i] = new Throughput(records / (measureNanos * o.rounds() / 1e9), percentile(all, 0.50),
                    percentile(all, 0.99), batches);
            print(candidates.get(i), name, out[i]);
        }
        return out;
    }

    /** One turn: a fresh store, {@code threads} producers, warmup, {@code measureNanos} measured; its producers. */
    private static List<Producer> closedLoop(Candidate c, Options o, EnvelopeRecords source, int threads,
                                             boolean markDone, long measureNanos) throws Exception {
        Path dir = Files.createTempDirectory(o.dir(), c.label() + "-");
        Producer[] producers = new Producer[threads];
        try (StoreCandidate store = c.open(dir)) {
            store.recover((id, r) -> { });
            long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmup());
            long until = measureFrom + measureNanos;
            Thread[] running = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                producers[i] = new Producer(store, source, o.batch(), markDone, measureFrom, until);
                running[i] = new Thread(producers[i], c.label() + "-producer-" + i);
                running[i].start();
            }
            for (Thread t : running) {
                t.join();
            }
        } finally {
            delete(dir);
        }
        for (Producer p : producers) {
            if (p.failure != null) {
                throw new IllegalStateException(c.label() + ": a producer failed", p.failure);
            }
        }
        return List.of(producers);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN
                : sorted[(int) Math.min(sorted.length - 1, (long) (p * sorted.length))] / 1e6;
    }

    private static Recovery recovery(Candidate c, Options o, EnvelopeRecords source) throws Exception {
        Path dir = Files.createTempDirectory(o.dir(), c.label() + "-recovery-");
        try {
            int n = o.records();
            long loadStart = System.nanoTime();
            try (StoreCandidate store = c.open(dir)) {
                store.recover((id, r) -> { });
                load(store, source, n, o.threads());
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long written = bytes(dir);

            long[] ids = new long[n];
            int[] lengths = new int[n];
            int[] seen = {0};
            try (StoreCandidate store = c.open(dir)) {
                long count = store.recover((id, r) -> {
                    ids[seen[0]] = id;
                    lengths[seen[0]++] = r.length;
                });
                check(c, "records after reopening", count, n);
                for (int i = 0; i < n; i += 2) {
                    store.markDone(ids[i]);
                }
            }
            long afterDone = bytes(dir);
            long expectedBytes = 0;
            for (int i = 1; i < n; i += 2) {
                expectedBytes += lengths[i];
            }

            long[] got = {0, -1, 0}; // bytes, last id, ids out of order or done
            int[] next = {1};
            long start = System.nanoTime();
            long recovered;
            double seconds;
            try (StoreCandidate store = c.open(dir)) {
                recovered = store.recover((id, r) -> {
                    got[0] += r.length;
                    if (id <= got[1] || next[0] >= n || id != ids[next[0]]) {
                        got[2]++;
                    }
                    got[1] = id;
                    next[0] += 2;
                });
                seconds = (System.nanoTime() - start) / 1e9;
            }
            check(c, "records not done after recovery", recovered, n / 2);
            check(c, "bytes of the records not done", got[0], expectedBytes);
            check(c, "records out of order or marked done", got[2], 0);
            return new Recovery(loadSeconds, written, afterDone, seconds, recovered);
        } finally {
            delete(dir);
        }
    }

    /** Appends {@code n} records in batches of {@link #LOAD_BATCH} from {@code threads} producers. */
    private static void load(StoreCandidate store, EnvelopeRecords source, int n, int threads) throws Exception {
        AtomicLong claimed = new AtomicLong();
        Throwable[] failure = new Throwable[1];
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            running[t] = new Thread(() -> {
                long high = PRODUCERS.incrementAndGet();
                try {
                    long from;
                    while ((from = claimed.getAndAdd(LOAD_BATCH)) < n) {
                        List<byte[]> batch = new ArrayList<>(LOAD_BATCH);
                        for (long i = from; i < Math.min(n, from + LOAD_BATCH); i++) {
                            batch.add(source.record(high, i, i));
                        }
                        store.appendDurably(batch).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }, "loader-" + t);
            running[t].start();
        }
        for (Thread t : running) {
            t.join();
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("load failed", failure[0]);
            }
        }
    }

    private static void check(Candidate c, String what, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(c.label() + ": " + what + ": " + actual + " (expected: " + expected + ")");
        }
    }

    /** Total size of the regular files under {@code dir}. */
    private static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The summary as a Markdown table, each figure also as a ratio to segment-log's (or the first candidate's). */
    private static void table(List<Result> results, Options o) {
        if (results.isEmpty()) {
            return;
        }
        Result base = results.stream().filter(r -> r.candidate() == Candidate.SEGMENT_LOG).findFirst()
                .orElse(results.get(0));
        String vs = "vs " + base.candidate().label();
        System.out.printf(Locale.ROOT, "| candidate | append x%d (records/s) | %s | p50 / p99 (ms) | append x1"
                        + " (records/s) | %s | p50 / p99 (ms) | append+done x%d (records/s) | %s | recovery of %,d (s)"
                        + " | %s | bytes/record written | bytes/record after half done |%n", o.threads(), vs, vs,
                o.threads(), vs, o.records() / 2, vs);
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f / %.2f | %,.0f | %.2f | %.2f / %.2f | %,.0f"
                            + " | %.2f | %.2f | %.2f | %.0f | %.0f |%n",
                    r.candidate().label(),
                    r.many().recordsPerSecond(), r.many().recordsPerSecond() / base.many().recordsPerSecond(),
                    r.many().p50Millis(), r.many().p99Millis(),
                    r.one().recordsPerSecond(), r.one().recordsPerSecond() / base.one().recordsPerSecond(),
                    r.one().p50Millis(), r.one().p99Millis(),
                    r.withDone().recordsPerSecond(),
                    r.withDone().recordsPerSecond() / base.withDone().recordsPerSecond(),
                    r.recovery().seconds(), r.recovery().seconds() / base.recovery().seconds(),
                    (double) r.recovery().bytesWritten() / o.records(),
                    (double) r.recovery().bytesAfterDone() / o.records());
        }
    }
}
