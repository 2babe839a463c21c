package io.busbar.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time spent by this process between two points, by thread group: a thread's name without its trailing
 * number ({@code busbar-io-3-1} counts as {@code busbar-io}). What no Java thread accounts for (the garbage
 * collector, the JIT compilers) is the difference from the process's own CPU time, shown as {@code jvm}. On a
 * 2-core host where a load generator shares the machine with the server, a phase's latency says little without
 * knowing who used the cores: this tells the client's share from the server's.
 */
final class CpuShares {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startByThread = new TreeMap<>();
    private final long processStart;

    private CpuShares() {
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null) {
                startByThread.put(t.getThreadId(), Math.max(0, THREADS.getThreadCpuTime(t.getThreadId())));
            }
        }
        processStart = processCpuNanos();
    }

    /** Starts counting now. */
    static CpuShares start() {
        return new CpuShares();
    }

    /** CPU microseconds per unit of work ({@code units} requests, say) since the start, by thread group. */
    Map<String, Double> perUnit(long units) {
        Map<String, Long> nanos = new TreeMap<>();
        long threads = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) {
                continue;
            }
            long used = now - startByThread.getOrDefault(t.getThreadId(), 0L);
            nanos.merge(group(t.getThreadName()), used, Long::sum);
            threads += used;
        }
        // Threads that ended within the interval are lost to both sums; what is left is the JVM's own threads.
        nanos.put("jvm", Math.max(0, processCpuNanos() - processStart - threads));
        Map<String, Double> out = new TreeMap<>();
        double per = Math.max(1, units) * 1_000.0;
        nanos.forEach((k, v) -> {
            if (v > 0) {
                out.put(k, v / per);
            }
        });
        return out;
    }

    /** {@link #perUnit} as one line, largest first, with the total. */
    String line(long units, String unit) {
        Map<String, Double> shares = perUnit(units);
        StringBuilder sb = new StringBuilder("cpu us per ").append(unit).append(':');
        double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
        shares.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .filter(e -> e.getValue() >= 0.05)
                .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.1f,", e.getKey(), e.getValue())));
        sb.append(String.format(Locale.ROOT, " total %.1f", total));
        return sb.toString();
    }

    static String group(String threadName) {
        int end = threadName.length();
        while (end > 0 && (Character.isDigit(threadName.charAt(end - 1)) || threadName.charAt(end - 1) == '-')) {
            end--;
        }
        return end == 0 ? threadName : threadName.substring(0, end);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
