package io.busbar.core;

import io.busbar.testing.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BusbarTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final List<Busbar> open = new ArrayList<>();

    /** A bus whose deliveries run on the calling thread and whose timed work runs when the test says. */
    private Busbar bus() {
        Busbar b = Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false)
                .random(new SplittableRandom(7)).build();
        open.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        open.forEach(b -> b.close(Duration.ZERO));
    }

    private static PutEventsEntry order(String detail) {
        return PutEventsEntry.of("com.example.orders", "Order Placed", detail);
    }

    @Test
    void readmeExampleDeliversToAnInProcessFunction() throws Exception {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        try (Busbar busbar = Busbar.builder().build()) {
            String fn = busbar.registerFunction("audit", got::add);
            busbar.putRule(PutRuleRequest.pattern("orders", "{\"source\":[\"com.example.orders\"]}"));
            busbar.putTargets("default", "orders", List.of(Target.of("audit", fn)));
            PutEventsResult r = busbar.putEvents(List.of(order("{\"total\":42}")));
            assertEquals(0, r.failedEntryCount());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        assertEquals(1, got.size());
        JsonNode event = JSON.readTree(got.get(0).payload());
        assertEquals(42, event.get("detail").get("total").asInt());
        assertEquals("Order Placed", event.get("detail-type").asText());
    }

    /**
     * PutEvents matches an envelope it wrote by where its members start, without reading their keys: a rule on each
     * member must still see it, and one that wants a member the envelope lacks must not match.
     */
    @Test
    void rulesOnEveryEnvelopeMemberMatch() {
        Busbar b = bus();
        java.util.Map<String, String> rules = new java.util.LinkedHashMap<>();
        rules.put("version", "{\"version\":[\"0\"]}");
        rules.put("id", "{\"id\":[{\"exists\":true}]}");
        rules.put("detail-type", "{\"detail-type\":[\"Order Placed\"]}");
        rules.put("source", "{\"source\":[\"com.example.orders\"]}");
        rules.put("account", "{\"account\":[{\"prefix\":\"\"}]}");
        rules.put("time", "{\"time\":[{\"prefix\":\"2026-01-15T12:00\"}]}");
        rules.put("region", "{\"region\":[{\"exists\":true}]}");
        rules.put("no-replay", "{\"replay-name\":[{\"exists\":false}],\"source\":[\"com.example.orders\"]}");
        rules.put("resources", "{\"resources\":[\"arn:b\"]}");
        rules.put("detail", "{\"detail\":{\"items\":{\"sku\":[\"k2\"]}}}");
        rules.put("dotted", "{\"detail.total\":[{\"numeric\":[\">\",40]}]}");
        rules.put("replayed", "{\"replay-name\":[{\"exists\":true}]}");
        rules.put("wrong-region", "{\"region\":[\"nowhere\"]}");
        for (var r : rules.entrySet()) {
            b.putRule(PutRuleRequest.pattern(r.getKey(), r.getValue()));
            b.putTargets("default", r.getKey(), List.of(Target.of("q", b.queue("q-" + r.getKey()).arn())));
        }
        PutEventsEntry e = new PutEventsEntry("com.example.orders", "Order Placed",
                "{\"total\":42,\"items\":[{\"sku\":\"k1\"},{\"sku\":\"k2\"}]}", List.of("arn:a", "arn:b"),
                null, null, null);
        assertEquals(0, b.putEvents(List.of(e)).failedEntryCount());
        java.util.Set<String> triggered = new java.util.TreeSet<>();
        for (String rule : rules.keySet()) {
            if (!b.queue("q-" + rule).receive(10).isEmpty()) {
                triggered.add(rule);
            }
        }
        java.util.Set<String> expected = new java.util.TreeSet<>(rules.keySet());
        expected.removeAll(List.of("replayed", "wrong-region"));
        assertEquals(expected, triggered);
    }

    /** An invocation dropped for input that transforms into invalid JSON is counted, never silent. */
    @Test
    void droppedInvocationsAreCounted() {
        Busbar b = bus();
        InMemoryQueue q = b.queue("dropped");
        b.putRule(PutRuleRequest.pattern("drop", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets("default", "drop", List.of(new Target("t", q.arn(), null, TargetInput.transformed(
                new InputTransformer(java.util.Map.of("obj", "$.detail"), "{\"a\": \"<obj>\"}")), null, null, null)));
        assertEquals(0, b.putEvents(List.of(order("{\"n\":1}"))).failedEntryCount());
        assertEquals(0, q.size(), "an object inside quotes makes invalid JSON: EventBridge drops the invocation");
        assertEquals(1.0, b.meterRegistry().get("DroppedInvocations").tag("target", "t").counter().count());
    }

    /** Authorization values become HTTP headers: no control character, no ':'; a secret is never echoed. */
    @Test
    void connectionAuthValuesAreHeaderSafe() {
        BusbarException name = assertThrows(BusbarException.class, () -> new ConnectionAuth.Basic("a:b", "p"));
        assertEquals("1 validation error detected: Value 'a:b' at 'authParameters.basicAuthParameters.username' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + ConnectionAuth.AUTH_VALUE.pattern(), name.getMessage());
        BusbarException secret = assertThrows(BusbarException.class,
                () -> new ConnectionAuth.ApiKey("x-api-key", "s3cret\r\nX-Injected: 1"));
        assertFalse(secret.getMessage().contains("s3cret"), secret.getMessage());
        assertTrue(secret.getMessage().startsWith("1 validation error detected: Value at "
                + "'authParameters.apiKeyAuthParameters.apiKeyValue' failed to satisfy constraint"), secret.getMessage());
        assertThrows(BusbarException.class, () -> new ConnectionAuth.OAuth("id", "x".repeat(513),
                "https://auth.example.com", "POST", null));
        assertEquals("  Bearer-ish value with spaces ", new ConnectionAuth.ApiKey("k",
                "  Bearer-ish value with spaces ").apiKeyValue());
        BusbarException level = assertThrows(BusbarException.class,
                () -> new EventBus.Options(null, null, "FULL", "LOUD"));
        assertEquals("1 validation error detected: Value 'LOUD' at 'logConfig.level' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [OFF, ERROR, INFO, TRACE]", level.getMessage());
    }

    @Test
    void envelopeHasEventBridgesFieldsInOrder() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        b.putRule(PutRuleRequest.pattern("all", "{\"source\":[{\"prefix\":\"\"}]}"));
        b.putTargets("default", "all", List.of(Target.of("q", q.arn())));
        PutEventsEntry e = new PutEventsEntry("s", "T", "{\"a\":[1,{\"b\":null}]}", List.of("arn:x"),
                Instant.parse("2022-01-01T00:00:00.789Z"), null, "Root=1-abc");
        String id = b.putEvents(List.of(e)).entries().get(0).eventId();
        QueueMessage m = q.receive(1).get(0);
        assertEquals("{\"version\":\"0\",\"id\":\"" + id + "\",\"detail-type\":\"T\",\"source\":\"s\","
                + "\"account\":\"123456789012\",\"time\":\"2022-01-01T00:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[\"arn:x\"],\"detail\":{\"a\":[1,{\"b\":null}]}}", m.body());
        assertEquals(id, m.eventId());
        assertEquals(4, java.util.UUID.fromString(id).version());
        assertEquals(2, java.util.UUID.fromString(id).variant());
    }

    @Test
    void eachEntryIsValidatedOnItsOwn() {
        Busbar b = bus();
        PutEventsResult r = b.putEvents(List.of(
                order("{}"),
                PutEventsEntry.of(null, "T", "{}"),
                PutEventsEntry.of("s", "", "{}"),
                PutEventsEntry.of("s", "T", null),
                PutEventsEntry.of("s", "T", "[]"),
                PutEventsEntry.of("s", "T", "{\"big\":123456789012345678901234567890}"),
                PutEventsEntry.of("s", "T", "{{}"),
                order("{\"ok\":true}").onBus("no-such-bus"),
                PutEventsEntry.of("s", "T".repeat(129), "{}")));
        assertEquals(7, r.failedEntryCount());
        assertNotNull(r.entries().get(0).eventId());
        assertEquals("Parameter Source is not valid. Reason: Source is a required argument.",
                r.entries().get(1).errorMessage());
        assertEquals("InvalidArgument", r.entries().get(2).errorCode());
        assertEquals("Parameter Detail is not valid. Reason: Detail is a required argument.",
                r.entries().get(3).errorMessage());
        assertEquals("MalformedDetail", r.entries().get(4).errorCode());
        assertEquals("Detail is malformed.", r.entries().get(5).errorMessage());
        assertEquals("MalformedDetail", r.entries().get(6).errorCode());
        assertNotNull(r.entries().get(7).eventId(), "an unknown bus accepts and drops (spec 1.3)");
        assertEquals("Parameter DetailType is not valid. Reason: DetailType must be at most 128 characters.",
                r.entries().get(8).errorMessage());
        assertEquals(0, b.putEvents(List.of(PutEventsEntry.of("s", "T".repeat(128), "{}"))).failedEntryCount());
    }

    @Test
    void requestLevelLimits() {
        Busbar b = bus();
        List<PutEventsEntry> eleven = Collections.nCopies(11, order("{}"));
        BusbarException e = assertThrows(BusbarException.class, () -> b.putEvents(eleven));
        assertEquals("ValidationException", e.errorCode());
        assertTrue(e.getMessage().contains("Member must have length less than or equal to 10"), e.getMessage());
        String big = "{\"payload\":\"" + "p".repeat(262_144) + "\"}";
        e = assertThrows(BusbarException.class, () -> b.putEvents(List.of(order(big))));
        assertEquals("Total size of the entries in the request is over the limit.", e.getMessage());
        assertThrows(BusbarException.class, () -> b.putEvents(List.of()));
        e = assertThrows(BusbarException.class,
                () -> b.putEvents(List.of(order("{}"), order("{}").onBus("arn:aws:events:bad"))));
        assertTrue(e.getMessage().startsWith("1 validation error detected: Value 'arn:aws:events:bad' at "
                + "'entries.2.member.eventBusName' failed to satisfy constraint"), e.getMessage());
        PutEventsEntry traced = new PutEventsEntry("s", "T", "{}", null, null, null, "t".repeat(501));
        e = assertThrows(BusbarException.class, () -> b.putEvents(List.of(order("{}"), traced)));
        assertEquals("1 validation error detected: Value '" + "t".repeat(501) + "' at 'entries.2.member.traceHeader' "
                + "failed to satisfy constraint: Member must have length less than or equal to 500", e.getMessage());
    }

    @Test
    void entrySizeIsComputedAsTheSpecSays() {
        PutEventsEntry e = new PutEventsEntry("ab", "cd", "{}", List.of("é"), T0, "bus", "trace");
        assertEquals(14 + 2 + 2 + 2 + 2, Busbar.entrySize(e));
    }

    @Test
    void ruleLifecycle() {
        Busbar b = bus();
        Rule r = b.putRule(PutRuleRequest.pattern("r1", "{\"source\":[\"a\"]}"));
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/r1", r.arn());
        b.createEventBus("orders", null);
        Rule custom = b.putRule(PutRuleRequest.pattern("r1", "{\"source\":[\"a\"]}").onBus("orders"));
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/orders/r1", custom.arn());
        assertEquals(RuleState.ENABLED, b.describeRule("default", "r1").state());
        b.disableRule(null, "r1");
        assertEquals(RuleState.DISABLED, b.describeRule(null, "r1").state());
        b.enableRule(null, "r1");
        // PutRule replaces: the description is cleared when not given again.
        b.putRule(new PutRuleRequest("r1", null, "{\"source\":[\"a\"]}", null, null, "desc", null));
        assertEquals("desc", b.describeRule(null, "r1").description());
        b.putRule(PutRuleRequest.pattern("r1", "{\"source\":[\"b\"]}"));
        assertNull(b.describeRule(null, "r1").description());
        BusbarException e = assertThrows(BusbarException.class, () -> b.describeRule(null, "nope"));
        assertEquals("ResourceNotFoundException", e.errorCode());
        assertEquals("Rule nope does not exist on EventBus default.", e.getMessage());
        e = assertThrows(BusbarException.class, () -> b.putRule(PutRuleRequest.pattern("x", "{\"a\":[]}")));
        assertEquals("InvalidEventPatternException", e.errorCode());
        assertTrue(e.getMessage().startsWith("Event pattern is not valid. Reason: Empty arrays are not allowed"));
        e = assertThrows(BusbarException.class,
                () -> b.putRule(new PutRuleRequest("s", "orders", null, "rate(5 minutes)", null, null, null)));
        assertEquals("ScheduleExpression is supported only on the default event bus.", e.getMessage());
        e = assertThrows(BusbarException.class, () -> b.putRule(new PutRuleRequest("s", null, null, null, null, null,
                null)));
        assertEquals("ValidationException", e.errorCode());
        e = assertThrows(BusbarException.class, () -> b.putRule(PutRuleRequest.pattern("bad name", "{\"a\":[1]}")));
        assertTrue(e.getMessage().contains("at 'name'"), e.getMessage());
        b.putTargets(null, "r1", List.of(Target.of("t", b.queue("q").arn())));
        e = assertThrows(BusbarException.class, () -> b.deleteRule(null, "r1"));
        assertEquals("Rule can't be deleted since it has targets.", e.getMessage());
        b.removeTargets(null, "r1", List.of("t"));
        b.deleteRule(null, "r1");
        b.deleteRule(null, "r1"); // idempotent
        assertThrows(BusbarException.class, () -> b.describeRule(null, "r1"));
    }

    @Test
    void listRulesPagesByName() {
        Busbar b = bus();
        for (int i = 0; i < 7; i++) {
            b.putRule(PutRuleRequest.pattern("rule-" + i, "{\"source\":[\"a\"]}"));
        }
        b.putRule(PutRuleRequest.pattern("other", "{\"source\":[\"a\"]}"));
        Page<Rule> p1 = b.listRules(null, "rule-", 3, null);
        assertEquals(List.of("rule-0", "rule-1", "rule-2"), p1.items().stream().map(Rule::name).toList());
        Page<Rule> p2 = b.listRules(null, "rule-", 3, p1.nextToken());
        Page<Rule> p3 = b.listRules(null, "rule-", 3, p2.nextToken());
        assertEquals(List.of("rule-6"), p3.items().stream().map(Rule::name).toList());
        assertNull(p3.nextToken());
        assertThrows(BusbarException.class, () -> b.listRules(null, null, 101, null));
        assertThrows(BusbarException.class, () -> b.listRules(null, null, 3, "garbage!"));
    }

    @Test
    void busLifecycle() {
        Busbar b = bus();
        EventBus bus = b.createEventBus("orders", "d");
        assertEquals("arn:aws:events:us-east-1:123456789012:event-bus/orders", bus.arn());
        assertEquals("orders", b.describeEventBus(bus.arn()).name());
        assertEquals(List.of("default", "orders"), b.listEventBuses(null).stream().map(EventBus::name).toList());
        BusbarException e = assertThrows(BusbarException.class, () -> b.createEventBus("orders", null));
        assertEquals("Event bus orders already exists.", e.getMessage());
        e = assertThrows(BusbarException.class, () -> b.deleteEventBus("default"));
        assertEquals("Cannot delete event bus default.", e.getMessage());
        b.putRule(PutRuleRequest.pattern("r", "{\"a\":[1]}").onBus("orders"));
        assertThrows(BusbarException.class, () -> b.deleteEventBus("orders"));
        b.deleteRule("orders", "r");
        b.deleteEventBus("orders");
        e = assertThrows(BusbarException.class, () -> b.describeEventBus("orders"));
        assertEquals("Event bus orders does not exist.", e.getMessage());
        assertThrows(BusbarException.class, () -> b.createEventBus("a/b", null));
    }

    @Test
    void targetLimitsAndReplacement() {
        Busbar b = bus();
        b.putRule(PutRuleRequest.pattern("r", "{\"a\":[1]}"));
        List<Target> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(Target.of("t" + i, b.queue("q" + i).arn()));
        }
        b.putTargets(null, "r", five);
        b.putTargets(null, "r", List.of(Target.of("t0", b.queue("other").arn())));
        assertEquals(b.queue("other").arn(), b.listTargetsByRule(null, "r").get(0).arn());
        BusbarException e = assertThrows(BusbarException.class,
                () -> b.putTargets(null, "r", List.of(Target.of("t5", "arn:aws:sqs:us-east-1:123456789012:x"))));
        assertEquals("LimitExceededException", e.errorCode());
        assertEquals(List.of("r"), b.listRuleNamesByTarget(null, b.queue("q1").arn()));
        assertThrows(BusbarException.class, () -> Target.of("bad id!", "arn"));
        assertThrows(BusbarException.class, () -> new RetryPolicy(186, 60));
        assertThrows(BusbarException.class, () -> new RetryPolicy(1, 59));
    }

    @Test
    void disabledRulesMatchNothingAndOnlyTheirBusSeesEvents() {
        Busbar b = bus();
        b.createEventBus("other", null);
        InMemoryQueue q = b.queue("q");
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(Target.of("q", q.arn())));
        b.putEvents(List.of(order("{}").onBus("other")));
        assertEquals(0, q.size());
        b.disableRule(null, "r");
        b.putEvents(List.of(order("{}")));
        assertEquals(0, q.size());
        b.enableRule(null, "r");
        b.putEvents(List.of(order("{}")));
        assertEquals(1, q.size());
    }

    @Test
    void retriesFollowTheClockAndSucceed() {
        Busbar b = bus();
        AtomicInteger calls = new AtomicInteger();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        String fn = b.registerFunction("flaky", d -> {
            attempts.add(d.attempt());
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
        });
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(Target.of("f", fn)));
        b.putEvents(List.of(order("{}")));
        assertEquals(1, calls.get());
        assertEquals(0, b.runDueTasks(), "nothing is due before the clock moves");
        assertEquals(1, b.outstandingDeliveries());
        clock.advance(Duration.ofMinutes(10)); // past any back-off of the first retries
        b.runDueTasks();
        clock.advance(Duration.ofMinutes(10));
        b.runDueTasks();
        assertEquals(3, calls.get());
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(0, b.outstandingDeliveries());
        assertEquals(1.0, b.meterRegistry().get("RetryInvocationAttempts").tag("rule", "r").counter().count(), 1.0);
        assertEquals(1.0, b.meterRegistry().get("Invocations").tag("rule", "r").counter().count());
    }

    @Test
    void exhaustedRetriesGoToTheDeadLetterQueueWithEventBridgesAttributes() {
        Busbar b = bus();
        InMemoryQueue dlq = b.queue("dlq");
        String fn = b.registerFunction("down", d -> {
            throw new java.io.IOException("connection refused");
        });
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(new Target("f", fn, null, null, new RetryPolicy(2, 3600),
                new DeadLetterConfig(dlq.arn()), null)));
        b.putEvents(List.of(order("{\"n\":1}")));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(6));
            b.runDueTasks();
        }
        List<QueueMessage> letters = dlq.receive(10);
        assertEquals(1, letters.size());
        QueueMessage m = letters.get(0);
        assertTrue(m.body().contains("\"n\":1"));
        assertEquals("FUNCTION_ERROR", m.attributes().get("ERROR_CODE"));
        assertTrue(m.attributes().get("ERROR_MESSAGE").contains("connection refused"));
        assertEquals("MaximumRetryAttempts", m.attributes().get("EXHAUSTED_RETRY_CONDITION"));
        assertEquals("2", m.attributes().get("RETRY_ATTEMPTS"));
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/r", m.attributes().get("RULE_ARN"));
        assertEquals(fn, m.attributes().get("TARGET_ARN"));
        assertEquals(1.0, b.meterRegistry().get("InvocationsSentToDlq").counter().count());
    }

    @Test
    void eventAgeEndsRetries() {
        Busbar b = bus();
        InMemoryQueue dlq = b.queue("dlq");
        String fn = b.registerFunction("down", d -> {
            throw new IllegalStateException("down");
        });
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(new Target("f", fn, null, null, new RetryPolicy(185, 60),
                new DeadLetterConfig(dlq.arn()), null)));
        b.putEvents(List.of(order("{}")));
        clock.advance(Duration.ofSeconds(61));
        b.runDueTasks();
        QueueMessage m = dlq.receive(1).get(0);
        assertEquals("MaximumEventAgeInSeconds", m.attributes().get("EXHAUSTED_RETRY_CONDITION"));
    }

    /** The event goes to its dead-letter queue when its age runs out, not at the next back-off after that. */
    @Test
    void theDeadLetterComesWhenTheAgeRunsOut() {
        Busbar b = bus();
        InMemoryQueue dlq = b.queue("dlq");
        List<Instant> attempts = new ArrayList<>();
        String fn = b.registerFunction("down", d -> {
            attempts.add(clock.instant());
            throw new IllegalStateException("down");
        });
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(new Target("f", fn, null, null, new RetryPolicy(185, 60),
                new DeadLetterConfig(dlq.arn()), null)));
        b.putEvents(List.of(order("{}")));
        Instant dead = null;
        for (int s = 1; s <= 400 && dead == null; s++) {
            clock.advance(Duration.ofSeconds(1));
            b.runDueTasks();
            if (dlq.size() > 0) {
                dead = clock.instant();
            }
        }
        assertEquals(T0.plusSeconds(60), dead, "attempts at " + attempts);
        assertTrue(attempts.get(attempts.size() - 1).isBefore(T0.plusSeconds(60)), attempts::toString);
        assertEquals("MaximumEventAgeInSeconds", dlq.receive(1).get(0).attributes().get("EXHAUSTED_RETRY_CONDITION"));
    }

    @Test
    void permanentFailuresSkipRetries() {
        Busbar b = bus();
        InMemoryQueue dlq = b.queue("dlq");
        String fn = b.registerFunction("gone", d -> {
            throw new EventHandler.PermanentFailure("no such customer");
        });
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(
                new Target("f", fn, null, null, null, new DeadLetterConfig(dlq.arn()), null),
                new Target("missing", "arn:aws:lambda:us-east-1:123456789012:function:nope", null, null, null,
                        new DeadLetterConfig(dlq.arn()), null),
                Target.of("nodlq", fn)));
        b.putEvents(List.of(order("{}")));
        List<QueueMessage> letters = dlq.receive(10);
        assertEquals(2, letters.size());
        assertTrue(letters.stream().allMatch(m -> !m.attributes().containsKey("EXHAUSTED_RETRY_CONDITION")));
        assertTrue(letters.stream().anyMatch(m -> m.attributes().get("ERROR_CODE").equals("NO_RESOURCE")));
        assertEquals(1.0, b.meterRegistry().get("FailedInvocations").tag("target", "nodlq").counter().count());
        assertEquals(0, b.outstandingDeliveries());
    }

    @Test
    void fullTargetQueuesRefuseTheEntryWithoutDroppingAccepted() {
        ManualExecutor executor = new ManualExecutor();
        // Room for two: a call's deliveries stay queued until the call ends, when their runners start together.
        Busbar b = Busbar.builder().clock(clock).executor(executor).autoTick(false).serviceLoader(false)
                .targetQueueCapacity(2).targetConcurrency(1).build();
        open.add(b);
        InMemoryQueue q = b.queue("q");
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(Target.of("q", q.arn())));
        PutEventsResult r = b.putEvents(List.of(order("{\"n\":1}"), order("{\"n\":2}"), order("{\"n\":3}")));
        assertEquals(1, r.failedEntryCount());
        assertEquals("ThrottlingException", r.entries().get(2).errorCode());
        executor.runAll();
        assertEquals(2, q.size(), "both accepted events were delivered");
        assertEquals(1.0, b.meterRegistry().get("ThrottledRules").counter().count());
    }

    @Test
    void aHangingTargetTimesOutAndIsRetried() {
        List<CompletableFuture<DeliveryOutcome>> started = new CopyOnWriteArrayList<>();
        DeliveryTarget hanging = d -> {
            CompletableFuture<DeliveryOutcome> f = new CompletableFuture<>();
            started.add(f);
            return f;
        };
        Busbar b = Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false)
                .deliveryTimeout(Duration.ofSeconds(5))
                .targetProvider((TargetSpec spec, io.busbar.core.spi.TargetEnvironment env) ->
                        spec.arn().equals("arn:busbar:test:hang") ? Optional.of(hanging) : Optional.empty())
                .build();
        open.add(b);
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(Target.of("h", "arn:busbar:test:hang")));
        b.putEvents(List.of(order("{}")));
        assertEquals(1, started.size());
        clock.advance(Duration.ofSeconds(6));
        b.runDueTasks(); // timeout fires; the retry is scheduled
        clock.advance(Duration.ofMinutes(1));
        b.runDueTasks();
        assertEquals(2, started.size());
        started.get(0).complete(DeliveryOutcome.delivered()); // too late: the first ending won
        started.get(1).complete(DeliveryOutcome.delivered());
        assertEquals(0, b.outstandingDeliveries());
        assertEquals(1.0, b.meterRegistry().get("Invocations").counter().count());
    }

    @Test
    void aTargetThatThrowsIsARetryableFailureNotADeadThread() {
        AtomicInteger calls = new AtomicInteger();
        DeliveryTarget throwing = d -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
        };
        Busbar b = Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false)
                .targetProvider((spec, env) -> Optional.of(throwing)).build();
        open.add(b);
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(Target.of("x", "arn:busbar:test:throw")));
        b.putEvents(List.of(order("{}")));
        clock.advance(Duration.ofMinutes(1));
        b.runDueTasks();
        assertEquals(2, calls.get());
        assertEquals(0, b.outstandingDeliveries());
    }

    @Test
    void busToBusForwardsOnceWithTheSameEnvelope() {
        Busbar b = bus();
        b.createEventBus("second", null);
        b.createEventBus("third", null);
        InMemoryQueue q = b.queue("q");
        InMemoryQueue never = b.queue("never");
        b.putRule(PutRuleRequest.pattern("fwd", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "fwd", List.of(Target.of("bus", b.busArn("second"))));
        b.putRule(PutRuleRequest.pattern("in", "{\"source\":[\"com.example.orders\"]}").onBus("second"));
        b.putTargets("second", "in", List.of(Target.of("q", q.arn()), Target.of("onward", b.busArn("third"))));
        b.putRule(PutRuleRequest.pattern("third", "{\"source\":[{\"prefix\":\"\"}]}").onBus("third"));
        b.putTargets("third", "third", List.of(Target.of("never", never.arn())));
        String id = b.putEvents(List.of(order("{}"))).entries().get(0).eventId();
        QueueMessage m = q.receive(1).get(0);
        assertTrue(m.body().contains("\"id\":\"" + id + "\""), m.body());
        assertEquals(0, never.size(), "no third hop");
    }

    @Test
    void traceHeaderReachesTheTarget() {
        Busbar b = bus();
        List<Delivery> got = new CopyOnWriteArrayList<>();
        String fn = b.registerFunction("f", got::add);
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"s\"]}"));
        b.putTargets(null, "r", List.of(Target.of("f", fn)));
        b.putEvents(List.of(new PutEventsEntry("s", "T", "{}", null, null, null, "Root=1-5759e988-bd862e3fe1be46a994272793")));
        assertEquals("Root=1-5759e988-bd862e3fe1be46a994272793", got.get(0).traceHeader());
        assertEquals("r", got.get(0).ruleName());
        assertEquals(1, got.get(0).attempt());
    }

    @Test
    void testEventPatternNeedsTheEnvelopeFields() {
        Busbar b = bus();
        String event = "{\"id\":\"1\",\"account\":\"1\",\"source\":\"s\",\"time\":\"t\",\"region\":\"r\","
                + "\"detail-type\":[\"x\"]}";
        assertTrue(b.testEventPattern("{\"detail-type\":[\"x\"]}", event));
        assertFalse(b.testEventPattern("{\"source\":[\"other\"]}", event));
        BusbarException e = assertThrows(BusbarException.class,
                () -> b.testEventPattern("{\"source\":[\"s\"]}", "{\"source\":\"s\"}"));
        assertEquals("Parameter Event is not valid.", e.getMessage());
        e = assertThrows(BusbarException.class, () -> b.testEventPattern("{\"source\":[\"s\"]}", event + "]]{"));
        assertEquals("Parameter Event is not valid.", e.getMessage());
        e = assertThrows(BusbarException.class, () -> b.testEventPattern("{}", event));
        assertEquals("InvalidEventPatternException", e.errorCode());
    }

    /**
     * Attempts still running at the deadline are reported as in flight, whether a handler is stuck on a delivery
     * thread or a target has not answered yet; what ran and ended is not.
     */
    @Test
    void closeReportsAttemptsStillRunning() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<DeliveryOutcome> never = new CompletableFuture<>();
        DeliveryTarget later = d -> never;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            Busbar b = Busbar.builder().clock(clock).executor(threads).autoTick(false).serviceLoader(false)
                    .targetProvider((TargetSpec spec, io.busbar.core.spi.TargetEnvironment env) ->
                            spec.arn().equals("arn:busbar:test:later") ? Optional.of(later) : Optional.empty())
                    .build();
            open.add(b);
            String stuck = b.registerFunction("stuck", d -> {
                entered.countDown();
                release.await();
            });
            String fine = b.registerFunction("fine", d -> { });
            b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
            b.putTargets(null, "r", List.of(Target.of("stuck", stuck), Target.of("later", "arn:busbar:test:later"),
                    Target.of("fine", fine)));
            String id = b.putEvents(List.of(order("{}"))).entries().get(0).eventId();
            assertTrue(entered.await(10, java.util.concurrent.TimeUnit.SECONDS), "the stuck handler was called");

            ShutdownReport report = b.close(Duration.ofMillis(100));
            assertFalse(report.clean());
            assertTrue(report.undelivered().isEmpty(), () -> "nothing was left queued: " + report.undelivered());
            List<String> inFlight = report.inFlight().stream().map(u -> u.eventId() + "/" + u.targetId())
                    .sorted().toList();
            assertEquals(List.of(id + "/later", id + "/stuck"), inFlight);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void closeReportsWhatIsLeftAndRefusesNewEvents() {
        Busbar b = bus();
        String fn = b.registerFunction("down", d -> {
            throw new IllegalStateException("down");
        });
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"com.example.orders\"]}"));
        b.putTargets(null, "r", List.of(Target.of("f", fn)));
        String id = b.putEvents(List.of(order("{}"))).entries().get(0).eventId();
        ShutdownReport report = b.close(Duration.ofMillis(50));
        assertFalse(report.clean());
        assertEquals(id, report.undelivered().get(0).eventId());
        assertEquals(1, report.undelivered().get(0).attempts());
        PutEventsResult after = b.putEvents(List.of(order("{}")));
        assertEquals("InternalFailure", after.entries().get(0).errorCode());
    }

    @Test
    void builderRejectsBadSettingsNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Busbar.builder().account("12"));
        assertTrue(e.getMessage().startsWith("account:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Busbar.builder().targetQueueCapacity(0));
        assertTrue(e.getMessage().startsWith("targetQueueCapacity:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Busbar.builder().region("mars"));
        assertTrue(e.getMessage().startsWith("region:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Busbar.builder().deliveryLinger(Duration.ofNanos(-1)));
        assertTrue(e.getMessage().startsWith("deliveryLinger:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Busbar.builder().deliveryLinger(Duration.ofMillis(11)));
        assertTrue(e.getMessage().startsWith("deliveryLinger:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Busbar.builder().deliveryPollInterval(Duration.ofNanos(-1)));
        assertTrue(e.getMessage().startsWith("deliveryPollInterval:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Busbar.builder().deliveryPollInterval(null));
        assertTrue(e.getMessage().startsWith("deliveryPollInterval:"), e.getMessage());
    }

    /**
     * PutTargets refuses what would fail or be ignored at every delivery: a parameter block of another kind of
     * target, a FIFO queue without its message group, a dead-letter queue that is not a standard SQS queue of the
     * bus's region. What fits is accepted, even when its resource does not exist yet.
     */
    @Test
    void putTargetsRefusesParametersAndDeadLetterQueuesThatDoNotFitTheTarget() {
        Busbar b = bus();
        b.putRule(PutRuleRequest.pattern("r", "{\"source\":[\"x\"]}"));
        String lambda = "arn:aws:lambda:us-east-1:123456789012:function:f";
        String queue = "arn:aws:sqs:us-east-1:123456789012:q";
        String fifo = "arn:aws:sqs:us-east-1:123456789012:q.fifo";
        String destination = "arn:aws:events:us-east-1:123456789012:api-destination/d";
        String group = "{\"MessageGroupId\":\"g\"}";
        String http = "{\"HeaderParameters\":{\"h\":\"v\"}}";
        assertRefused(b, new Target("t", lambda, null, null, null, null, java.util.Map.of("SqsParameters", group)),
                "Parameter(s) SqsParameters not valid for target: t.");
        assertRefused(b, new Target("t", queue, null, null, null, null, java.util.Map.of("HttpParameters", http)),
                "Parameter(s) HttpParameters not valid for target: t.");
        assertRefused(b, new Target("t", queue, null, null, null, null,
                java.util.Map.of("KinesisParameters", "{\"PartitionKeyPath\":\"$.id\"}")),
                "Parameter(s) KinesisParameters not valid for target: t.");
        assertRefused(b, Target.of("t", fifo), "Parameter(s) SqsParameters must be specified for target: t.");
        assertRefused(b, new Target("t", lambda, null, null, null, new DeadLetterConfig(lambda), null),
                "Target t is not valid: DeadLetterConfig.Arn " + lambda + " is not the ARN of an SQS queue"
                        + " (a dead-letter queue is a standard SQS queue)");
        assertRefused(b, new Target("t", lambda, null, null, null, new DeadLetterConfig(fifo), null),
                "Target t is not valid: DeadLetterConfig.Arn " + fifo + " is a FIFO queue"
                        + " (a dead-letter queue is a standard SQS queue)");
        String elsewhere = "arn:aws:sqs:eu-west-1:123456789012:dlq";
        assertRefused(b, new Target("t", lambda, null, null, null, new DeadLetterConfig(elsewhere), null),
                "Target t is not valid: DeadLetterConfig.Arn " + elsewhere + " is in region eu-west-1"
                        + " (a dead-letter queue is in the rule's region, us-east-1)");
        assertTrue(b.listTargetsByRule(null, "r").isEmpty(), "nothing refused was put");

        List<Target> fitting = List.of(
                new Target("fifo", fifo, null, null, null, new DeadLetterConfig(queue),
                        java.util.Map.of("SqsParameters", group)),
                new Target("api", destination, null, null, null, null, java.util.Map.of("HttpParameters", http)),
                new Target("gateway", "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/POST/orders", null, null,
                        null, null, java.util.Map.of("HttpParameters", http)));
        b.putTargets(null, "r", fitting);
        assertEquals(fitting, b.listTargetsByRule(null, "r"));
    }

    /**
     * A bus ARN of another account or region names a bus that is not here, even when a bus here has its name: it
     * is not found, and events put to it are accepted and dropped, as for any bus that does not exist (spec 1.3).
     */
    @Test
    void aBusArnOfAnotherAccountOrRegionIsNotTheBusOfThatNameHere() {
        Busbar b = bus();
        b.createEventBus("orders", null);
        b.putRule(new PutRuleRequest("all", "orders", "{\"source\":[\"shop\"]}", null, null, null, null));
        InMemoryQueue q = b.queue("q");
        b.putTargets("orders", "all", List.of(Target.of("q", q.arn())));
        String local = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
        assertEquals("orders", b.describeEventBus(local).name());
        for (String foreign : List.of("arn:aws:events:eu-west-1:123456789012:event-bus/orders",
                "arn:aws:events:us-east-1:999999999999:event-bus/orders")) {
            BusbarException e = assertThrows(BusbarException.class, () -> b.describeEventBus(foreign));
            assertEquals("ResourceNotFoundException", e.errorCode());
            assertEquals("Event bus " + foreign + " does not exist.", e.getMessage());
            assertThrows(BusbarException.class, () -> b.putRule(new PutRuleRequest("r", foreign,
                    "{\"source\":[\"shop\"]}", null, null, null, null)));
            PutEventsResult r = b.putEvents(List.of(new PutEventsEntry("shop", "Order", "{}", null, null, foreign,
                    null)));
            assertEquals(0, r.failedEntryCount());
            b.deleteEventBus(foreign); // nothing here to delete
        }
        assertTrue(q.receive(10).isEmpty(), "nothing put to another account's or region's bus reached this one");
        b.putEvents(List.of(new PutEventsEntry("shop", "Order", "{}", null, null, local, null)));
        assertEquals(1, q.receive(10).size());
        assertEquals("orders", b.describeEventBus("orders").name());
    }

    private static void assertRefused(Busbar b, Target t, String message) {
        TargetValidationException e = assertThrows(TargetValidationException.class,
                () -> b.putTargets(null, "r", List.of(t)));
        assertEquals(message, e.getMessage());
        assertEquals("ValidationException", e.errorCode());
    }

    @Test
    void connectionsAndApiDestinations() {
        Busbar b = bus();
        ConnectionAuth basic = new ConnectionAuth(ConnectionAuth.AuthorizationType.BASIC,
                new ConnectionAuth.Basic("u", "secret"), null, null, new ConnectionAuth.InvocationParameters(
                List.of(new HttpParameter("X-Token", "t0p", true)), null, null));
        Connection c = b.createConnection("conn", null, basic);
        assertEquals("AUTHORIZED", c.state());
        assertTrue(c.arn().startsWith("arn:aws:events:us-east-1:123456789012:connection/conn/"), c.arn());
        assertNull(c.auth().redacted().basic().password());
        assertEquals("", c.auth().redacted().invocationParams().headers().get(0).value());
        assertEquals("secret", b.describeConnection("conn").auth().basic().password());
        assertThrows(BusbarException.class, () -> b.createConnection("conn", null, basic));
        assertThrows(BusbarException.class, () -> new ConnectionAuth(ConnectionAuth.AuthorizationType.API_KEY,
                new ConnectionAuth.Basic("u", "p"), null, null, null));
        ApiDestination d = b.createApiDestination("dest", null, c.arn(), "http://localhost:8080/orders/*", "POST", null);
        assertEquals(300, d.invocationRateLimitPerSecond());
        assertEquals("ACTIVE", d.state());
        BusbarException e = assertThrows(BusbarException.class,
                () -> b.createApiDestination("x", null, c.arn(), "http://h/", "TRACE", 1));
        assertTrue(e.getMessage().contains("httpMethod"), e.getMessage());
        assertThrows(BusbarException.class, () -> b.createApiDestination("y", null, "arn:nope", "http://h/", "GET", 1));
        assertEquals(5, b.updateApiDestination("dest", null, null, null, null, 5).invocationRateLimitPerSecond());
        assertEquals(List.of("dest"), b.listApiDestinations(null, c.arn()).stream().map(ApiDestination::name).toList());
        b.deleteApiDestination("dest");
        e = assertThrows(BusbarException.class, () -> b.describeApiDestination("dest"));
        assertEquals("ResourceNotFoundException", e.errorCode());
        assertEquals("DELETING", b.deleteConnection("conn").state());
        assertEquals(List.of(), b.listConnections(null));
    }
}
