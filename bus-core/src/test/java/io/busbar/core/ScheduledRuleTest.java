package io.busbar.core;

import io.busbar.testing.ManualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScheduledRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:30Z"));
    private final List<Busbar> open = new ArrayList<>();

    private Busbar bus() {
        Busbar b = Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false).build();
        open.add(b);
        return b;
    }

    @AfterEach
    void close() {
        open.forEach(b -> b.close(Duration.ZERO));
    }

    private static PutRuleRequest scheduled(String name, String expression) {
        return new PutRuleRequest(name, null, null, expression, null, null, null);
    }

    private void tickMinutes(Busbar b, int minutes) {
        for (int i = 0; i < minutes; i++) {
            clock.advance(Duration.ofMinutes(1));
            b.runDueTasks();
        }
    }

    @Test
    void aThousandMinutesFireExactlyOnceEach() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("ticks");
        b.putRule(scheduled("every-minute", "cron(* * * * ? *)"));
        b.putTargets(null, "every-minute", List.of(Target.of("q", q.arn())));
        long start = System.nanoTime();
        tickMinutes(b, 1000);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "a thousand scheduled minutes must not take long");
        List<QueueMessage> msgs = q.receive(2000);
        assertEquals(1000, msgs.size());
        Set<String> times = new TreeSet<>();
        for (QueueMessage m : msgs) {
            JsonNode e = JSON.readTree(m.body());
            assertEquals("Scheduled Event", e.get("detail-type").asText());
            assertEquals("aws.events", e.get("source").asText());
            assertEquals("arn:aws:events:us-east-1:123456789012:rule/every-minute", e.get("resources").get(0).asText());
            assertEquals(0, e.get("detail").size());
            times.add(e.get("time").asText());
        }
        assertEquals(1000, times.size(), "each minute once");
        assertEquals("2026-01-01T00:01:00Z", ((TreeSet<String>) times).first());
    }

    @Test
    void aClockJumpCatchesUpEveryMissedTimeOnce() throws Exception {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        b.putRule(scheduled("hourly", "cron(0 * * * ? *)"));
        b.putTargets(null, "hourly", List.of(Target.of("q", q.arn())));
        clock.advance(Duration.ofHours(5));
        b.runDueTasks();
        b.runDueTasks();
        List<String> times = new ArrayList<>();
        for (QueueMessage m : q.receive(100)) {
            times.add(JSON.readTree(m.body()).get("time").asText());
        }
        assertEquals(List.of("2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z",
                "2026-01-01T04:00:00Z", "2026-01-01T05:00:00Z"), times);
    }

    @Test
    void changingDisablingAndDeletingNeverDoubleFires() {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        b.putRule(scheduled("r", "rate(5 minutes)"));
        b.putTargets(null, "r", List.of(Target.of("q", q.arn())));
        tickMinutes(b, 10);
        assertEquals(2, q.receive(100).size());
        // Re-putting the same rule keeps its phase and does not add a second timer.
        b.putRule(scheduled("r", "rate(5 minutes)"));
        tickMinutes(b, 5);
        assertEquals(1, q.receive(100).size());
        b.disableRule(null, "r");
        tickMinutes(b, 20);
        assertEquals(0, q.size());
        b.enableRule(null, "r");
        tickMinutes(b, 5);
        assertEquals(1, q.receive(100).size());
        b.putRule(scheduled("r", "rate(1 hour)"));
        tickMinutes(b, 30);
        assertEquals(0, q.size(), "the old five-minute timer is gone");
        b.removeTargets(null, "r", List.of("q"));
        b.deleteRule(null, "r");
        assertEquals(0, b.scheduledRules());
    }

    @Test
    void scheduledEventsGoThroughInputTransformationAndOnlyToTheirRule() {
        Busbar b = bus();
        InMemoryQueue q = b.queue("q");
        InMemoryQueue other = b.queue("other");
        b.putRule(scheduled("r", "cron(0/10 * * * ? *)"));
        b.putTargets(null, "r", List.of(new Target("q", q.arn(), null,
                TargetInput.of("q", "{\"job\":\"cleanup\"}", null, null), null, null, null)));
        b.putRule(PutRuleRequest.pattern("all", "{\"source\":[{\"prefix\":\"\"}]}"));
        b.putTargets(null, "all", List.of(Target.of("o", other.arn())));
        tickMinutes(b, 10);
        assertEquals("{\"job\":\"cleanup\"}", q.receive(1).get(0).body());
        assertEquals(0, other.size(), "scheduled events are not matched against other rules");
    }

    @Test
    void invalidExpressionsAreRejectedWithEventBridgesMessage() {
        Busbar b = bus();
        for (String bad : List.of("rate(0 minutes)", "cron(0 1 * * * *)", "rate(1 minutes)", "cron(71 8 1 * ? *)",
                "at(2026-01-01T00:00:00)")) {
            BusbarException e = assertThrows(BusbarException.class, () -> b.putRule(scheduled("r", bad)), bad);
            assertEquals("ValidationException", e.errorCode());
            assertEquals("Parameter ScheduleExpression is not valid.", e.getMessage());
        }
    }
}
