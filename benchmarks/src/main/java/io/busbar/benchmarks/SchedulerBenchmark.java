package io.busbar.benchmarks;

import io.busbar.core.Busbar;
import io.busbar.core.scheduler.FlexibleTimeWindow;
import io.busbar.core.scheduler.ScheduleRequest;
import io.busbar.core.scheduler.ScheduleTarget;
import io.busbar.core.schedule.ScheduleExpression;
import io.busbar.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scheduler: the cost of one fire when 100,000 EventBridge Scheduler schedules are due in the same minute (each
 * fire renders the target's input and delivers it to an in-process function on the calling thread), and the cost of computing a
 * cron expression's next fire time. Idle cost is not measured here because it is nil by construction: each rule
 * has one task in a priority queue and the ticker sleeps until the earliest one.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SchedulerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class SchedulerBenchmark {
    static final int RULES = 100_000;

    private ManualClock clock;
    private Busbar bus;
    private final LongAdder delivered = new LongAdder();
    private int minutes;
    private ScheduleExpression cron;
    private Instant from;

    @Setup(Level.Trial)
    public void setUp() {
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:30Z"));
        bus = Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false)
                .targetQueueCapacity(RULES).build();
        String fn = bus.registerFunction("tick", d -> delivered.increment());
        // EventBridge Scheduler schedules: the kind meant to exist by the hundred thousand (rules are capped at
        // 300 per bus).
        for (int i = 0; i < RULES; i++) {
            bus.scheduler().createSchedule(ScheduleRequest.builder("s" + i, "cron(* * * * ? *)",
                    FlexibleTimeWindow.off(), ScheduleTarget.of(fn, "arn:aws:iam::123456789012:role/r", "{}")).build());
        }
        cron = ScheduleExpression.parse("cron(0/15 9-17 ? * MON-FRI *)");
        from = Instant.parse("2026-01-01T00:00:00Z");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bus.close(Duration.ZERO);
        if (minutes > 0 && delivered.sum() != (long) minutes * RULES) {
            throw new IllegalStateException("expected " + (long) minutes * RULES + " deliveries, got " + delivered.sum());
        }
    }

    /** One minute passes: all 100,000 schedules fire once; the score is per fire. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(RULES)
    public int fireAllDueInOneMinute() {
        clock.advance(Duration.ofMinutes(1));
        minutes++;
        int ran = bus.runDueTasks();
        if (ran != RULES) {
            throw new IllegalStateException("expected " + RULES + " fires, ran " + ran);
        }
        return ran;
    }

    /** The next fire time of a weekday business-hours cron expression. */
    @Benchmark
    public Object nextFireTime() {
        from = from.plusSeconds(7_919);
        return cron.nextAfter(from);
    }
}
