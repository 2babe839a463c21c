package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BusbarConcurrencyTest {

    /**
     * A fast lane whose runner is at work gets no new runner for a call; one whose runner has stopped moving gets
     * one more, which keeps the lane going when the handler at work hangs: later events are delivered meanwhile,
     * and all of them once it returns.
     */
    @Test
    @Timeout(60)
    void aFastLaneKeepsDeliveringWhileOneHandlerHangs() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        try (Busbar b = Busbar.builder().deliveryThreads(4).build()) {
            String fn = b.registerFunction("mostly-fast", d -> {
                if (d.payload().contains("\"hang\"")) {
                    entered.countDown();
                    release.await();
                }
                delivered.add(d.eventId());
            });
            b.putRule(PutRuleRequest.pattern("all", "{\"source\":[\"load\"]}"));
            b.putTargets(null, "all", List.of(Target.of("f", fn)));

            String first = put(b, "{\"n\":0}");
            awaitDelivered(delivered, Set.of(first)); // the lane has seen a fast attempt
            String hanging = put(b, "{\"hang\":true}");
            assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS), "the hanging handler was called");
            Set<String> later = new java.util.HashSet<>();
            for (int i = 1; i <= 20; i++) {
                later.add(put(b, "{\"n\":" + i + "}"));
            }
            awaitDelivered(delivered, later);
            assertTrue(!delivered.contains(hanging), "still hanging");
            release.countDown();
            awaitDelivered(delivered, Set.of(hanging));
        } finally {
            release.countDown();
        }
    }

    /**
     * The one case the caller cannot see: an event queued while the lane's runner was moving, after which that
     * runner's handler hangs and no later event comes. The handler queues the event itself, just after its attempt
     * started, then hangs; the due-task thread's sweep gives the lane another runner.
     */
    @Test
    @Timeout(60)
    void anEventQueuedJustBeforeItsRunnerHangsIsStillDelivered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<String> queuedFromHandler = new CopyOnWriteArrayList<>();
        try (Busbar b = Busbar.builder().deliveryThreads(4).build()) {
            String fn = b.registerFunction("hangs-after-queueing", d -> {
                if (d.payload().contains("\"hang\"")) {
                    queuedFromHandler.add(put(b, "{\"n\":\"behind\"}"));
                    release.await();
                }
                delivered.add(d.eventId());
            });
            b.putRule(PutRuleRequest.pattern("all", "{\"source\":[\"load\"]}"));
            b.putTargets(null, "all", List.of(Target.of("f", fn)));
            for (int i = 0; i < 200; i++) { // the lane is fast, and the put path compiled
                awaitDelivered(delivered, Set.of(put(b, "{\"n\":" + i + "}")));
            }
            String hanging = put(b, "{\"hang\":true}");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (queuedFromHandler.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, queuedFromHandler.size(), "the handler queued its event");
            awaitDelivered(delivered, Set.copyOf(queuedFromHandler));
            assertTrue(!delivered.contains(hanging), "still hanging");
            release.countDown();
            awaitDelivered(delivered, Set.of(hanging));
        } finally {
            release.countDown();
        }
    }

    /**
     * A fast lane's runner that lingers takes the next call's delivery on its own thread. With calls a few ms apart
     * and a 10 ms linger, a runner catches the next call, then gives its thread back (its turn is 1 ms), so the
     * executor runs about half as many tasks as there are calls; with the linger off, every call needs a task of its
     * own. All events are delivered either way.
     */
    @Test
    @Timeout(60)
    void aLingeringRunnerTakesTheNextCallWithoutANewTask() throws Exception {
        int calls = 100;
        assertTrue(tasksFor(calls, Duration.ZERO) >= calls, "one task per call without a linger");
        int lingering = tasksFor(calls, Duration.ofMillis(10));
        assertTrue(lingering <= calls * 3 / 4, "tasks with a 10 ms linger: " + lingering + " for " + calls + " calls");
    }

    /**
     * A fast lane's runner that polls (dozes between looks at its queue) takes call after call on its own thread,
     * with no new task and no wake-up from the callers: with calls about 1 ms apart and a 2 ms poll interval, the
     * executor runs a few tasks for a hundred calls. An executor that cannot tell whether tasks wait for a thread
     * turns polling off, so there every call needs a task of its own again. All events are delivered either way.
     */
    @Test
    @Timeout(60)
    void aPollingRunnerTakesCallAfterCallWithoutANewTask() throws Exception {
        int calls = 100;
        int polling = tasksFor(calls, Duration.ZERO, Duration.ofMillis(2), true);
        assertTrue(polling <= calls / 10, "tasks with a 2 ms poll interval: " + polling + " for " + calls + " calls");
        assertTrue(tasksFor(calls, Duration.ZERO, Duration.ofMillis(2), false) >= calls,
                "one task per call where the executor is not a thread pool");
    }

    /**
     * A polling runner keeps its thread only while no other task waits for one: on a bus with one delivery thread,
     * a lane whose calls never stop does not starve another lane, whose event is delivered while the first lane's
     * calls still come.
     */
    @Test
    @Timeout(60)
    void aPollingRunnerMakesWayForAnotherLane() throws Exception {
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        try (Busbar b = Busbar.builder().deliveryThreads(1).deliveryLinger(Duration.ZERO)
                .deliveryPollInterval(Duration.ofMillis(5)).build()) {
            String busy = b.registerFunction("busy", d -> { });
            String other = b.registerFunction("other", d -> delivered.add(d.eventId()));
            b.putRule(PutRuleRequest.pattern("busy", "{\"source\":[\"load\"]}"));
            b.putTargets(null, "busy", List.of(Target.of("f", busy)));
            b.putRule(PutRuleRequest.pattern("other", "{\"source\":[\"other\"]}"));
            b.putTargets(null, "other", List.of(Target.of("f", other)));
            Thread caller = new Thread(() -> {
                while (!stop.get()) {
                    put(b, "{}");
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                }
            });
            caller.start();
            try {
                Thread.sleep(200); // the busy lane's runner is polling by now
                PutEventsResult r = b.putEvents(List.of(PutEventsEntry.of("other", "Tick", "{}")));
                String id = r.entries().get(0).eventId();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!delivered.contains(id) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(caller.isAlive(), "the busy lane's calls were still coming");
                assertTrue(delivered.contains(id), "the other lane's event waited for the busy lane to go quiet");
            } finally {
                stop.set(true);
                caller.join();
            }
        }
    }

    /**
     * Executor tasks run for the last {@code calls} of {@code 2 * calls} single-event calls, each made 1 ms after
     * the previous one was seen delivered; on four threads of a {@link java.util.concurrent.ThreadPoolExecutor}
     * when {@code pool}, else on an executor that hands them to one.
     */
    private static int tasksFor(int calls, Duration linger) throws Exception {
        return tasksFor(calls, linger, Duration.ZERO, false);
    }

    /** Calls made back to back before the measured ones (about a second on a 2-core host). */
    private static final int WARM_UP_CALLS = 20_000;

    private static int tasksFor(int calls, Duration linger, Duration poll, boolean pool) throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor threads = new java.util.concurrent.ThreadPoolExecutor(4, 4, 0,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable r) {
                tasks.incrementAndGet();
                super.execute(r);
            }
        };
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        java.util.concurrent.Executor executor = pool ? threads : threads::execute;
        try (Busbar b = Busbar.builder().executor(executor).deliveryLinger(linger).deliveryPollInterval(poll)
                .build()) {
            String fn = b.registerFunction("fast", d -> delivered.add(d.eventId()));
            b.putRule(PutRuleRequest.pattern("all", "{\"source\":[\"load\"]}"));
            b.putTargets(null, "all", List.of(Target.of("f", fn)));
            // First, the delivery path compiled, as in a bus that has run a while: interpreted, an attempt can take
            // over the 50 us that marks a lane fast, and a lane that is not fast has no runner waiting for calls.
            Set<String> warm = new java.util.HashSet<>();
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                warm.add(put(b, "{\"warm\":" + i + "}"));
            }
            awaitDelivered(delivered, warm);
            // Then calls enough for the lane to be fast and its mean gap between calls to settle, as in a busy bus.
            for (int i = 0; i < 2 * calls; i++) {
                if (i == calls) {
                    tasks.set(0);
                }
                awaitDelivered(delivered, Set.of(put(b, "{\"n\":" + i + "}")));
                Thread.sleep(1);
            }
            return tasks.get();
        } finally {
            threads.shutdownNow();
        }
    }

    private static String put(Busbar b, String detail) {
        PutEventsResult r = b.putEvents(List.of(PutEventsEntry.of("load", "Tick", detail)));
        assertEquals(0, r.failedEntryCount());
        return r.entries().get(0).eventId();
    }

    private static void awaitDelivered(Set<String> delivered, Set<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!delivered.containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(delivered.containsAll(expected), () -> "not delivered: " + expected.stream()
                .filter(id -> !delivered.contains(id)).toList());
    }

    @Test
    @Timeout(60)
    void manyThreadsPutEventsWhileRulesChange() throws Exception {
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (Busbar b = Busbar.builder().deliveryThreads(4).targetQueueCapacity(100_000).build()) {
            String fn = b.registerFunction("count", d -> {
                if (!delivered.add(d.eventId())) {
                    duplicates.add(d.eventId());
                }
            });
            String noise = b.registerFunction("noise", d -> { });
            b.putRule(PutRuleRequest.pattern("always", "{\"source\":[\"load\"]}"));
            b.putTargets(null, "always", List.of(Target.of("count", fn)));

            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                int i = 0;
                try {
                    while (!stop.get()) {
                        String name = "churn-" + (i % 20);
                        b.putRule(PutRuleRequest.pattern(name, "{\"detail\":{\"n\":[{\"numeric\":[\">\"," + i + "]}]}}"));
                        b.putTargets(null, name, List.of(Target.of("noise", noise)));
                        if (i % 3 == 0) {
                            b.removeTargets(null, name, List.of("noise"));
                            b.deleteRule(null, name);
                        }
                        i++;
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            });
            writer.start();
            int producers = 4;
            int perProducer = 2_000;
            List<String> accepted = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(producers);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                Thread producer = new Thread(() -> {
                    try {
                        for (int i = 0; i < perProducer; i += 10) {
                            List<PutEventsEntry> batch = new ArrayList<>();
                            for (int k = 0; k < 10; k++) {
                                batch.add(PutEventsEntry.of("load", "Tick", "{\"n\":" + (i + k) + ",\"p\":" + id + "}"));
                            }
                            for (PutEventsResult.Entry e : b.putEvents(batch).entries()) {
                                assertTrue(!e.failed(), () -> e.errorCode() + " " + e.errorMessage());
                                accepted.add(e.eventId());
                            }
                        }
                    } catch (Throwable failure) {
                        errors.add(failure);
                    } finally {
                        done.countDown();
                    }
                });
                threads.add(producer);
                producer.start();
            }
            done.await();
            stop.set(true);
            writer.join();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (b.outstandingDeliveries() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of(), errors);
            assertEquals(producers * perProducer, accepted.size());
            assertEquals(Set.copyOf(accepted), delivered);
            assertEquals(List.of(), duplicates);
        }
    }

    /**
     * Handlers that block hold their lane's slots: the lane runs exactly its concurrency of them at once, not fewer
     * (a runner that keeps its slot must not serialise the lane) and not more; once they are released, every event
     * is delivered once, those queued behind included.
     */
    @Test
    @Timeout(60)
    void aLaneRunsAsManyBlockingHandlersAsItsConcurrencyAndThenDrains() throws Exception {
        int concurrency = 4;
        int events = 300;
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        try (Busbar b = Busbar.builder().deliveryThreads(8).targetConcurrency(concurrency)
                .targetQueueCapacity(10_000).build()) {
            String fn = b.registerFunction("slow", d -> {
                int now = running.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                if (!delivered.add(d.eventId())) {
                    duplicates.add(d.eventId());
                }
            });
            b.putRule(PutRuleRequest.pattern("all", "{\"source\":[\"load\"]}"));
            b.putTargets(null, "all", List.of(Target.of("slow", fn)));
            Set<String> accepted = new java.util.HashSet<>();
            for (int i = 0; i < events; i++) {
                PutEventsResult r = b.putEvents(List.of(PutEventsEntry.of("load", "Tick", "{\"n\":" + i + "}")));
                assertEquals(0, r.failedEntryCount());
                accepted.add(r.entries().get(0).eventId());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (running.get() < concurrency && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100); // room for a fifth to start, were the bound not kept
            assertEquals(concurrency, running.get());
            release.countDown();
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (delivered.size() < events && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(accepted, delivered);
            assertEquals(List.of(), duplicates);
            assertEquals(concurrency, most.get());
        }
    }
}
