package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.spi.Delivery;
import io.busbar.core.store.Durability;
import io.busbar.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bus on a data directory: the control plane and every accepted, unfinished delivery come back in a new process
 * (here: a new instance on the same directory, the old one abandoned as a crash would leave it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurableBusTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);

    private Busbar.Builder builder() {
        return Busbar.builder().clock(clock).autoTick(false).serviceLoader(false).executor(Runnable::run)
                .dataDirectory(dir).durability(Durability.FSYNC);
    }

    @Test
    void theControlPlaneSurvivesARestart() {
        Target transformed = new Target("t1", "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:iam::1:role/r",
                TargetInput.transformed(new InputTransformer(Map.of("n", "$.detail.n"), "{\"got\": <n>}")),
                new RetryPolicy(3, 600), new DeadLetterConfig("arn:aws:sqs:us-east-1:123456789012:dlq"), null);
        // a queue no one has made: its deliveries fail, but its parameters must survive the restart
        Target fifo = new Target("t4", "arn:aws:sqs:us-east-1:123456789012:q.fifo", null, null, null, null,
                Map.of("SqsParameters", "{\"MessageGroupId\":\"g\"}"));
        Target constant = new Target("t2", "arn:aws:lambda:us-east-1:123456789012:function:f", null,
                TargetInput.constant("{\"fixed\":true}"), null, null, null);
        Target path = new Target("t3", "arn:aws:lambda:us-east-1:123456789012:function:f", null,
                TargetInput.path("$.detail"), null, null, null);
        ConnectionAuth auth = new ConnectionAuth(ConnectionAuth.AuthorizationType.API_KEY, null,
                new ConnectionAuth.ApiKey("x-api-key", "s3cret"), null, new ConnectionAuth.InvocationParameters(
                List.of(new HttpParameter("X-Token", "t0p", true)), List.of(new HttpParameter("q", "1", false)),
                null));
        EventBus orders;
        Rule rule;
        Connection conn;
        ApiDestination dest;
        try (Busbar a = builder().build()) {
            orders = a.createEventBus("orders", "the order bus", new EventBus.Options("alias/orders",
                    "arn:aws:sqs:us-east-1:123456789012:bus-dlq", "FULL", "INFO"));
            rule = a.putRule(new PutRuleRequest("big", "orders", "{\"detail\":{\"n\":[{\"numeric\":[\">\",10]}]}}",
                    null, RuleState.ENABLED, "big orders", null));
            a.putTargets("orders", "big", List.of(transformed, constant, path, fifo));
            a.putRule(new PutRuleRequest("off", "orders", "{\"source\":[\"shop\"]}", null, RuleState.DISABLED, null,
                    null));
            a.putRule(new PutRuleRequest("tick", null, null, "rate(5 minutes)", null, null, null));
            a.putRule(PutRuleRequest.pattern("gone", "{\"source\":[\"x\"]}"));
            a.deleteRule("default", "gone");
            a.createEventBus("removed", null);
            a.deleteEventBus("removed");
            conn = a.createConnection("conn", "c", auth);
            dest = a.createApiDestination("dest", null, conn.arn(), "https://example.com/*", "POST", 7);
            a.tagResource(rule.arn(), Map.of("team", "payments", "env", "prod"));
            a.untagResource(rule.arn(), List.of("env"));
        }
        List<Delivery> got = new CopyOnWriteArrayList<>();
        try (Busbar b = builder().function("f", got::add).build()) {
            assertEquals(List.of("default", "orders"), b.listEventBuses(null).stream().map(EventBus::name).toList());
            assertEquals(orders, b.describeEventBus("orders"));
            assertEquals(rule, b.describeRule("orders", "big"));
            assertEquals(List.of("big", "off"), b.listRules("orders", null, null, null).items().stream()
                    .map(Rule::name).toList());
            assertEquals(List.of("tick"), b.listRules("default", null, null, null).items().stream()
                    .map(Rule::name).toList());
            assertEquals(1, b.scheduledRules());
            assertEquals(List.of(transformed, constant, path, fifo), b.listTargetsByRule("orders", "big"));
            assertEquals(conn, b.describeConnection("conn"));
            assertEquals(dest, b.describeApiDestination("dest"));
            assertEquals(Map.of("team", "payments"), b.tags(rule.arn()));
            b.putEvents(List.of(new PutEventsEntry("shop", "Order", "{\"n\":11}", null, null, "orders", null),
                    new PutEventsEntry("shop", "Order", "{\"n\":3}", null, null, "orders", null)));
            assertEquals(List.of("{\"got\":11}", "{\"fixed\":true}", "{\"n\":11}"),
                    got.stream().map(Delivery::payload).toList());
        }
    }

    @Test
    void deliveriesOwedAtACrashResumeWithTheirAttemptsAndAge() {
        Busbar a = builder().function("f", d -> {
            throw new IllegalStateException("down");
        }).build();
        a.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"shop\"]}"));
        a.putTargets("default", "r", List.of(Target.of("t", "arn:aws:lambda:us-east-1:123456789012:function:f")));
        PutEventsResult first = a.putEvents(List.of(PutEventsEntry.of("shop", "A", "{\"i\":1}"),
                PutEventsEntry.of("shop", "A", "{\"i\":2}"), PutEventsEntry.of("other", "A", "{\"i\":3}")));
        assertEquals(0, first.failedEntryCount());
        clock.advance(Duration.ofMinutes(10));
        a.runDueTasks(); // second attempts fail too: next is the third
        clock.advance(Duration.ofMinutes(10));
        PutEventsResult later = a.putEvents(List.of(PutEventsEntry.of("shop", "A", "{\"i\":4}")));
        // Retry marks are written after the fact, unsynced; an append queued behind them makes sure they are on file.
        a.putEvents(List.of(PutEventsEntry.of("shop", "A", "{\"i\":5}")));
        // Abandoned without close, as kill -9 would leave it.
        clock.advance(Duration.ofMinutes(1));
        List<Delivery> got = new CopyOnWriteArrayList<>();
        try (Busbar b = builder().function("f", got::add).build()) {
            assertEquals(4, got.size(), got.toString());
            Map<String, Delivery> byId = new java.util.HashMap<>();
            got.forEach(d -> byId.put(d.eventId(), d));
            Delivery one = byId.get(first.entries().get(0).eventId());
            Delivery four = byId.get(later.entries().get(0).eventId());
            assertEquals(3, one.attempt());
            assertEquals(T0, one.ingestionTime());
            assertEquals(3, byId.get(first.entries().get(1).eventId()).attempt());
            assertEquals(2, four.attempt());
            assertEquals(T0.plus(Duration.ofMinutes(20)), four.ingestionTime());
            assertTrue(one.payload().contains("\"i\":1"), one.payload());
            assertEquals(0, b.outstandingDeliveries());
        }
        a.close(Duration.ZERO);
        List<Delivery> again = new ArrayList<>();
        try (Busbar c = builder().function("f", again::add).build()) {
            assertEquals(List.of(), again, "delivered deliveries are not repeated");
        }
    }

    @Test
    void aFullDataDirectoryRefusesEventsAndKeepsTheAcknowledgedOnes() {
        List<String> acknowledged = new ArrayList<>();
        String refusal = null;
        Busbar a = builder().dataDirectoryLimitBytes(4_000).function("f", d -> {
            throw new IllegalStateException("down");
        }).build();
        a.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"shop\"]}"));
        a.putTargets("default", "r", List.of(Target.of("t", "arn:aws:lambda:us-east-1:123456789012:function:f")));
        for (int i = 0; i < 50 && refusal == null; i++) {
            PutEventsResult.Entry e = a.putEvents(List.of(PutEventsEntry.of("shop", "A", "{\"i\":" + i + "}")))
                    .entries().get(0);
            if (e.failed()) {
                assertEquals("InternalFailure", e.errorCode());
                refusal = e.errorMessage();
            } else {
                acknowledged.add(e.eventId());
            }
        }
        assertTrue(refusal != null && refusal.contains("size limit"), String.valueOf(refusal));
        assertTrue(acknowledged.size() > 3, acknowledged.toString());
        // events that match nothing owe nothing and are still accepted
        assertEquals(0, a.putEvents(List.of(PutEventsEntry.of("other", "A", "{}"))).failedEntryCount());
        List<String> got = new CopyOnWriteArrayList<>();
        try (Busbar b = builder().function("f", d -> got.add(d.eventId())).build()) {
            assertEquals(acknowledged, got);
        }
        a.close(Duration.ZERO);
    }

    @Test
    void aScheduledRuleFiresTheTimesItMissedWhileDown() {
        List<Instant> fired = new CopyOnWriteArrayList<>();
        Busbar a = builder().function("f", d -> fired.add(Instant.parse(
                d.eventJson().replaceAll(".*\"time\":\"([^\"]+)\".*", "$1")))).build();
        a.putRule(new PutRuleRequest("tick", null, null, "rate(1 minute)", null, null, null));
        a.putTargets("default", "tick", List.of(Target.of("t", "arn:aws:lambda:us-east-1:123456789012:function:f")));
        clock.advance(Duration.ofMinutes(3));
        a.runDueTasks();
        assertEquals(List.of(T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180)), fired);
        // down for five minutes
        clock.advance(Duration.ofMinutes(5));
        fired.clear();
        try (Busbar b = builder().function("f", d -> fired.add(Instant.parse(
                d.eventJson().replaceAll(".*\"time\":\"([^\"]+)\".*", "$1")))).build()) {
            b.runDueTasks();
            assertEquals(List.of(T0.plusSeconds(240), T0.plusSeconds(300), T0.plusSeconds(360), T0.plusSeconds(420),
                    T0.plusSeconds(480)), fired);
        }
        a.close(Duration.ZERO);
    }

    @Test
    void aScheduledEventWhoseDeliveryWasPendingAtACrashIsDelivered() {
        Busbar a = builder().function("f", d -> {
            throw new IllegalStateException("down");
        }).build();
        a.putRule(new PutRuleRequest("tick", null, null, "rate(1 minute)", null, null, null));
        a.putTargets("default", "tick", List.of(Target.of("t", "arn:aws:lambda:us-east-1:123456789012:function:f")));
        a.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"shop\"]}"));
        a.putTargets("default", "r", List.of(Target.of("t", "arn:aws:lambda:us-east-1:123456789012:function:f")));
        clock.advance(Duration.ofSeconds(61));
        a.runDueTasks();
        // An append queued behind the first attempt's retry mark makes sure the mark is on file.
        a.putEvents(List.of(PutEventsEntry.of("shop", "A", "{}")));
        List<Delivery> got = new CopyOnWriteArrayList<>();
        try (Busbar b = builder().function("f", d -> {
            if (d.eventJson().contains("\"Scheduled Event\"")) {
                got.add(d);
            }
        }).build()) {
            b.runDueTasks();
            assertEquals(1, got.size(), got.toString());
            assertEquals(2, got.get(0).attempt());
            assertTrue(got.get(0).eventJson().contains("\"time\":\"2026-11-26T10:01:00Z\""), got.get(0).eventJson());
        }
        a.close(Duration.ZERO);
    }

    @Test
    void forwardingToAnotherBusStoresTheEventWithoutWaitingOnItself() {
        // A direct executor runs deliveries on the store's writer thread; forwarding must not wait for that thread.
        List<Delivery> got = new CopyOnWriteArrayList<>();
        try (Busbar b = builder().function("f", got::add).build()) {
            b.createEventBus("audit", null);
            b.putRule(PutRuleRequest.pattern("to-audit", "{\"source\":[\"shop\"]}"));
            b.putTargets("default", "to-audit", List.of(Target.of("bus", b.busArn("audit"))));
            b.putRule(new PutRuleRequest("all", "audit", "{\"source\":[\"shop\"]}", null, null, null, null));
            b.putTargets("audit", "all", List.of(Target.of("t", "arn:aws:lambda:us-east-1:123456789012:function:f")));
            assertEquals(0, b.putEvents(List.of(PutEventsEntry.of("shop", "A", "{}"))).failedEntryCount());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, got.size());
            assertEquals("audit", got.get(0).busName());
        }
    }
}
