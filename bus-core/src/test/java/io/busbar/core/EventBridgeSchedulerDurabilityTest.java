package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.scheduler.ActionAfterCompletion;
import io.busbar.core.scheduler.EventBridgeParameters;
import io.busbar.core.scheduler.FlexibleTimeWindow;
import io.busbar.core.scheduler.ScheduleDetails;
import io.busbar.core.scheduler.ScheduleGroup;
import io.busbar.core.scheduler.ScheduleRequest;
import io.busbar.core.scheduler.ScheduleState;
import io.busbar.core.scheduler.ScheduleTarget;
import io.busbar.core.store.AcceptedEvent;
import io.busbar.core.store.ControlStore;
import io.busbar.core.store.Durability;
import io.busbar.core.store.EventStore;
import io.busbar.core.store.PendingEvent;
import io.busbar.core.store.StoreException;
import io.busbar.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Scheduler on a data directory: groups, schedules and their last fire times come back in a new process (here:
 * a new instance on the same directory, the old one abandoned as a crash would leave it, or closed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventBridgeSchedulerDurabilityTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String ROLE = "arn:aws:iam::123456789012:role/scheduler-role";
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:f";
    private static final String TIME = "{\"time\":\"<aws.scheduler.scheduled-time>\"}";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    /** Nominal times received by function {@code f}, in every instance. */
    private final List<Instant> fired = new CopyOnWriteArrayList<>();
    private final List<Busbar> open = new ArrayList<>();

    /** An instance on {@code dir}; left open (a crash) unless the test closes it. */
    private Busbar start() {
        Busbar b = Busbar.builder().clock(clock).autoTick(false).serviceLoader(false).executor(Runnable::run)
                .dataDirectory(dir).durability(Durability.FSYNC)
                .function("f", d -> fired.add(Instant.parse(d.payload().replaceAll(".*\"time\":\"([^\"]+)\".*",
                        "$1"))))
                .build();
        open.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        open.forEach(b -> b.close(Duration.ZERO));
    }

    private static ScheduleRequest.Builder schedule(String name, String expression) {
        return ScheduleRequest.builder(name, expression, FlexibleTimeWindow.off(), ScheduleTarget.of(FN, ROLE, TIME));
    }

    private void tick(Busbar b, Duration step, int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(step);
            b.runDueTasks();
        }
    }

    private static Instant minutes(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    @Test
    void groupsAndSchedulesComeBackEqual() {
        ScheduleTarget full = new ScheduleTarget(FN, ROLE, "{\"job\":\"<aws.scheduler.schedule-arn>\"}",
                new RetryPolicy(3, 600), new DeadLetterConfig("arn:aws:sqs:us-east-1:123456789012:dlq"), null,
                Map.of("SqsParameters", "{\"MessageGroupId\":\"g\"}"));
        ScheduleTarget toBus = new ScheduleTarget("arn:aws:events:us-east-1:123456789012:event-bus/default", ROLE,
                "{\"n\":1}", null, null, new EventBridgeParameters("Report Due", "com.example.reports"), null);
        ScheduleGroup reports;
        List<ScheduleDetails> made = new ArrayList<>();
        Busbar a = start();
        EventBridgeScheduler s = a.scheduler();
        reports = s.createScheduleGroup("reports", Map.of("env", "prod", "team", "ops"));
        made.add(s.createSchedule(ScheduleRequest.builder("every5", "rate(5 minutes)", FlexibleTimeWindow.flexible(15),
                full).startDate(minutes(30)).endDate(minutes(600)).description("five").kmsKeyArn(
                "arn:aws:kms:us-east-1:123456789012:key/abc-123").build()));
        clock.advance(Duration.ofSeconds(7));
        made.add(s.createSchedule(ScheduleRequest.builder("nightly", "cron(0 2 * * ? *)", FlexibleTimeWindow.off(),
                toBus).groupName("reports").timezone("America/New_York").state(ScheduleState.DISABLED).build()));
        made.add(s.createSchedule(schedule("later", "at(2027-01-01T09:00:00)").timezone("Asia/Kolkata")
                .actionAfterCompletion(ActionAfterCompletion.DELETE).build()));
        clock.advance(Duration.ofSeconds(5));
        made.set(0, s.updateSchedule(ScheduleRequest.builder("every5", "rate(10 minutes)",
                FlexibleTimeWindow.flexible(15), full).startDate(minutes(30)).endDate(minutes(600))
                .description("ten now").build()));

        Busbar b = start();
        EventBridgeScheduler r = b.scheduler();
        assertEquals(List.of("default", "reports"), r.listScheduleGroups(null, null, null).items().stream()
                .map(ScheduleGroup::name).toList());
        assertEquals(reports, r.getScheduleGroup("reports"));
        for (ScheduleDetails d : made) {
            assertEquals(d, r.getSchedule(d.groupName(), d.name()));
        }
        assertEquals(T0, made.get(0).creationDate(), "the update kept the creation date");
        assertEquals(a.scheduler().listSchedules(null, null, null, null, null),
                r.listSchedules(null, null, null, null, null));
        assertEquals(3, r.size());
        assertTrue(fired.isEmpty(), fired.toString());
    }

    @Test
    void aRateScheduleFiresTheTimesItMissedWhileDown() {
        Busbar a = start();
        a.scheduler().createSchedule(schedule("tick", "rate(1 minute)").build());
        a.runDueTasks();
        tick(a, Duration.ofMinutes(1), 3);
        assertEquals(List.of(T0, minutes(1), minutes(2), minutes(3)), fired);
        tick(a, EventBridgeScheduler.FIRE_TIME_BATCH, 1); // the batch with 10:03 is written
        // down for five minutes
        clock.advance(Duration.ofMinutes(5));
        fired.clear();
        Busbar b = start();
        b.runDueTasks();
        assertEquals(List.of(minutes(4), minutes(5), minutes(6), minutes(7), minutes(8)), fired);
        fired.clear();
        tick(b, Duration.ofMinutes(1), 1);
        assertEquals(List.of(minutes(9)), fired, "and goes on in its phase");
    }

    @Test
    void aCrashBeforeTheBatchIsWrittenFiresItsTimesAgain() {
        Busbar a = start();
        a.scheduler().createSchedule(schedule("tick", "rate(1 minute)").build());
        a.runDueTasks();
        tick(a, Duration.ofMinutes(1), 2); // 10:00 written at 10:01; 10:01 written at 10:02; 10:02 not yet
        fired.clear();
        Busbar b = start();
        b.runDueTasks();
        assertEquals(List.of(minutes(2)), fired, "at least once: the unwritten second fires again");
    }

    @Test
    void aNeverFiredScheduleCatchesUpFromItsCreation() {
        Busbar a = start();
        clock.advance(Duration.ofMinutes(1));
        a.scheduler().createSchedule(schedule("hourly", "cron(0 * * * ? *)").build());
        clock.advance(Duration.ofMinutes(150)); // down before the first fire: 11:00 and 12:00 were missed
        Busbar b = start();
        b.runDueTasks();
        assertEquals(List.of(minutes(60), minutes(120)), fired);
    }

    @Test
    void aFiredAtScheduleDoesNotFireAgain() {
        Busbar a = start();
        EventBridgeScheduler s = a.scheduler();
        String down = a.registerFunction("down", d -> {
            throw new IllegalStateException("down");
        });
        s.createSchedule(schedule("once", "at(2026-11-26T10:10:00)").build());
        s.createSchedule(schedule("missed", "at(2026-11-26T10:30:00)").build());
        s.createSchedule(ScheduleRequest.builder("failing", "at(2026-11-26T10:05:00)", FlexibleTimeWindow.off(),
                ScheduleTarget.of(down, ROLE, TIME)).actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        tick(a, Duration.ofMinutes(5), 2); // "failing" is retrying (no function "down") when the process dies
        assertEquals(List.of(minutes(10)), fired);
        assertEquals(3, s.size());
        clock.advance(Duration.ofMinutes(30)); // down: "missed" was due meanwhile
        fired.clear();
        Busbar b = start();
        EventBridgeScheduler r = b.scheduler();
        assertEquals(List.of("missed", "once"), r.listSchedules(null, null, null, null, null).items().stream()
                .map(ScheduleDetails::name).toList(), "a completed DELETE schedule is deleted at start");
        b.runDueTasks();
        tick(b, Duration.ofHours(1), 24);
        assertEquals(List.of(minutes(30)), fired, "the missed one fires once, the fired one never again");
        fired.clear();
        Busbar c = start();
        tick(c, Duration.ofHours(1), 2);
        assertEquals(List.of(), fired);
        assertEquals(2, c.scheduler().size(), "ActionAfterCompletion NONE keeps them");
    }

    @Test
    void deletedSchedulesAndGroupsStayDeletedAndUpdatesPlanFromTheirTime() {
        Busbar a = start();
        EventBridgeScheduler s = a.scheduler();
        s.createScheduleGroup("gone", null);
        s.createSchedule(schedule("g1", "rate(1 minute)").groupName("gone").build());
        s.createSchedule(schedule("g2", "rate(1 minute)").groupName("gone").build());
        s.createSchedule(schedule("d", "rate(1 minute)").build());
        s.createSchedule(schedule("recreated", "rate(1 minute)").build());
        s.createSchedule(schedule("updated", "rate(1 minute)").build());
        s.createSchedule(ScheduleRequest.builder("done", "at(2026-11-26T10:01:00)", FlexibleTimeWindow.off(),
                ScheduleTarget.of(FN, ROLE, TIME)).actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        a.runDueTasks();
        tick(a, Duration.ofMinutes(1), 2);
        tick(a, EventBridgeScheduler.FIRE_TIME_BATCH, 1);
        s.deleteScheduleGroup("gone");
        s.deleteSchedule(null, "d");
        s.deleteSchedule("default", "recreated");
        s.createSchedule(schedule("recreated", "cron(0 12 * * ? *)").build());
        s.updateSchedule(schedule("updated", "rate(7 minutes)").build());
        assertEquals(List.of("recreated", "updated"), s.listSchedules(null, null, null, null, null).items()
                .stream().map(ScheduleDetails::name).toList(), "done fired and was deleted");
        assertEquals(Map.of(), a.controlStore.entries("schedule-fire/"),
                "deleted, recreated and updated schedules have no fire time yet");
        a.close(Duration.ZERO);
        clock.advance(Duration.ofMinutes(30));
        fired.clear();
        Busbar b = start();
        EventBridgeScheduler r = b.scheduler();
        assertEquals(List.of("default"), r.listScheduleGroups(null, null, null).items().stream()
                .map(ScheduleGroup::name).toList());
        assertEquals("ResourceNotFoundException", assertThrows(BusbarException.class,
                () -> r.getSchedule("gone", "g1")).errorCode());
        assertEquals(List.of("recreated", "updated"), r.listSchedules(null, null, null, null, null).items()
                .stream().map(ScheduleDetails::name).toList());
        b.runDueTasks();
        // "updated" counts its 7 minutes from its update at 10:02:01; "recreated" is not due before noon
        Instant updated = minutes(2).plusSeconds(1);
        assertEquals(List.of(updated, updated.plus(Duration.ofMinutes(7)), updated.plus(Duration.ofMinutes(14)),
                updated.plus(Duration.ofMinutes(21)), updated.plus(Duration.ofMinutes(28))), fired);
        r.createScheduleGroup("gone", null); // the name is free again
    }

    @Test
    void aStoreThatCannotKeepAChangeRefusesIt() {
        FailingStore failing = new FailingStore(EventStore.open(dir, Durability.FSYNC, Duration.ofMillis(10),
                Long.MAX_VALUE));
        Busbar a = Busbar.builder().clock(clock).autoTick(false).serviceLoader(false).executor(Runnable::run)
                .eventStore(failing).build();
        open.add(a);
        EventBridgeScheduler s = a.scheduler();
        s.createScheduleGroup("kept", null);
        s.createSchedule(schedule("kept", "rate(1 hour)").build());
        failing.control.failing = true;
        for (Runnable change : List.<Runnable>of(
                () -> s.createScheduleGroup("new", null),
                () -> s.deleteScheduleGroup("kept"),
                () -> s.createSchedule(schedule("new", "rate(1 hour)").build()),
                () -> s.updateSchedule(schedule("kept", "rate(2 hours)").build()),
                () -> s.deleteSchedule(null, "kept"))) {
            BusbarException e = assertThrows(BusbarException.class, change::run);
            assertEquals("InternalException", e.errorCode());
            assertEquals("disk full", e.getMessage());
        }
        assertEquals(List.of("default", "kept"), s.listScheduleGroups(null, null, null).items().stream()
                .map(ScheduleGroup::name).toList());
        assertEquals("rate(1 hour)", s.getSchedule(null, "kept").definition().scheduleExpression());
        assertEquals(1, s.size());
    }

    @Test
    void withoutADataDirectoryNoFireTimeIsWritten() {
        Busbar m = Busbar.builder().clock(clock).autoTick(false).serviceLoader(false).executor(Runnable::run)
                .function("f", d -> fired.add(clock.instant())).build();
        open.add(m);
        m.scheduler().createSchedule(schedule("tick", "rate(1 minute)").build());
        m.runDueTasks();
        tick(m, Duration.ofSeconds(30), 6);
        assertEquals(4, fired.size());
        assertEquals(List.of("schedule/default/tick"), List.copyOf(m.controlStore.entries("schedule").keySet()));
    }

    /** The real store with a control plane that can be told to fail, as a full disk would. */
    private static final class FailingStore implements EventStore {
        private final EventStore real;
        private final FailingControl control;

        FailingStore(EventStore real) {
            this.real = real;
            this.control = new FailingControl(real.control());
        }

        @Override
        public CompletableFuture<long[]> append(List<AcceptedEvent> events) {
            return real.append(events);
        }

        @Override
        public void finished(long position, int route) {
            real.finished(position, route);
        }

        @Override
        public void retrying(long position, int route, int nextAttempt) {
            real.retrying(position, route, nextAttempt);
        }

        @Override
        public void recover(Consumer<PendingEvent> pending) {
            real.recover(pending);
        }

        @Override
        public ControlStore control() {
            return control;
        }

        @Override
        public long sizeBytes() {
            return real.sizeBytes();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    private static final class FailingControl implements ControlStore {
        private final ControlStore real;
        volatile boolean failing;

        FailingControl(ControlStore real) {
            this.real = real;
        }

        @Override
        public void put(String key, String value) {
            check();
            real.put(key, value);
        }

        @Override
        public void putAll(Map<String, String> values) {
            check();
            real.putAll(values);
        }

        @Override
        public void delete(String key) {
            check();
            real.delete(key);
        }

        @Override
        public SortedMap<String, String> entries(String prefix) {
            return real.entries(prefix);
        }

        private void check() {
            if (failing) {
                throw new StoreException("disk full");
            }
        }
    }
}
