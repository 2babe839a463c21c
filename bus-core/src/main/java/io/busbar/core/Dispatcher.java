package io.busbar.core;

import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * Hands matched events to their targets, retries what fails, and sends what fails for good to dead-letter queues.
 *
 * <p>Implementation notes: every (rule, target) pair has a {@link Lane}: a bounded queue and a limit on attempts in
 * flight. PutEvents reserves room in every lane an event needs before it enqueues anything, so an event is either
 * accepted for all its targets or refused (throttled) for all, and nothing accepted is dropped: retries re-enter
 * their lane without counting against its bound. Attempts run on the delivery executor; a target's stage that is
 * still open after the delivery timeout counts as a retryable {@code TIMEOUT}, and whichever ending comes first
 * wins. Back-off is exponential with full jitter (base 1 s, cap 5 min) and is measured on the injected clock, as
 * are event age and every latency. Thread-safe.
 */
final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final long BASE_BACKOFF_MILLIS = 1_000;
    private static final long MAX_BACKOFF_MILLIS = 300_000;
    /** How long one runner keeps its thread before it gives it back to other lanes' tasks (see {@link #run}). */
    private static final long RUN_NANOS = 1_000_000;
    /** An attempt that ends on its runner within this time marks its lane fast (see {@link Lane#signal}). */
    private static final long FAST_NANOS = 50_000;
    /**
     * A runner whose current attempt started longer ago than this no longer counts as taking what is queued behind
     * it (see {@link Lane#signal}): its handler may hang, or its thread may have lost its core.
     */
    private static final long STALL_NANOS = 200_000;
    /**
     * The default of {@link #dozeNanos}, the poll interval: how long a runner of a busy fast lane sleeps between
     * looks at its queue once that is empty (see {@link #doze}); the default linger is none. On the 2-core host it
     * was measured on, a runner's park and wake-up cost more than the deliveries it then makes, and a wake-up
     * sometimes took milliseconds: lingering 200 us (spinning, then yielding) first answered that, taking the
     * in-process p99 at half load from 10-12 ms to 2-3 ms against 30 us, but held a core while calls came. Polling
     * every 250 us holds none, and did better again: at a fixed 280,000 entries a second in process, a p99 of
     * 0.40-0.95 ms in five runs against 1.16-1.78 ms with the 200 us linger, and in three alternating pairs of the
     * in-process load driver 0.60-0.64 of the matcher's throughput against 0.50-0.59 (2026-11-27).
     */
    static final long DEFAULT_POLL_NANOS = 250_000;
    /**
     * Spin-waits between two reads of the clock while lingering. Reading it on every turn made the clock most of a
     * lingering runner's work, and work on one vCPU of the 2-core host slows the other: a thread doing arithmetic
     * there took the producer from about 680k entries/s to 410k, while one that only spin-waited cost it nothing.
     */
    private static final int SPINS_PER_CLOCK_READ = 16;
    /**
     * Spin-waits between two {@link Thread#yield}s while lingering (about 10 us on the host measured): a thread that
     * only spins holds its core from every other thread the scheduler would put there, and lingering 200 us that way
     * made latency worse, not better; yielding on every turn made it a system call per turn.
     */
    private static final int SPINS_PER_YIELD = 256;
    /** How many slices of {@link #dozeNanos} a runner dozes with nothing queued before it leaves (see {@link #doze}). */
    private static final int DOZE_SLICES = 4;

    /**
     * Per-attempt shaping for deliveries that are not rule deliveries (EventBridge Scheduler invocations): the payload
     * of each attempt, the dead-letter message's attributes, and the end of the delivery.
     */
    interface AttemptHook {
        /** The delivery to hand the target for this attempt ({@code d.attempt()} says which). */
        Delivery attempt(Delivery d);

        /** The dead-letter message's attributes when the attempt {@code d} failed for good. */
        Map<String, String> deadLetterAttributes(Delivery d, String code, String message, String exhausted);

        /** Called once when the delivery ends: delivered, or failed for good (after the dead-letter queue). */
        void finished(Delivery d, boolean delivered);

        /**
         * The wait before retrying after failed attempt {@code attempt}, in milliseconds; or -1 for the rule
         * deliveries' backoff ({@link #backoffMillis}).
         */
        default long retryDelayMillis(int attempt, RandomGenerator random) {
            return -1;
        }
    }

    /**
     * Where a delivery goes and under which policy, fixed when the event is accepted. A rule's routes are made once
     * per published version of the rule and keep the lane they feed once it is known, so that queueing an event
     * costs no lane lookup.
     *
     * @param hook null for rule deliveries
     */
    static final class Route {
        private final String busName;
        private final String ruleName;
        private final String ruleArn;
        private final Target target;
        private final AttemptHook hook;
        /** What the target registry resolves, made once: a spec per delivery was an allocation and a map copy. */
        private final TargetSpec spec;
        /** The lane, once looked up; a racy cache: every thread that finds it null looks up the same lane. */
        private Lane lane;

        Route(String busName, String ruleName, String ruleArn, Target target, AttemptHook hook) {
            this.busName = busName;
            this.ruleName = ruleName;
            this.ruleArn = ruleArn;
            this.target = target;
            this.hook = hook;
            this.spec = new TargetSpec(target.arn(), target.parameters());
        }

        Route(String busName, String ruleName, String ruleArn, Target target) {
            this(busName, ruleName, ruleArn, target, null);
        }

        String busName() {
            return busName;
        }

        String ruleName() {
            return ruleName;
        }

        String ruleArn() {
            return ruleArn;
        }

        Target target() {
            return target;
        }

        AttemptHook hook() {
            return hook;
        }

        TargetSpec spec() {
            return spec;
        }

        LaneKey laneKey() {
            return new LaneKey(ruleArn, target.id());
        }
    }

    /**
     * A lane's identity. A record of the two strings rather than their concatenation: both cache their hash, so a
     * lookup per delivery neither copies nor rehashes them.
     */
    record LaneKey(String ruleArn, String targetId) {
    }

    /**
     * A delivery on its way, with its route and a flag that makes its first ending the only one. {@code position}
     * and {@code index} name it in the event store ({@code position} -1: not stored).
     */
    private static final class Pending {
        final Delivery delivery;
        final Route route;
        final long position;
        final int index;
        final AtomicBoolean finished = new AtomicBoolean();

        Pending(Delivery delivery, Route route, long position, int index) {
            this.delivery = delivery;
            this.route = route;
            this.position = position;
            this.index = index;
        }
    }

    /** Room reserved for one event in each of its lanes, not yet filled; {@link #full} names a refusal. */
    static final class Reservation {
        final List<Route> routes;
        final Lane[] lanes;
        final Route full;

        private Reservation(List<Route> routes, Lane[] lanes, Route full) {
            this.routes = routes;
            this.lanes = lanes;
            this.full = full;
        }

        /** The route whose lane was full (nothing is reserved then), or null. */
        Route full() {
            return full;
        }
    }

    private final Clock clock;
    private final DueTasks due;
    private final Executor executor;
    private final TargetRegistry registry;
    private final BusMetrics metrics;
    private final RandomGenerator random;
    private final int laneCapacity;
    private final int laneConcurrency;
    private final Duration timeout;
    /** How long a runner of a busy fast lane waits for the next call (see {@link #linger}); 0: it does not. */
    private final long lingerNanos;
    /**
     * How long a runner of a busy fast lane sleeps between looks at its queue once lingering is over (see
     * {@link #doze}); 0: it does not doze.
     */
    private final long dozeNanos;
    /** The longest a lane's calls may be apart, on average, for its runner to doze, and how long it dozes at most. */
    private final long dozeSpanNanos;
    private final ConcurrentMap<LaneKey, Lane> lanes = new ConcurrentHashMap<>();
    private final ConcurrentMap<Pending, Boolean> waitingRetries = new ConcurrentHashMap<>();
    /** Where stored deliveries' ends and retries are recorded, or null in memory mode. */
    private final io.busbar.core.store.EventStore store;

    Dispatcher(Clock clock, DueTasks due, Executor executor, TargetRegistry registry, BusMetrics metrics,
               RandomGenerator random, int laneCapacity, int laneConcurrency, Duration timeout,
               io.busbar.core.store.EventStore store, long lingerNanos, long dozeNanos) {
        this.lingerNanos = lingerNanos;
        this.dozeNanos = dozeNanos;
        this.dozeSpanNanos = dozeNanos * DOZE_SLICES;
        this.store = store;
        this.clock = clock;
        this.due = due;
        this.executor = executor;
        this.registry = registry;
        this.metrics = metrics;
        this.random = random;
        this.laneCapacity = laneCapacity;
        this.laneConcurrency = laneConcurrency;
        this.timeout = timeout;
        due.onEveryTick(this::rescueStalledLanes);
    }

    /**
     * Accepts an event for all its routes, or for none: returns the route whose lane was full, or {@code null}
     * when every delivery was enqueued. Nothing is stored.
     */
    Route offer(List<Route> routes, List<Delivery> deliveries) {
        Reservation r = reserve(routes);
        if (r.full != null) {
            return r.full;
        }
        commit(r, deliveries, -1);
        return null;
    }

    /** Reserves room for an event in every lane it needs, or in none (then {@link Reservation#full()} says why). */
    Reservation reserve(List<Route> routes) {
        Lane[] reserved = new Lane[routes.size()];
        for (int i = 0; i < reserved.length; i++) {
            Route r = routes.get(i);
            Lane lane = lane(r);
            if (!lane.tryReserve()) {
                for (int j = 0; j < i; j++) {
                    reserved[j].release();
                }
                return new Reservation(routes, null, r);
            }
            reserved[i] = lane;
        }
        return new Reservation(routes, reserved, null);
    }

    /** Fills a reservation: delivery {@code i} goes to route {@code i}; {@code position} is the event's in the store. */
    void commit(Reservation r, List<Delivery> deliveries, long position) {
        commit(r, deliveries, position, null);
    }

    /**
     * As {@link #commit(Reservation, List, long)}; with a batch, the deliveries are queued and their lanes noted in
     * it, and runners start for them when the batch is {@link #start started}.
     */
    void commit(Reservation r, List<Delivery> deliveries, long position, Batch batch) {
        for (int i = 0; i < r.lanes.length; i++) {
            Lane lane = r.lanes[i];
            Pending p = new Pending(deliveries.get(i), r.routes.get(i), position, i);
            if (batch == null) {
                lane.enqueue(p);
            } else {
                lane.queue.add(p);
                batch.add(lane);
            }
        }
    }

    /**
     * The lanes filled by one PutEvents call. Their runners start once, at the end of the call, so a call of ten
     * events for a fast lane starts one runner there rather than one per event (see {@link Lane#signal}); on a
     * 2-core host, that delivered more entries per second in each of eight alternating pairs of runs. Not
     * thread-safe: one per call.
     */
    static final class Batch {
        private Lane[] lanes = new Lane[4];
        private int size;

        private void add(Lane lane) {
            for (int i = 0; i < size; i++) {
                if (lanes[i] == lane) {
                    return;
                }
            }
            if (size == lanes.length) {
                lanes = java.util.Arrays.copyOf(lanes, size * 2);
            }
            lanes[size++] = lane;
        }
    }

    /** Starts runners for what a batch queued. */
    void start(Batch batch) {
        for (int i = 0; i < batch.size; i++) {
            batch.lanes[i].signal();
        }
        batch.size = 0;
    }

    /** Gives a reservation's room back (the event was not stored). */
    void cancel(Reservation r) {
        if (r.lanes != null) {
            for (Lane l : r.lanes) {
                l.release();
            }
        }
    }

    /** Resumes a stored delivery found at start: it was accepted before, so no lane bound applies. */
    void recover(Route route, Delivery delivery, long position, int index) {
        lane(route).requeue(new Pending(delivery, route, position, index));
    }

    private Lane lane(Route r) {
        Lane cached = r.lane;
        if (cached != null) {
            return cached;
        }
        LaneKey key = r.laneKey();
        Lane lane = lanes.get(key);
        if (lane == null) {
            lane = lanes.computeIfAbsent(key, k -> {
                Lane l = new Lane(metrics.targetMeters(r.busName(), r.ruleName(), r.target().id()));
                metrics.gauge(BusMetrics.TARGET_QUEUE_DEPTH, r.busName(), r.ruleName(), r.target().id(),
                        l.depth::get);
                return l;
            });
        }
        r.lane = lane;
        return lane;
    }

    /**
     * Gives a fast lane whose runners have all stalled, with deliveries queued behind them, one more runner. Called
     * on every tick of the due-task thread (at least every {@value DueTasks#MAX_IDLE_MILLIS} ms): the one case it is
     * for, a handler that hangs just after {@link Lane#signal} judged its runner moving, with no later event to
     * start another, is rare, and the wait it bounds is that handler's fault.
     */
    void rescueStalledLanes() {
        long now = System.nanoTime();
        for (Lane l : lanes.values()) {
            if (!l.queue.isEmpty() && !l.runners.isEmpty() && !l.moving(now)) {
                l.drain(1);
            }
        }
    }

    /** Deliveries queued or in flight in all lanes, plus those waiting for a retry. */
    int outstanding() {
        int n = waitingRetries.size();
        for (Lane l : lanes.values()) {
            n += l.depth.get() + l.inFlight.get();
        }
        return n;
    }

    /** What is still queued or waiting for a retry (in-flight attempts are not listed: they may yet finish). */
    List<UndeliveredEvent> undelivered() {
        List<UndeliveredEvent> out = new ArrayList<>();
        for (Lane l : lanes.values()) {
            for (Pending p : l.queue) {
                out.add(undelivered(p));
            }
        }
        for (Pending p : waitingRetries.keySet()) {
            out.add(undelivered(p));
        }
        return out;
    }

    List<UndeliveredEvent> inFlight() {
        List<UndeliveredEvent> out = new ArrayList<>();
        for (Lane l : lanes.values()) {
            for (Runner runner : l.runners.keySet()) {
                Pending p = runner.current;
                if (p != null && !p.finished.get()) {
                    out.add(undelivered(p));
                }
            }
            for (Pending p : l.answering.keySet()) {
                out.add(undelivered(p));
            }
        }
        return out;
    }

    private static UndeliveredEvent undelivered(Pending p) {
        return new UndeliveredEvent(p.delivery.eventId(), p.route.ruleArn(), p.route.target().id(),
                p.delivery.attempt() - 1);
    }

    /** One (rule, target) pair: a bounded queue and a bound on attempts in flight. */
    private final class Lane {
        final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
        /** Runners at work on this lane; each names the delivery it is making. */
        final ConcurrentMap<Runner, Boolean> runners = new ConcurrentHashMap<>();
        /** Attempts whose target answers later (see {@link #attempt}), until they end. */
        final ConcurrentMap<Pending, Boolean> answering = new ConcurrentHashMap<>();
        /** Queued plus reserved; bounded by the lane capacity for new events. */
        final AtomicInteger depth = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        /** The lane's per-delivery meters, looked up once. */
        final BusMetrics.TargetMeters meters;
        /** Whether the last attempt made on a runner ended there within {@link #FAST_NANOS}. */
        volatile boolean fast;
        /** Calls that queued deliveries here counting on a runner at work; a lingering runner watches it. */
        final AtomicInteger calls = new AtomicInteger();
        /** When the last call that queued here was signalled ({@link System#nanoTime}). */
        volatile long lastCall = System.nanoTime();
        /**
         * The mean time between calls, as a moving average over about the last eight. Runners linger only while it
         * is under {@link #lingerNanos}, and doze only while it is under {@link #dozeSpanNanos}: where calls come
         * that close together a waiting runner catches the next one without a wake-up, and where they do not, it
         * would wait for nothing: at 15,000 calls a second from two HTTP event loops, lingering after every call
         * held a core and put the server's p99 up.
         */
        volatile long callGap = Math.max(lingerNanos, dozeSpanNanos) * 16;

        Lane(BusMetrics.TargetMeters meters) {
            this.meters = meters;
        }

        boolean tryReserve() {
            while (true) {
                int d = depth.get();
                if (d >= laneCapacity) {
                    return false;
                }
                if (depth.compareAndSet(d, d + 1)) {
                    return true;
                }
            }
        }

        void release() {
            depth.decrementAndGet();
        }

        /** Enqueues a reserved delivery. */
        void enqueue(Pending p) {
            queue.add(p);
            signal();
        }

        /**
         * Starts runners for queued deliveries: as many as there are deliveries (up to the lane's concurrency),
         * except in a fast lane. A runner takes queued deliveries one after the other (see {@link #run}), and for
         * an in-process function a runner's start, a thread wake-up, costs more than the delivery itself. So a fast
         * lane gets one runner, and none while a runner of it is {@link #moving}: that runner takes what was
         * queued. One whose runners all look stalled gets one more, which keeps the lane going while a handler
         * hangs. A runner that leaves looks at the queue after it has left the lane's runners, and the caller here
         * looks at the runners after it queued, so one of them sees the other and nothing queued is left without a
         * runner; a runner that stalls just after it was judged moving is caught by {@link #rescueStalledLanes}.
         */
        void signal() {
            if (!fast) {
                drain();
                return;
            }
            long now = System.nanoTime();
            long gap = Math.min(now - lastCall, Math.max(lingerNanos, dozeSpanNanos) * 16);
            lastCall = now;
            long mean = callGap;
            callGap = mean + ((gap - mean) >> 3); // racy between callers, and only a hint
            if (runners.isEmpty()) {
                drain(1);
            } else if (moving(now)) {
                calls.incrementAndGet(); // wakes a lingering runner
            } else {
                drain(1);
            }
        }

        /**
         * Whether a runner of this lane started its current attempt, or was itself started, within {@link
         * #STALL_NANOS} of {@code now}. A runner still waiting for its thread after that gets a second one: on the
         * 2-core host a queued task sometimes waited milliseconds for an idle delivery thread to wake up.
         */
        boolean moving(long now) {
            for (Runner r : runners.keySet()) {
                if (now - r.since < STALL_NANOS) {
                    return true;
                }
            }
            return false;
        }

        /** Enqueues a retry: it was accepted long ago, so it never counts against the bound. */
        void requeue(Pending p) {
            depth.incrementAndGet();
            queue.add(p);
            drain();
        }

        void drain() {
            drain(Integer.MAX_VALUE);
        }

        /** Starts up to {@code most} runners for queued deliveries, within the lane's concurrency. */
        void drain(int most) {
            for (int started = 0; started < most; ) {
                int f = inFlight.get();
                if (f >= laneConcurrency || queue.isEmpty()) {
                    return;
                }
                if (!inFlight.compareAndSet(f, f + 1)) {
                    continue;
                }
                Pending p = queue.poll();
                if (p == null) {
                    inFlight.decrementAndGet();
                    continue;
                }
                depth.decrementAndGet();
                Runner runner = new Runner(p);
                runners.put(runner, Boolean.TRUE);
                started++;
                try {
                    executor.execute(() -> run(this, runner));
                } catch (RuntimeException e) {
                    // The executor refused (shut down): put it back rather than lose it.
                    runners.remove(runner);
                    inFlight.decrementAndGet();
                    depth.incrementAndGet();
                    queue.add(p);
                    return;
                }
            }
        }

        /** The next queued delivery for a runner that keeps its slot, or null. */
        Pending next() {
            Pending p = queue.poll();
            if (p != null) {
                depth.decrementAndGet();
            }
            return p;
        }
    }

    /**
     * Runs deliveries of one lane on one slot: the first, then, while each ends on this thread (an in-process
     * function, a queue), the next ones queued, for up to {@link #RUN_NANOS}. One executor task per delivery meant a
     * hand-off and often a thread wake-up per delivery; here a burst costs one. In a fast lane whose calls come
     * close together the runner then waits for the next call, spinning ({@link #linger}) and then sleeping in
     * slices ({@link #doze}), so that under load one runner keeps going with no wake-up from the callers: with the
     * linger alone, on the 2-core host, the in-process load driver delivered 7-17% more entries per second, with
     * runner starts per entry down from 0.10-0.15 to 0.01, and HTTP PutEvents x10 4-8% more. While it sleeps, it
     * keeps its thread only as long as no other task waits for one, and otherwise gives it back after
     * {@link #RUN_NANOS}. A delivery that is still running when {@link #attempt} returns (an HTTP call, say) keeps
     * the slot, and its completion releases it.
     */
    private void run(Lane lane, Runner runner) {
        Pending p = runner.current;
        boolean holding = true;
        long start = System.nanoTime();
        long yieldAt = start + RUN_NANOS;
        // On the thread that queued (a direct executor), the next call cannot come while this runner lingers.
        boolean mayLinger = runner.starter != Thread.currentThread();
        try {
            while (true) {
                runner.since = start;
                if (!attempt(lane, p)) {
                    holding = false;
                    return;
                }
                long end = System.nanoTime();
                boolean fast = end - start < FAST_NANOS;
                if (lane.fast != fast) {
                    lane.fast = fast;
                }
                start = end;
                if (end - yieldAt > 0 && (dozeNanos == 0 || othersMayWait())) {
                    // Let other lanes' tasks have the thread; drain() below queues a new runner if needed. A dozing
                    // runner keeps it while no task waits: its lane then needs no wake-up to start a new one.
                    return;
                }
                p = lane.next();
                if (p == null && fast && mayLinger && lane.callGap < lingerNanos) {
                    p = linger(lane, runner, end);
                    start = System.nanoTime();
                }
                if (p == null && fast && mayLinger && dozeNanos > 0 && lane.callGap < dozeSpanNanos) {
                    p = doze(lane, runner);
                    start = System.nanoTime();
                }
                if (p == null) {
                    // Leave the lane's runners first, then look once more: a caller that queued meanwhile may have
                    // counted on this runner (see Lane.signal). Taking it here costs no new task and no wake-up.
                    lane.runners.remove(runner);
                    p = lane.next();
                    if (p == null) {
                        return;
                    }
                    runner.current = p;
                    lane.runners.put(runner, Boolean.TRUE);
                } else {
                    runner.current = p;
                }
            }
        } catch (RuntimeException e) {
            // Before this runner, such a failure vanished inside the target future's callback; keep the thread.
            LOG.log(System.Logger.Level.ERROR, "Delivery of event " + p.delivery.eventId() + " to target "
                    + p.route.target().id() + " of rule " + p.route.ruleArn() + " failed in Busbar", e);
        } finally {
            lane.runners.remove(runner);
            if (holding) {
                lane.inFlight.decrementAndGet();
                lane.drain();
            }
        }
    }

    /**
     * Waits up to {@link #lingerNanos} for the lane's next call (see {@link Lane#signal}) and returns what it
     * queued, or null. It watches the lane's call counter, which a caller bumps once its call has queued all its
     * deliveries, rather than the queue, so that it takes a call's deliveries together once the caller is done with
     * them: polling the queue took each one as it came, and moving those entries between the two cores cost the
     * caller more than the wake-up it saved.
     */
    private Pending linger(Lane lane, Runner runner, long from) {
        int seen = lane.calls.get();
        Pending p = lane.next();
        long until = from + lingerNanos;
        int spins = 0;
        while (p == null) {
            if (spins % SPINS_PER_YIELD == SPINS_PER_YIELD - 1) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
            int calls = lane.calls.get();
            if (calls != seen) {
                seen = calls;
                p = lane.next();
            } else if ((++spins & SPINS_PER_CLOCK_READ - 1) == 0) {
                long now = System.nanoTime();
                if (now - until > 0) {
                    return null;
                }
                runner.since = now;
            }
        }
        return p;
    }

    /**
     * Whether another task may be waiting for a delivery thread: only a {@link ThreadPoolExecutor} (the bus's own
     * delivery threads are one) can tell that none is, so any other executor counts as busy and its runners never
     * doze.
     */
    private boolean othersMayWait() {
        return !(executor instanceof ThreadPoolExecutor pool) || !pool.getQueue().isEmpty();
    }

    /**
     * Sleeps {@link #dozeNanos} at a time, up to {@link #DOZE_SLICES} times, until the lane has queued something,
     * and returns it; or null once the slices are spent or another task waits for a thread. Callers do not wake a
     * dozing runner: its {@link Runner#since} is set to when it will look next, so {@link Lane#signal} takes it
     * for moving and only counts the call. Where a lane's calls come from other threads tens of microseconds apart
     * (a server's I/O threads at tens of thousands of requests a second), a runner that lingered briefly and then
     * left needed a thread wake-up for most calls, each costing more than the deliveries it made; one that dozes
     * takes the deliveries of several calls per wake-up, at the price of up to one slice's wait for each.
     */
    private Pending doze(Lane lane, Runner runner) {
        for (int slice = 0; slice < DOZE_SLICES; slice++) {
            if (othersMayWait()) {
                return null;
            }
            runner.since = System.nanoTime() + dozeNanos;
            LockSupport.parkNanos(this, dozeNanos);
            runner.since = System.nanoTime();
            Pending p = lane.next();
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /**
     * One executor task running a lane's deliveries on one slot; {@link #current} names the delivery it is making,
     * for {@link #inFlight()}. Registered once per task rather than once per delivery.
     */
    private static final class Runner {
        volatile Pending current;
        /** When the current attempt, or the runner, started ({@link System#nanoTime}), for {@link Lane#moving}. */
        volatile long since = System.nanoTime();
        /** The thread that started the runner: with a direct executor, the one it runs on. */
        final Thread starter = Thread.currentThread();

        Runner(Pending first) {
            this.current = first;
        }
    }

    /**
     * Makes one attempt. Returns true when it ended on this thread, its outcome handled and its lane slot still
     * held by the caller; false when the target answers later, and its completion (or the timeout) releases the
     * slot.
     */
    private boolean attempt(Lane lane, Pending p) {
        Delivery d = p.delivery;
        Route r = p.route;
        Instant now = clock.instant();
        if (d.attempt() > 1 && ageExceeded(d, r, now)) {
            finish(lane, p, false);
            fail(p, "RETRY_EXHAUSTED", "The event is older than the target's MaximumEventAgeInSeconds",
                    "MaximumEventAgeInSeconds");
            return true;
        }
        lane.meters.attempts().increment();
        if (d.attempt() == 1) {
            lane.meters.ingestionToStart().record(BusMetrics.nanosBetween(d.ingestionTime(), now),
                    TimeUnit.NANOSECONDS);
        }
        CompletionStage<DeliveryOutcome> stage;
        try {
            DeliveryTarget t = registry.resolve(r.spec());
            stage = t.deliver(r.hook() == null ? d : r.hook().attempt(d));
            if (stage == null) {
                stage = CompletableFuture.completedFuture(
                        DeliveryOutcome.retryable("TARGET_ERROR", "the target returned no outcome"));
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            stage = CompletableFuture.completedFuture(
                    DeliveryOutcome.retryable("TARGET_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        CompletableFuture<DeliveryOutcome> future = stage.toCompletableFuture();
        if (future.isDone()) {
            // A completed future runs the action at once, on this thread.
            DeliveryOutcome[] outcome = new DeliveryOutcome[1];
            future.whenComplete((o, error) -> outcome[0] = outcome(o, error));
            onOutcome(lane, p, outcome[0], false);
            return true;
        }
        lane.answering.put(p, Boolean.TRUE);
        due.schedule(now.plus(timeout), () -> onOutcome(lane, p, DeliveryOutcome.retryable("TIMEOUT",
                "The target did not answer within " + timeout.toMillis() + " ms"), true));
        future.whenComplete((o, error) -> onOutcome(lane, p, outcome(o, error), true));
        return false;
    }

    private static DeliveryOutcome outcome(DeliveryOutcome outcome, Throwable error) {
        return error != null ? DeliveryOutcome.retryable("TARGET_ERROR", String.valueOf(error.getMessage()))
                : outcome != null ? outcome
                : DeliveryOutcome.retryable("TARGET_ERROR", "the target returned no outcome");
    }

    /**
     * Ends a delivery's attempt once (a late answer after a timeout is ignored); {@code releaseSlot} false when the
     * runner that made the attempt keeps the lane slot for the next delivery.
     */
    private boolean finish(Lane lane, Pending p, boolean releaseSlot) {
        if (!p.finished.compareAndSet(false, true)) {
            return false;
        }
        if (releaseSlot) {
            lane.answering.remove(p);
            lane.inFlight.decrementAndGet();
            lane.drain();
        }
        return true;
    }

    private boolean ageExceeded(Delivery d, Route r, Instant now) {
        return Duration.between(d.ingestionTime(), now).getSeconds()
                >= r.target().retryPolicy().maximumEventAgeInSeconds();
    }

    private void onOutcome(Lane lane, Pending p, DeliveryOutcome outcome, boolean releaseSlot) {
        if (!finish(lane, p, releaseSlot)) {
            return;
        }
        Delivery d = p.delivery;
        Route r = p.route;
        String bus = r.busName();
        String rule = r.ruleName();
        String target = r.target().id();
        Instant now = clock.instant();
        switch (outcome.status()) {
            case DELIVERED -> {
                lane.meters.successfulAttempts().increment();
                lane.meters.invocations().increment();
                lane.meters.ingestionToSuccess().record(BusMetrics.nanosBetween(d.ingestionTime(), now),
                        TimeUnit.NANOSECONDS);
                if (r.hook() != null) {
                    r.hook().finished(d, true);
                }
                stored(p);
            }
            case PERMANENT -> fail(p, outcome.errorCode(), outcome.message(), null);
            case RETRYABLE -> {
                int retriesMade = d.attempt() - 1;
                RetryPolicy policy = r.target().retryPolicy();
                if (retriesMade >= policy.maximumRetryAttempts()) {
                    fail(p, outcome.errorCode(), outcome.message(), "MaximumRetryAttempts");
                } else if (ageExceeded(d, r, now)) {
                    fail(p, outcome.errorCode(), outcome.message(), "MaximumEventAgeInSeconds");
                } else {
                    metrics.count(BusMetrics.RETRY_INVOCATION_ATTEMPTS, bus, rule, target);
                    Pending next = new Pending(d.nextAttempt(), r, p.position, p.index);
                    waitingRetries.put(next, Boolean.TRUE);
                    if (store != null && p.position >= 0) {
                        store.retrying(p.position, p.index, next.delivery.attempt());
                    }
                    long shaped = r.hook() == null ? -1 : r.hook().retryDelayMillis(d.attempt(), random);
                    long wait = shaped >= 0 ? shaped : backoffMillis(d.attempt());
                    if (outcome.retryAfter() != null) {
                        wait = Math.max(wait, outcome.retryAfter().toMillis());
                    }
                    // Not past the event's maximum age: a retry due after it would only find the event too old
                    // then, so it comes at the age limit and dead-letters the event there.
                    long untilTooOld = (Duration.between(now, d.ingestionTime()
                            .plusSeconds(policy.maximumEventAgeInSeconds())).toNanos() + 999_999) / 1_000_000;
                    wait = Math.max(0, Math.min(wait, untilTooOld));
                    due.schedule(now.plusMillis(wait), () -> {
                        waitingRetries.remove(next);
                        lane(r).requeue(next);
                    });
                }
            }
            default -> throw new AssertionError(outcome.status());
        }
    }

    /** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], at least 1 ms. */
    long backoffMillis(int attempt) {
        long ceiling = BASE_BACKOFF_MILLIS << Math.min(attempt - 1, 20);
        ceiling = Math.min(ceiling, MAX_BACKOFF_MILLIS);
        return 1 + random.nextLong(ceiling);
    }

    private void fail(Pending p, String code, String message, String exhausted) {
        try {
            deadLetter(p, code, message, exhausted);
        } finally {
            if (p.route.hook() != null) {
                p.route.hook().finished(p.delivery, false);
            }
            stored(p);
        }
    }

    /** Records in the store that a stored delivery has ended. */
    private void stored(Pending p) {
        if (store != null && p.position >= 0) {
            store.finished(p.position, p.index);
        }
    }

    private void deadLetter(Pending p, String code, String message, String exhausted) {
        Delivery d = p.delivery;
        Route r = p.route;
        String bus = r.busName();
        String rule = r.ruleName();
        String target = r.target().id();
        metrics.count(BusMetrics.INVOCATIONS, bus, rule, target);
        DeadLetterConfig dlq = r.target().deadLetterConfig();
        if (dlq == null) {
            metrics.count(BusMetrics.FAILED_INVOCATIONS, bus, rule, target);
            LOG.log(System.Logger.Level.WARNING, "Delivery of event {0} to target {1} of rule {2} failed for good "
                    + "after {3} attempt(s): {4} {5} (no dead-letter queue)", d.eventId(), target, r.ruleArn(),
                    d.attempt(), code, message);
            return;
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put("RULE_ARN", r.ruleArn());
        attributes.put("TARGET_ARN", r.target().arn());
        attributes.put("ERROR_CODE", code == null ? "UNKNOWN" : code);
        attributes.put("ERROR_MESSAGE", message == null ? "" : message);
        if (exhausted != null) {
            attributes.put("EXHAUSTED_RETRY_CONDITION", exhausted);
        }
        attributes.put("RETRY_ATTEMPTS", String.valueOf(d.attempt() - 1));
        String payload = d.payload();
        if (r.hook() != null) {
            attributes = r.hook().deadLetterAttributes(d, code, message, exhausted);
            payload = r.hook().attempt(d).payload();
        }
        Delivery letter = new Delivery(payload, d.eventJson(), d.eventId(), d.busName(), d.ruleName(),
                d.ruleArn(), d.targetId(), dlq.arn(), 1, d.ingestionTime(), d.traceHeader(), attributes);
        CompletionStage<DeliveryOutcome> stage;
        try {
            stage = registry.resolve(new TargetSpec(dlq.arn(), Map.of())).deliver(letter);
        } catch (RuntimeException e) {
            stage = CompletableFuture.completedFuture(DeliveryOutcome.permanent("TARGET_ERROR", e.getMessage()));
        }
        stage.whenComplete((outcome, error) -> {
            if (error == null && outcome != null && outcome.status() == DeliveryOutcome.Status.DELIVERED) {
                metrics.count(BusMetrics.SENT_TO_DLQ, bus, rule, target);
            } else {
                metrics.count(BusMetrics.FAILED_TO_BE_SENT_TO_DLQ, bus, rule, target);
                LOG.log(System.Logger.Level.ERROR, "Event {0} for target {1} of rule {2} could not be sent to its "
                        + "dead-letter queue {3}: {4}", d.eventId(), target, r.ruleArn(), dlq.arn(),
                        error != null ? error.getMessage() : outcome == null ? "no outcome" : outcome.message());
            }
        });
    }
}
