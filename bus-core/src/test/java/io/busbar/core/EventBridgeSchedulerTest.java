package io.busbar.core;

import io.busbar.testing.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.scheduler.ActionAfterCompletion;
import io.busbar.core.scheduler.EventBridgeParameters;
import io.busbar.core.scheduler.FlexibleTimeWindow;
import io.busbar.core.scheduler.ScheduleDetails;
import io.busbar.core.scheduler.ScheduleRequest;
import io.busbar.core.scheduler.ScheduleState;
import io.busbar.core.scheduler.ScheduleTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded Scheduler on a manual clock: when schedules fire, what targets receive, and the API's refusals. */
@Timeout(30)
class EventBridgeSchedulerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE = "arn:aws:iam::123456789012:role/scheduler-role";
    private static final String CONTEXT = "{\"arn\":\"<aws.scheduler.schedule-arn>\",\"time\":\"<aws.scheduler."
            + "scheduled-time>\",\"id\":\"<aws.scheduler.execution-id>\",\"attempt\":\"<aws.scheduler.attempt-number>\"}";

    private ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:30Z"));
    private final List<Busbar> open = new ArrayList<>();

    /** Always the middle of the range asked for: a flexible window of 10 minutes gives 5 minutes. */
    private static final class Middle implements RandomGenerator {
        @Override
        public long nextLong() {
            return 42;
        }

        @Override
        public long nextLong(long bound) {
            return bound / 2;
        }
    }

    private Busbar bus() {
        Busbar b = Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false)
                .random(new Middle()).build();
        open.add(b);
        return b;
    }

    @AfterEach
    void close() {
        open.forEach(b -> b.close(Duration.ZERO));
    }

    private static ScheduleRequest.Builder schedule(String name, String expression, String targetArn, String input) {
        return ScheduleRequest.builder(name, expression, FlexibleTimeWindow.off(),
                ScheduleTarget.of(targetArn, ROLE, input));
    }

    private void tick(Busbar b, Duration step, int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(step);
            b.runDueTasks();
        }
    }

    /** SCHEDULER 2.7: an at() that passed while its schedule was disabled is not replayed when it is enabled. */
    @Test
    void anAtMissedWhileDisabledIsNotReplayed() {
        Busbar b = bus();
        List<String> got = new ArrayList<>();
        String fn = b.registerFunction("f", d -> got.add(d.payload()));
        ScheduleRequest.Builder once = schedule("once", "at(2026-01-01T00:10:00)", fn, "{}");
        b.scheduler().createSchedule(once.state(ScheduleState.DISABLED).build());
        tick(b, Duration.ofMinutes(10), 2);
        b.scheduler().updateSchedule(once.state(ScheduleState.ENABLED).build());
        tick(b, Duration.ofMinutes(1), 3);
        assertEquals(List.of(), got);
        // moved to a time still ahead, it fires
        b.scheduler().updateSchedule(schedule("once", "at(2026-01-01T00:30:00)", fn, "{}").build());
        tick(b, Duration.ofMinutes(10), 1);
        assertEquals(1, got.size());
    }

    /** SCHEDULER 3.4: before retry n, min(2^(n-1), 300) seconds plus up to 20% jitter (the test's random: 10%). */
    @Test
    void retriesWaitTheExponentialStepPlusJitter() {
        Busbar b = bus();
        List<Instant> attempts = new ArrayList<>();
        String fn = b.registerFunction("down", d -> {
            attempts.add(clock.instant());
            throw new IllegalStateException("down");
        });
        b.scheduler().createSchedule(ScheduleRequest.builder("retrying", "at(2026-01-01T00:10:00)",
                FlexibleTimeWindow.off(), new ScheduleTarget(fn, ROLE, null, new RetryPolicy(3, 3600), null, null,
                        null)).build());
        tick(b, Duration.ofMinutes(10), 1);
        tick(b, Duration.ofMillis(50), 400);
        assertEquals(4, attempts.size(), attempts::toString);
        long[] expected = {1_100, 2_200, 4_400};
        for (int n = 1; n <= 3; n++) {
            long gap = Duration.between(attempts.get(n - 1), attempts.get(n)).toMillis();
            assertTrue(gap >= expected[n - 1] && gap < expected[n - 1] + 50, "retry " + n + " after " + gap + " ms");
        }
    }

    private static List<JsonNode> bodies(InMemoryQueue q) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (QueueMessage m : q.receive(10_000)) {
            out.add(JSON.readTree(m.body()));
        }
        return out;
    }

    private static List<String> times(List<JsonNode> bodies) {
        return bodies.stream().map(n -> n.get("time").asText()).toList();
    }

    @Test
    void rateFiresAtCreationAndEveryPeriodWithTheContextAttributesAndNoEnvelope() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        ScheduleDetails d = b.scheduler().createSchedule(schedule("every5", "rate(5 minutes)", q.arn(), CONTEXT)
                .build());
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule/default/every5", d.arn());
        b.runDueTasks();
        tick(b, Duration.ofMinutes(1), 11);
        List<JsonNode> got = bodies(q);
        assertEquals(List.of("2026-01-01T00:00:30Z", "2026-01-01T00:05:30Z", "2026-01-01T00:10:30Z"), times(got));
        JsonNode first = got.get(0);
        assertEquals(4, first.size(), "the input as given, no envelope");
        assertEquals(d.arn(), first.get("arn").asText());
        assertEquals("1", first.get("attempt").asText());
        assertTrue(first.get("id").asText().matches("[0-9a-z]{16}"), first.toString());
        assertNotEquals(first.get("id").asText(), got.get(1).get("id").asText());
    }

    @Test
    void noInputDeliversAnEmptyObject() {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        b.scheduler().createSchedule(schedule("plain", "rate(1 hour)", q.arn(), null).build());
        b.runDueTasks();
        assertEquals("{}", q.receive(10).get(0).body());
    }

    @Test
    void cronInANewYorkZoneSkipsTheSpringGapAndFiresOnceInTheFallOverlap() throws Exception {
        clock = new ManualClock(Instant.parse("2026-03-07T00:00:00Z"));
        Busbar b = bus();
        InMemoryQueue spring = b.queue("spring");
        b.scheduler().createSchedule(schedule("s", "cron(30 2 * * ? *)", spring.arn(), CONTEXT)
                .timezone("America/New_York").build());
        tick(b, Duration.ofMinutes(30), 8 * 24);
        // 2:30 EST on the 7th, none on the 8th (2:00 -> 3:00), 2:30 EDT afterwards
        assertEquals(List.of("2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"),
                times(bodies(spring)));

        clock = new ManualClock(Instant.parse("2026-10-31T00:00:00Z"));
        Busbar fall = bus();
        InMemoryQueue q = fall.queue("fall");
        fall.scheduler().createSchedule(schedule("f", "cron(30 1 * * ? *)", q.arn(), CONTEXT)
                .timezone("America/New_York").build());
        tick(fall, Duration.ofMinutes(30), 3 * 48);
        // 1:30 EDT on the 31st, 1:30 on Nov 1st once (the first, EDT), 1:30 EST on the 2nd
        assertEquals(List.of("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
                times(bodies(q)));
    }

    @Test
    void startAndEndDatesBoundARateAndDeleteRemovesItAfterItsLastFire() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        Instant start = Instant.parse("2026-01-01T01:00:00Z");
        b.scheduler().createSchedule(schedule("bounded", "rate(1 hour)", q.arn(), CONTEXT)
                .startDate(start).endDate(Instant.parse("2026-01-01T03:00:00Z"))
                .actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        b.scheduler().createSchedule(schedule("kept", "rate(1 hour)", q.arn(), "kept")
                .startDate(start).endDate(Instant.parse("2026-01-01T01:30:00Z")).build());
        tick(b, Duration.ofMinutes(10), 6 * 6);
        List<String> times = new ArrayList<>();
        int kept = 0;
        for (QueueMessage m : q.receive(100)) {
            if (m.body().equals("kept")) {
                kept++;
            } else {
                times.add(JSON.readTree(m.body()).get("time").asText());
            }
        }
        assertEquals(List.of("2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"), times,
                "both bounds inclusive");
        assertEquals(1, kept);
        BusbarException gone = assertThrows(BusbarException.class, () -> b.scheduler().getSchedule(null, "bounded"));
        assertEquals("ResourceNotFoundException", gone.errorCode());
        assertEquals("Schedule bounded does not exist.", gone.getMessage());
        assertEquals("kept", b.scheduler().getSchedule("default", "kept").name(), "NONE keeps a completed schedule");
    }

    @Test
    void aPastAtFiresOnceAtTheNextTickAndAFutureOneInItsZone() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("reminders");
        b.scheduler().createSchedule(schedule("past", "at(2025-12-31T23:00:00)", q.arn(), "late <aws.scheduler."
                + "scheduled-time>").actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        b.scheduler().createSchedule(schedule("remind-42", "at(2026-01-01T10:21:00)", q.arn(),
                "reminder 42 due <aws.scheduler.scheduled-time>").timezone("Asia/Kolkata")
                .actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        b.runDueTasks();
        assertEquals(List.of("late 2025-12-31T23:00:00Z"), q.receive(10).stream().map(QueueMessage::body).toList());
        assertEquals(1, b.scheduler().size(), "the past one fired and was deleted");
        tick(b, Duration.ofMinutes(1), 24 * 60);
        assertEquals(List.of("reminder 42 due 2026-01-01T04:51:00Z"),
                q.receive(10).stream().map(QueueMessage::body).toList());
        assertEquals(0, b.scheduler().size());
    }

    @Test
    void aDisabledScheduleNeverFiresAndEnablingDoesNotReplay() {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        b.scheduler().createSchedule(schedule("m", "cron(0 * * * ? *)", q.arn(), "x")
                .state(ScheduleState.DISABLED).build());
        tick(b, Duration.ofMinutes(30), 10);
        assertEquals(0, q.size());
        b.scheduler().updateSchedule(schedule("m", "cron(0 * * * ? *)", q.arn(), "x").build());
        b.runDueTasks();
        assertEquals(0, q.size(), "missed hours are not replayed");
        tick(b, Duration.ofMinutes(30), 2);
        assertEquals(1, q.size());
    }

    @Test
    void aFlexibleWindowDelaysByTheRandomOffsetButKeepsTheNominalTime() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        b.scheduler().createSchedule(ScheduleRequest.builder("flex", "cron(0 1 * * ? *)",
                FlexibleTimeWindow.flexible(10), ScheduleTarget.of(q.arn(), ROLE, CONTEXT)).build());
        tick(b, Duration.ofMinutes(1), 64);
        assertEquals(0, q.size(), "01:04 is before 01:00 + 5 minutes");
        tick(b, Duration.ofMinutes(1), 1);
        List<QueueMessage> got = q.receive(10);
        assertEquals(1, got.size());
        assertEquals(Instant.parse("2026-01-01T01:05:30Z"), got.get(0).sentAt());
        assertEquals("2026-01-01T01:00:00Z", JSON.readTree(got.get(0).body()).get("time").asText());
    }

    @Test
    void retriesCountAttemptsAndTheDeadLetterQueueGetsTheSchedulersAttributes() throws Exception {
        Busbar b = bus();
        InMemoryQueue dlq = b.queue("dlq");
        List<String> payloads = new ArrayList<>();
        String fn = b.registerFunction("down", d -> {
            payloads.add(d.payload());
            throw new java.io.IOException("connection refused");
        });
        b.scheduler().createSchedule(ScheduleRequest.builder("once", "at(2026-01-01T00:10:00)",
                FlexibleTimeWindow.off(), new ScheduleTarget(fn, ROLE, CONTEXT, new RetryPolicy(2, 3600),
                        new DeadLetterConfig(dlq.arn()), null, null))
                .actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        tick(b, Duration.ofMinutes(10), 6);
        assertEquals(3, payloads.size());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode p = JSON.readTree(payloads.get(i));
            assertEquals(String.valueOf(i + 1), p.get("attempt").asText());
            assertEquals("2026-01-01T00:10:00Z", p.get("time").asText());
            ids.add(p.get("id").asText());
        }
        assertEquals(3, ids.stream().distinct().count(), "one execution id per attempt");
        List<QueueMessage> letters = dlq.receive(10);
        assertEquals(1, letters.size());
        QueueMessage m = letters.get(0);
        assertEquals("3", JSON.readTree(m.body()).get("attempt").asText(), "the failed attempt's input");
        Map<String, String> a = m.attributes();
        assertEquals("MaximumRetryAttempts", a.get("EXHAUSTED_RETRY_CONDITION"));
        assertEquals("2", a.get("RETRY_ATTEMPTS"));
        assertEquals(ids.get(2), a.get("EXECUTION_ID"));
        assertEquals("2026-01-01T00:10:00Z", a.get("SCHEDULED_TIME"));
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule/default/once", a.get("SCHEDULE_ARN"));
        assertEquals(fn, a.get("TARGET_ARN"));
        assertEquals("false", a.get("IS_PAYLOAD_TRUNCATED"));
        assertTrue(a.get("ERROR_MESSAGE").contains("connection refused"));
        assertFalse(a.containsKey("RULE_ARN"));
        assertEquals(0, b.scheduler().size(), "deleted after the last attempt failed for good");
    }

    @Test
    void anEventBusTargetGetsOneEventWhoseDetailIsTheInput() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("events");
        b.putRule(PutRuleRequest.pattern("reports", "{\"source\":[\"com.example.reports\"]}"));
        b.putTargets(null, "reports", List.of(Target.of("q", q.arn())));
        b.scheduler().createSchedule(ScheduleRequest.builder("nightly", "cron(0 2 * * ? *)",
                FlexibleTimeWindow.off(), new ScheduleTarget(b.busArn("default"), ROLE,
                        "{\"runAt\":\"<aws.scheduler.scheduled-time>\"}", null, null,
                        new EventBridgeParameters("Nightly Report Due", "com.example.reports"), null)).build());
        tick(b, Duration.ofMinutes(30), 5);
        List<JsonNode> got = bodies(q);
        assertEquals(1, got.size());
        assertEquals("Nightly Report Due", got.get(0).get("detail-type").asText());
        assertEquals("2026-01-01T02:00:00Z", got.get(0).at("/detail/runAt").asText());
    }

    @Test
    void groupsCascadeAndTheDefaultGroupStays() {
        Busbar b = bus();
        EventBridgeScheduler s = b.scheduler();
        InMemoryQueue q = b.queue("q");
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule-group/default",
                s.getScheduleGroup("default").arn());
        s.createScheduleGroup("reports", Map.of("env", "prod"));
        assertEquals("ConflictException", assertThrows(BusbarException.class,
                () -> s.createScheduleGroup("reports", null)).errorCode());
        s.createSchedule(schedule("a", "rate(1 minute)", q.arn(), "a").groupName("reports").build());
        s.createSchedule(schedule("a", "rate(1 minute)", q.arn(), "a").build());
        assertEquals(2, s.listSchedules(null, null, null, null, null).items().size());
        assertEquals("default", s.listSchedules(null, null, null, 1, null).items().get(0).groupName());
        s.deleteScheduleGroup("reports");
        assertEquals(1, s.size());
        assertEquals("ResourceNotFoundException", assertThrows(BusbarException.class,
                () -> s.getScheduleGroup("reports")).errorCode());
        BusbarException e = assertThrows(BusbarException.class, () -> s.deleteScheduleGroup("default"));
        assertEquals("ValidationException", e.errorCode());
        assertEquals(List.of("default"), s.listScheduleGroups(null, null, null).items().stream()
                .map(g -> g.name()).toList());
        assertEquals("ResourceNotFoundException", assertThrows(BusbarException.class,
                () -> s.createSchedule(schedule("b", "rate(1 minute)", q.arn(), "b").groupName("nope").build()))
                .errorCode());
    }

    @Test
    void refusalsNameTheProblem() {
        Busbar b = bus();
        EventBridgeScheduler s = b.scheduler();
        String q = b.queue("q").arn();
        BusbarException bad = assertThrows(BusbarException.class,
                () -> schedule("x", "rate(0 minutes)", q, null).build());
        assertEquals("ValidationException", bad.errorCode());
        assertTrue(bad.getMessage().startsWith("Parameter ScheduleExpression is not valid."), bad.getMessage());
        assertTrue(assertThrows(BusbarException.class, () -> schedule("x", "rate(1 hour)", q, null)
                .timezone("+02:00").build()).getMessage().contains("ScheduleExpressionTimezone"));
        assertThrows(BusbarException.class, () -> schedule("x", "rate(1 hour)", q, null)
                .startDate(Instant.EPOCH.plusSeconds(60)).endDate(Instant.EPOCH).build());
        assertTrue(assertThrows(BusbarException.class, () -> schedule("bad name", "rate(1 hour)", q, null).build())
                .getMessage().contains("Member must satisfy regular expression pattern"));
        assertThrows(BusbarException.class, () -> new FlexibleTimeWindow(FlexibleTimeWindow.Mode.FLEXIBLE, null));
        assertThrows(BusbarException.class, () -> new FlexibleTimeWindow(FlexibleTimeWindow.Mode.OFF, 5));
        assertThrows(BusbarException.class, () -> ScheduleTarget.of(q, "not-a-role", null));
        BusbarException universal = assertThrows(BusbarException.class, () -> s.createSchedule(schedule("u",
                "rate(1 hour)", "arn:aws:scheduler:::aws-sdk:dynamodb:putItem", "{}").build()));
        assertTrue(universal.getMessage().startsWith("target.arn: arn:aws:scheduler:::aws-sdk:dynamodb:putItem "
                + "(universal targets are not available in Busbar"), universal.getMessage());
        BusbarException group = assertThrows(BusbarException.class, () -> s.createSchedule(ScheduleRequest.builder(
                "g", "rate(1 hour)", FlexibleTimeWindow.off(), new ScheduleTarget(q, ROLE, null, null, null, null,
                        Map.of("SqsParameters", "{\"MessageGroupId\":\"" + "m".repeat(129) + "\"}"))).build()));
        assertEquals("1 validation error detected: Value '" + "m".repeat(129) + "' at "
                + "'target.sqsParameters.messageGroupId' failed to satisfy constraint: Member must have length less "
                + "than or equal to 128", group.getMessage());
        BusbarException partition = assertThrows(BusbarException.class, () -> s.createSchedule(ScheduleRequest
                .builder("k", "rate(1 hour)", FlexibleTimeWindow.off(), new ScheduleTarget(
                        "arn:aws:kinesis:us-east-1:123456789012:stream/s", ROLE, null, null, null, null,
                        Map.of("KinesisParameters", "{}"))).build()));
        assertEquals("1 validation error detected: Value null at 'target.kinesisParameters.partitionKey' failed to "
                + "satisfy constraint: Member must not be null", partition.getMessage());
        s.createSchedule(schedule("x", "rate(1 hour)", q, null).build());
        BusbarException dup = assertThrows(BusbarException.class,
                () -> s.createSchedule(schedule("x", "rate(1 hour)", q, null).build()));
        assertEquals("ConflictException", dup.errorCode());
        assertEquals("ResourceNotFoundException", assertThrows(BusbarException.class,
                () -> s.updateSchedule(schedule("y", "rate(1 hour)", q, null).build())).errorCode());
        assertEquals("ResourceNotFoundException", assertThrows(BusbarException.class,
                () -> s.deleteSchedule(null, "y")).errorCode());
        ScheduleDetails d = s.getSchedule(null, "x");
        assertEquals("UTC", d.definition().scheduleExpressionTimezone());
        assertEquals(RetryPolicy.DEFAULT, d.definition().target().retryPolicy());
        assertNull(d.definition().description());
    }
}
