package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.testing.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Archives and replay on the embedded bus (spec 8.2, 8.3), driven by a manual clock. */
@Timeout(30)
class ArchivesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ACCOUNT_PREFIX = "arn:aws:events:us-east-1:123456789012:";
    private static final String DEFAULT_BUS = ACCOUNT_PREFIX + "event-bus/default";
    private static final String ALL = "{\"source\":[{\"prefix\":\"\"}]}";

    private final ManualClock clock = new ManualClock(T0.plusSeconds(3600));
    private final List<Busbar> open = new ArrayList<>();

    private Busbar.Builder builder() {
        return Busbar.builder().clock(clock).executor(Runnable::run).autoTick(false).serviceLoader(false);
    }

    private Busbar bus(Busbar.Builder b) {
        Busbar bus = b.build();
        open.add(bus);
        return bus;
    }

    private Busbar bus() {
        return bus(builder());
    }

    @AfterEach
    void close() {
        open.forEach(b -> b.close(Duration.ZERO));
    }

    private static PutEventsEntry event(String source, Instant time, String detail) {
        return new PutEventsEntry(source, "test", detail, null, time, null, null);
    }

    private static void put(Busbar b, PutEventsEntry... entries) {
        assertEquals(0, b.putEvents(List.of(entries)).failedEntryCount());
    }

    private static String archiveArn(String name) {
        return ACCOUNT_PREFIX + "archive/" + name;
    }

    /** Runs the replay's steps until it has ended. */
    private static Replay finish(Busbar b, String replay) {
        for (int i = 0; i < 100 && b.describeReplay(replay).state().active(); i++) {
            b.runDueTasks();
        }
        return b.describeReplay(replay);
    }

    private static List<JsonNode> drain(InMemoryQueue q) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (QueueMessage m : q.receive(10_000)) {
            out.add(JSON.readTree(m.body()));
        }
        return out;
    }

    private static void assertError(String code, String message, Runnable call) {
        BusbarException e = assertThrows(BusbarException.class, call::run);
        assertEquals(code, e.errorCode(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    // ---------------------------------------------------------------- archiving

    @Test
    void archivesTheEventsOfItsBusThatMatchItsPattern() throws Exception {
        Busbar b = bus();
        b.createEventBus("orders", null);
        String ordersArn = b.busArn("orders");
        Archive all = b.createArchive("all", ordersArn, "every order", null, null);
        assertEquals(archiveArn("all"), all.arn());
        assertEquals(ArchiveState.ENABLED, all.state());
        assertEquals(clock.instant(), all.created());
        assertEquals(0, all.eventCount());
        assertEquals(0, all.retentionDays());
        b.createArchive("big", ordersArn, null, "{\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}", 7);
        b.createArchive("defaults", DEFAULT_BUS, null, null, null);
        InMemoryQueue seen = b.queue("seen");
        b.putRule(PutRuleRequest.pattern("seen", ALL).onBus("orders"));
        b.putTargets("orders", "seen", List.of(Target.of("q", seen.arn())));

        put(b, event("shop", null, "{\"total\":150}").onBus("orders"),
                event("shop", null, "{\"total\":5}").onBus("orders"),
                event("shop", null, "{\"total\":500}"));

        long size = 0;
        for (QueueMessage m : seen.receive(10)) {
            size += m.body().getBytes(StandardCharsets.UTF_8).length;
        }
        Archive a = b.describeArchive("all");
        assertEquals(2, a.eventCount());
        assertEquals(size, a.sizeBytes(), "SizeBytes is the size of the archived events' JSON");
        assertEquals("every order", a.description());
        assertNull(a.eventPattern());
        Archive big = b.describeArchive("big");
        assertEquals(1, big.eventCount());
        assertEquals(7, big.retentionDays());
        assertEquals("{\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}", big.eventPattern());
        assertEquals(1, b.describeArchive("defaults").eventCount(), "only the events of its own bus");
    }

    @Test
    void updateChangesThePatternForLaterEventsAndKeepsWhatIsNotGiven() {
        Busbar b = bus();
        b.createArchive("a", DEFAULT_BUS, "first", "{\"source\":[\"x\"]}", 3);
        put(b, event("x", null, "{}"), event("y", null, "{}"));
        assertEquals(1, b.describeArchive("a").eventCount());
        Archive u = b.updateArchive("a", null, "{\"source\":[\"y\"]}", null);
        assertEquals("first", u.description());
        assertEquals(3, u.retentionDays());
        assertEquals("{\"source\":[\"y\"]}", u.eventPattern());
        put(b, event("x", null, "{}"), event("y", null, "{}"));
        assertEquals(2, b.describeArchive("a").eventCount());
        assertEquals("second", b.updateArchive("a", "second", null, null).description());
        assertEquals(0, b.updateArchive("a", null, null, 0).retentionDays());
    }

    @Test
    void listsArchivesByPrefixBusAndStateInPages() {
        Busbar b = bus();
        b.createEventBus("orders", null);
        b.createArchive("orders-1", b.busArn("orders"), null, null, null);
        b.createArchive("orders-2", b.busArn("orders"), null, null, null);
        b.createArchive("other", DEFAULT_BUS, null, null, null);
        assertEquals(List.of("orders-1", "orders-2"),
                b.listArchives("orders", null, null, null, null).items().stream().map(Archive::name).toList());
        assertEquals(List.of("other"),
                b.listArchives(null, DEFAULT_BUS, null, null, null).items().stream().map(Archive::name).toList());
        assertEquals(3, b.listArchives(null, null, ArchiveState.ENABLED, null, null).items().size());
        assertEquals(0, b.listArchives(null, null, ArchiveState.DISABLED, null, null).items().size());
        Page<Archive> first = b.listArchives(null, null, null, 2, null);
        assertEquals(2, first.items().size());
        Page<Archive> second = b.listArchives(null, null, null, 2, first.nextToken());
        assertEquals(List.of("other"), second.items().stream().map(Archive::name).toList());
        assertNull(second.nextToken());
        assertError(BusbarException.RESOURCE_NOT_FOUND, "Event bus nope does not exist.",
                () -> b.listArchives(null, ACCOUNT_PREFIX + "event-bus/nope", null, null, null));
    }

    @Test
    void deleteRemovesTheArchiveAndItsEvents() {
        Busbar b = bus();
        b.createArchive("a", DEFAULT_BUS, null, null, null);
        put(b, event("x", null, "{}"));
        b.deleteArchive("a");
        assertError(BusbarException.RESOURCE_NOT_FOUND, "Archive a does not exist.", () -> b.describeArchive("a"));
        b.createArchive("a", DEFAULT_BUS, null, null, null);
        assertEquals(0, b.describeArchive("a").eventCount(), "a new archive of the same name starts empty");
    }

    @Test
    void everyArchiveValidationErrorNamesTheFieldInEventBridgesWords() {
        Busbar b = bus();
        b.createArchive("a", DEFAULT_BUS, null, null, null);
        assertError("ResourceAlreadyExistsException", "Archive a already exists.",
                () -> b.createArchive("a", DEFAULT_BUS, null, null, null));
        assertError("ResourceNotFoundException", "Event bus nope does not exist.",
                () -> b.createArchive("b", ACCOUNT_PREFIX + "event-bus/nope", null, null, null));
        assertError("ResourceNotFoundException", "Event bus default does not exist.",
                () -> b.createArchive("b", "arn:aws:events:eu-west-1:123456789012:event-bus/default", null, null,
                        null));
        assertError("ValidationException", "Parameter EventSourceArn is not valid. Reason: "
                        + archiveArn("a") + " is not the ARN of an event bus.",
                () -> b.createArchive("b", archiveArn("a"), null, null, null));
        String longName = "n".repeat(49);
        assertError("ValidationException", "1 validation error detected: Value '" + longName
                        + "' at 'archiveName' failed to satisfy constraint: Member must have length less than or "
                        + "equal to 48",
                () -> b.createArchive(longName, DEFAULT_BUS, null, null, null));
        assertError("ValidationException", "1 validation error detected: Value 'a b' at 'archiveName' failed to "
                        + "satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
                () -> b.createArchive("a b", DEFAULT_BUS, null, null, null));
        assertError("ValidationException", "1 validation error detected: Value '-1' at 'retentionDays' failed to "
                        + "satisfy constraint: Member must have value greater than or equal to 0",
                () -> b.createArchive("b", DEFAULT_BUS, null, null, -1));
        assertError("ValidationException", "1 validation error detected: Value '" + "d".repeat(513)
                        + "' at 'description' failed to satisfy constraint: Member must have length less than or "
                        + "equal to 512",
                () -> b.createArchive("b", DEFAULT_BUS, "d".repeat(513), null, null));
        BusbarException bad = assertThrows(BusbarException.class,
                () -> b.createArchive("b", DEFAULT_BUS, null, "{\"source\":\"x\"}", null));
        assertEquals("InvalidEventPatternException", bad.errorCode());
        assertTrue(bad.getMessage().startsWith("Event pattern is not valid. Reason: "), bad.getMessage());
        assertThrows(BusbarException.class, () -> b.updateArchive("a", null, "{\"source\":\"x\"}", null));
        assertError("ValidationException",
                "At least one of EventPattern, RetentionDays or Description must be provided.",
                () -> b.updateArchive("a", null, null, null));
        assertError("ResourceNotFoundException", "Archive nope does not exist.", () -> b.describeArchive("nope"));
        assertError("ResourceNotFoundException", "Archive nope does not exist.",
                () -> b.updateArchive("nope", "d", null, null));
        assertError("ResourceNotFoundException", "Archive nope does not exist.", () -> b.deleteArchive("nope"));
        assertEquals(List.of("a"), b.listArchives(null, null, null, null, null).items().stream()
                .map(Archive::name).toList(), "no refused call left an archive behind");
    }

    @Test
    void retentionRemovesEventsOlderThanItsDaysByEventTime() {
        Busbar b = bus();
        b.createArchive("week", DEFAULT_BUS, null, null, 1);
        b.createArchive("forever", DEFAULT_BUS, null, null, null);
        Instant now = clock.instant();
        put(b, event("x", now.minus(Duration.ofDays(2)), "{\"n\":1}"), event("x", now, "{\"n\":2}"));
        Archive before = b.describeArchive("week");
        assertEquals(2, before.eventCount());

        clock.advance(Archives.SWEEP_INTERVAL);
        b.runDueTasks();
        Archive after = b.describeArchive("week");
        assertEquals(1, after.eventCount(), "the event two days old is gone");
        assertTrue(after.sizeBytes() < before.sizeBytes() && after.sizeBytes() > 0);

        clock.advance(Duration.ofDays(1));
        b.runDueTasks();
        assertEquals(0, b.describeArchive("week").eventCount());
        assertEquals(0, b.describeArchive("week").sizeBytes());
        assertEquals(2, b.describeArchive("forever").eventCount(), "RetentionDays 0 keeps events indefinitely");
    }

    @Test
    void onlyATopLevelReplayNameMarksAReplayedEvent() {
        Busbar b = bus();
        b.createArchive("a", DEFAULT_BUS, null, null, null);
        put(b, event("x", null, "{\"replay-name\":\"not a replay\",\"x\":{\"replay-name\":1}}"));
        assertEquals(1, b.describeArchive("a").eventCount());
    }

    @Test
    void onlyArchivesWithARetentionPlanTheHourlySweep() {
        Busbar b = bus();
        b.createArchive("forever", DEFAULT_BUS, null, null, null);
        clock.advance(Archives.SWEEP_INTERVAL.multipliedBy(2));
        assertEquals(0, b.runDueTasks(), "no timed work for archives that keep events indefinitely");
        b.updateArchive("forever", null, null, 1);
        clock.advance(Archives.SWEEP_INTERVAL);
        assertEquals(1, b.runDueTasks());
        clock.advance(Archives.SWEEP_INTERVAL);
        assertEquals(1, b.runDueTasks(), "the sweep plans the next one");
    }

    // ---------------------------------------------------------------- replay

    /** An archive on the default bus with an event at each of the given offsets (seconds) from T0. */
    private static void archiveAt(Busbar b, String archive, int... seconds) {
        b.createArchive(archive, DEFAULT_BUS, null, null, null);
        for (int s : seconds) {
            put(b, event("shop", T0.plusSeconds(s), "{\"at\":" + s + "}"));
        }
    }

    @Test
    void replaysTheEventsInTheWindowInEventTimeOrderWithReplayName() throws Exception {
        Busbar b = bus();
        archiveAt(b, "a", 120, 60, 30, 0, 59);
        InMemoryQueue q = b.queue("q");
        b.putRule(PutRuleRequest.pattern("all", ALL));
        b.putTargets(null, "all", List.of(Target.of("q", q.arn())));

        Replay r = b.startReplay("r1", "again", archiveArn("a"), T0.plusSeconds(30), T0.plusSeconds(120),
                ReplayDestination.bus(DEFAULT_BUS));
        assertEquals(ReplayState.STARTING, r.state());
        assertEquals(ACCOUNT_PREFIX + "replay/r1", r.arn());
        assertEquals(clock.instant(), r.replayStartTime());
        assertEquals(0, q.size(), "nothing is sent before the replay's first step");

        Replay done = finish(b, "r1");
        assertEquals(ReplayState.COMPLETED, done.state());
        assertEquals(clock.instant(), done.replayEndTime());
        assertEquals(T0.plusSeconds(60), done.eventLastReplayedTime());
        List<QueueMessage> msgs = q.receive(100);
        List<Integer> at = new ArrayList<>();
        for (QueueMessage m : msgs) {
            JsonNode e = JSON.readTree(m.body());
            at.add(e.at("/detail/at").asInt());
            assertEquals("r1", e.get("replay-name").asText());
            List<String> fields = new ArrayList<>();
            e.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("version", "id", "detail-type", "source", "account", "time", "region",
                    "replay-name", "resources", "detail"), fields);
        }
        assertEquals(List.of(30, 59, 60), at, "[start, end), in event-time order");
        assertEquals(5, b.describeArchive("a").eventCount(), "replayed events are not archived again");
    }

    @Test
    void replayedEventsKeepTheirIdAndTime() throws Exception {
        Busbar b = bus();
        b.createArchive("a", DEFAULT_BUS, null, null, null);
        PutEventsResult put = b.putEvents(List.of(event("shop", T0, "{}")));
        InMemoryQueue q = b.queue("q");
        b.putRule(PutRuleRequest.pattern("all", ALL));
        b.putTargets(null, "all", List.of(Target.of("q", q.arn())));
        b.startReplay("r", null, archiveArn("a"), T0, T0.plusSeconds(1), ReplayDestination.bus(DEFAULT_BUS));
        finish(b, "r");
        JsonNode e = drain(q).get(0);
        assertEquals(put.entries().get(0).eventId(), e.get("id").asText());
        assertEquals("2026-01-01T00:00:00Z", e.get("time").asText());
    }

    @Test
    void filterArnsLimitTheReplayToThoseRulesAndRulesCanIgnoreReplays() throws Exception {
        Busbar b = bus();
        archiveAt(b, "a", 0);
        InMemoryQueue one = b.queue("one");
        InMemoryQueue two = b.queue("two");
        InMemoryQueue live = b.queue("live");
        Rule r1 = b.putRule(PutRuleRequest.pattern("one", ALL));
        b.putTargets(null, "one", List.of(Target.of("q", one.arn())));
        b.putRule(PutRuleRequest.pattern("two", ALL));
        b.putTargets(null, "two", List.of(Target.of("q", two.arn())));
        b.putRule(PutRuleRequest.pattern("live", "{\"replay-name\":[{\"exists\":false}]}"));
        b.putTargets(null, "live", List.of(Target.of("q", live.arn())));

        b.startReplay("only-one", null, archiveArn("a"), T0, T0.plusSeconds(60),
                new ReplayDestination(DEFAULT_BUS, List.of(r1.arn())));
        assertEquals(ReplayState.COMPLETED, finish(b, "only-one").state());
        assertEquals(1, one.receive(10).size());
        assertEquals(0, two.size());
        assertEquals(0, live.size());

        b.startReplay("every-rule", null, archiveArn("a"), T0, T0.plusSeconds(60), ReplayDestination.bus(DEFAULT_BUS));
        finish(b, "every-rule");
        assertEquals(1, one.size());
        assertEquals(1, two.size());
        assertEquals(0, live.size(), "a rule matching {\"replay-name\":[{\"exists\":false}]} ignores replays");
    }

    /**
     * A bus whose rule {@code all} sends every event to queue {@code q} one at a time, with room for one more
     * queued, and runs deliveries only when the test runs {@code executor}; archive {@code a} has an event at each
     * offset (seconds) from T0.
     */
    private Busbar throttled(ManualExecutor executor, int... seconds) {
        Busbar b = bus(builder().executor(executor).targetConcurrency(1).targetQueueCapacity(1));
        archiveAt(b, "a", seconds);
        b.putRule(PutRuleRequest.pattern("all", ALL));
        b.putTargets(null, "all", List.of(Target.of("q", b.queue("q").arn())));
        return b;
    }

    @Test
    void replayIsPacedByTheTargetQueuesAndGoesThroughTheStates() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        Busbar b = throttled(executor, 0, 1, 2, 3, 4);
        InMemoryQueue q = b.queue("q");

        b.startReplay("r", null, archiveArn("a"), T0, T0.plusSeconds(60), ReplayDestination.bus(DEFAULT_BUS));
        assertEquals(ReplayState.STARTING, b.describeReplay("r").state());
        b.runDueTasks();
        Replay running = b.describeReplay("r");
        assertEquals(ReplayState.RUNNING, running.state(), "one delivery in flight and one queued: the queue is full");
        assertEquals(T0.plusSeconds(1), running.eventLastReplayedTime());
        assertNull(running.replayEndTime());

        for (int i = 0; i < 10 && b.describeReplay("r").state() == ReplayState.RUNNING; i++) {
            executor.runAll();
            clock.advance(Replays.FULL_QUEUE_PAUSE);
            b.runDueTasks();
        }
        executor.runAll();
        Replay done = b.describeReplay("r");
        assertEquals(ReplayState.COMPLETED, done.state());
        assertEquals(T0.plusSeconds(4), done.eventLastReplayedTime());
        assertEquals(List.of(0, 1, 2, 3, 4), drain(q).stream().map(e -> e.at("/detail/at").asInt()).toList(),
                "nothing dropped while the queue was full");
    }

    @Test
    void cancelStopsAReplayAtItsNextStepAndOnlyFromStartingOrRunning() {
        ManualExecutor executor = new ManualExecutor();
        Busbar b = throttled(executor, 0, 1, 2, 3, 4);
        InMemoryQueue q = b.queue("q");
        b.startReplay("r", null, archiveArn("a"), T0, T0.plusSeconds(60), ReplayDestination.bus(DEFAULT_BUS));
        b.runDueTasks();
        assertEquals(ReplayState.RUNNING, b.describeReplay("r").state());

        Replay cancelling = b.cancelReplay("r");
        assertEquals(ReplayState.CANCELLING, cancelling.state());
        assertEquals(ReplayState.CANCELLING, b.describeReplay("r").state());
        assertError("IllegalStatusException", "Replay r cannot be cancelled in state CANCELLING.",
                () -> b.cancelReplay("r"));
        executor.runAll();
        clock.advance(Replays.FULL_QUEUE_PAUSE);
        b.runDueTasks();
        Replay cancelled = b.describeReplay("r");
        assertEquals(ReplayState.CANCELLED, cancelled.state());
        assertNotNull(cancelled.replayEndTime());
        executor.runAll();
        assertEquals(2, q.receive(10).size(), "no event after the cancel");
        assertError("IllegalStatusException", "Replay r cannot be cancelled in state CANCELLED.",
                () -> b.cancelReplay("r"));

        b.startReplay("starting", null, archiveArn("a"), T0, T0.plusSeconds(1), ReplayDestination.bus(DEFAULT_BUS));
        assertEquals(ReplayState.CANCELLING, b.cancelReplay("starting").state());
        b.runDueTasks();
        assertEquals(ReplayState.CANCELLED, b.describeReplay("starting").state());
        assertError("ResourceNotFoundException", "Replay nope does not exist.", () -> b.cancelReplay("nope"));
    }

    @Test
    void aReplayWhoseArchiveIsDeletedFails() {
        ManualExecutor executor = new ManualExecutor();
        Busbar b = throttled(executor, 0, 1, 2, 3);
        b.startReplay("r", null, archiveArn("a"), T0, T0.plusSeconds(60), ReplayDestination.bus(DEFAULT_BUS));
        b.runDueTasks();
        b.deleteArchive("a");
        executor.runAll();
        clock.advance(Replays.FULL_QUEUE_PAUSE);
        b.runDueTasks();
        Replay failed = b.describeReplay("r");
        assertEquals(ReplayState.FAILED, failed.state());
        assertEquals("Archive a does not exist.", failed.stateReason());
        assertNotNull(failed.replayEndTime());
    }

    @Test
    void everyStartReplayErrorHasEventBridgesMessage() {
        Busbar b = bus();
        b.createEventBus("orders", null);
        b.createArchive("orders", b.busArn("orders"), null, null, null);
        archiveAt(b, "a", 0);
        ReplayDestination dest = ReplayDestination.bus(DEFAULT_BUS);
        Instant end = T0.plusSeconds(60);
        assertError("ValidationException", "Parameter EventSourceArn is not valid. Reason: Archive nope does not "
                + "exist.", () -> b.startReplay("r", null, archiveArn("nope"), T0, end, dest));
        assertError("ValidationException", "Parameter EventEndTime is not valid. Reason: EventStartTime must be "
                + "before EventEndTime.", () -> b.startReplay("r", null, archiveArn("a"), T0, T0, dest));
        assertError("ValidationException", "Parameter EventEndTime is not valid. Reason: EventStartTime must be "
                + "before EventEndTime.", () -> b.startReplay("r", null, archiveArn("a"), end, T0, dest));
        assertError("ValidationException", "Parameter Destination.Arn is not valid. Reason: Cross event bus replay "
                + "is not permitted.", () -> b.startReplay("r", null, archiveArn("orders"), T0, end, dest));
        assertError("ResourceNotFoundException", "Event bus nope does not exist.", () -> b.startReplay("r", null,
                archiveArn("a"), T0, end, ReplayDestination.bus(ACCOUNT_PREFIX + "event-bus/nope")));
        assertError("ValidationException", "1 validation error detected: Value '" + "r".repeat(65)
                + "' at 'replayName' failed to satisfy constraint: Member must have length less than or equal to 64",
                () -> b.startReplay("r".repeat(65), null, archiveArn("a"), T0, end, dest));
        assertError("ValidationException", "1 validation error detected: Value null at 'eventStartTime' failed to "
                + "satisfy constraint: Member must not be null",
                () -> b.startReplay("r", null, archiveArn("a"), null, end, dest));

        for (int i = 0; i < Replays.MAX_ACTIVE; i++) {
            b.startReplay("r" + i, null, archiveArn("a"), T0, end, dest);
        }
        assertError("ResourceAlreadyExistsException", "Replay r0 already exists.",
                () -> b.startReplay("r0", null, archiveArn("a"), T0, end, dest));
        assertError("LimitExceededException", "The requested resource exceeds the maximum number allowed.",
                () -> b.startReplay("r10", null, archiveArn("a"), T0, end, dest));
        finish(b, "r0");
        b.startReplay("r10", null, archiveArn("a"), T0, end, dest);
        assertError("ResourceNotFoundException", "Replay nope does not exist.", () -> b.describeReplay("nope"));
    }

    @Test
    void listsReplaysByPrefixStateAndArchiveInPages() {
        Busbar b = bus();
        archiveAt(b, "a", 0);
        b.createArchive("other", DEFAULT_BUS, null, null, null);
        ReplayDestination dest = ReplayDestination.bus(DEFAULT_BUS);
        b.startReplay("x-1", "d", archiveArn("a"), T0, T0.plusSeconds(1), dest);
        b.startReplay("x-2", null, archiveArn("other"), T0, T0.plusSeconds(1), dest);
        finish(b, "x-1");
        b.startReplay("y", null, archiveArn("a"), T0, T0.plusSeconds(1), dest);
        assertEquals(List.of("x-1", "x-2"), names(b.listReplays("x", null, null, null, null)));
        assertEquals(List.of("x-1", "x-2"), names(b.listReplays(null, ReplayState.COMPLETED, null, null, null)));
        assertEquals(List.of("y"), names(b.listReplays(null, ReplayState.STARTING, null, null, null)));
        assertEquals(List.of("x-1", "y"), names(b.listReplays(null, null, archiveArn("a"), null, null)));
        Page<Replay> first = b.listReplays(null, null, null, 1, null);
        assertEquals(List.of("x-1"), names(first));
        assertEquals(List.of("x-2"), names(b.listReplays(null, null, null, 1, first.nextToken())));
        Replay d = b.describeReplay("x-1");
        assertEquals("d", d.description());
        assertEquals(archiveArn("a"), d.eventSourceArn());
        assertEquals(dest, d.destination());
        assertEquals(T0, d.eventStartTime());
        assertEquals(T0.plusSeconds(1), d.eventEndTime());
    }

    private static List<String> names(Page<Replay> page) {
        return page.items().stream().map(Replay::name).toList();
    }

    @Test
    void eventsFromAnotherBusAreArchivedButReplayedOnesAreNot() {
        Busbar b = bus();
        b.createEventBus("copy", null);
        b.createArchive("source", DEFAULT_BUS, null, null, null);
        b.createArchive("copies", b.busArn("copy"), null, null, null);
        b.putRule(PutRuleRequest.pattern("forward", ALL));
        b.putTargets(null, "forward", List.of(Target.of("bus", b.busArn("copy"))));
        put(b, event("shop", T0, "{}"));
        assertEquals(1, b.describeArchive("copies").eventCount(), "an event forwarded to the bus is archived");

        b.startReplay("r", null, archiveArn("source"), T0, T0.plusSeconds(1), ReplayDestination.bus(DEFAULT_BUS));
        assertEquals(ReplayState.COMPLETED, finish(b, "r").state());
        assertEquals(1, b.describeArchive("source").eventCount());
        assertEquals(1, b.describeArchive("copies").eventCount(), "a replayed event forwarded is not archived");
    }

    // ---------------------------------------------------------------- files

    private static List<Path> segments(Path dataDir, String archive) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("archives").resolve(archive))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void aFileBackedArchiveAndItsReplaysComeBackInANewInstance(@TempDir Path dir) throws Exception {
        Busbar first = bus(builder().dataDirectory(dir));
        archiveAt(first, "a", 0, 1, 2);
        first.createArchive("filtered", DEFAULT_BUS, "kept", "{\"detail\":{\"at\":[1]}}", 30);
        put(first, event("shop", T0.plusSeconds(1), "{\"at\":1}"));
        first.startReplay("unfinished", null, archiveArn("a"), T0, T0.plusSeconds(60),
                ReplayDestination.bus(DEFAULT_BUS));
        Archive before = first.describeArchive("a");
        first.close(Duration.ZERO);

        Busbar second = bus(builder().dataDirectory(dir));
        Archive after = second.describeArchive("a");
        assertEquals(4, after.eventCount());
        assertEquals(before.sizeBytes(), after.sizeBytes());
        assertEquals(before.created(), after.created());
        Archive filtered = second.describeArchive("filtered");
        assertEquals("kept", filtered.description());
        assertEquals(30, filtered.retentionDays());
        assertEquals(1, filtered.eventCount());
        put(second, event("shop", T0.plusSeconds(1), "{\"at\":1}"), event("shop", T0.plusSeconds(3), "{\"at\":3}"));
        assertEquals(2, second.describeArchive("filtered").eventCount(), "its pattern came back too");

        InMemoryQueue q = second.queue("q");
        second.putRule(PutRuleRequest.pattern("all", ALL));
        second.putTargets(null, "all", List.of(Target.of("q", q.arn())));
        assertEquals(ReplayState.STARTING, second.describeReplay("unfinished").state());
        assertEquals(ReplayState.COMPLETED, finish(second, "unfinished").state(), "the active replay resumed");
        assertEquals(List.of(0, 1, 1, 1, 2, 3), drain(q).stream().map(e -> e.at("/detail/at").asInt()).toList());
    }

    @Test
    void aTornOrCorruptTailIsCutWhenTheArchiveIsOpened(@TempDir Path dir) throws Exception {
        Busbar first = bus(builder().dataDirectory(dir));
        archiveAt(first, "a", 0, 1, 2);
        long size = first.describeArchive("a").sizeBytes();
        first.close(Duration.ZERO);
        Path segment = segments(dir, "a").get(0);
        long valid = Files.size(segment);
        // A torn write: a header promising 100 bytes followed by 3 of them.
        Files.write(segment, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 9, 9, 9}, StandardOpenOption.APPEND);

        Busbar second = bus(builder().dataDirectory(dir));
        assertEquals(3, second.describeArchive("a").eventCount());
        assertEquals(size, second.describeArchive("a").sizeBytes());
        assertEquals(valid, Files.size(segment), "the torn record was cut");
        put(second, event("shop", T0.plusSeconds(3), "{\"at\":3}"));
        second.close(Duration.ZERO);

        // A flipped byte in the last record's JSON: that record fails its checksum and is cut.
        long withFour = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, withFour - 3);
            one.put(0, (byte) (one.get(0) ^ 0x20)).rewind();
            ch.write(one, withFour - 3);
        }
        Busbar third = bus(builder().dataDirectory(dir));
        assertEquals(3, third.describeArchive("a").eventCount());
        assertEquals(valid, Files.size(segment));
        InMemoryQueue q = third.queue("q");
        third.putRule(PutRuleRequest.pattern("all", ALL));
        third.putTargets(null, "all", List.of(Target.of("q", q.arn())));
        third.startReplay("r", null, archiveArn("a"), T0, T0.plusSeconds(60), ReplayDestination.bus(DEFAULT_BUS));
        finish(third, "r");
        assertEquals(List.of(0, 1, 2), drain(q).stream().map(e -> e.at("/detail/at").asInt()).toList());
    }

    @Test
    void retentionDeletesSegmentsWhoseEventsAllExpiredAndTheyStayExpired(@TempDir Path dir) throws Exception {
        Instant now = clock.instant();
        FileArchiveLog log = FileArchiveLog.open(dir.resolve("archives").resolve("x"), "x", null, 200);
        for (int i = 0; i < 6; i++) {
            log.append(now.minus(Duration.ofDays(10 - i)), "{\"n\":" + i + ",\"pad\":\"" + "p".repeat(100) + "\"}");
        }
        assertTrue(segments(dir, "x").size() >= 3, "small segments roll over");
        assertEquals(3, log.expireBefore(now.minus(Duration.ofDays(7))));
        assertEquals(3, log.eventCount());
        List<Path> left = segments(dir, "x");
        assertEquals(3, left.size(), "the segments of expired events are deleted");
        log.close();
        FileArchiveLog again = FileArchiveLog.open(dir.resolve("archives").resolve("x"), "x",
                now.minus(Duration.ofDays(6).plusSeconds(1)), 200);
        assertEquals(2, again.eventCount(), "events before the recorded cutoff stay expired");
        again.close();

        // Through the bus: the cutoff is recorded in the control store.
        Busbar first = bus(builder().dataDirectory(dir));
        first.createArchive("r", DEFAULT_BUS, null, null, 1);
        put(first, event("x", now.minus(Duration.ofDays(2)), "{}"), event("x", now, "{}"));
        clock.advance(Archives.SWEEP_INTERVAL);
        first.runDueTasks();
        assertEquals(1, first.describeArchive("r").eventCount());
        first.updateArchive("r", null, null, 0);
        first.close(Duration.ZERO);
        Busbar second = bus(builder().dataDirectory(dir));
        assertEquals(1, second.describeArchive("r").eventCount(), "a longer retention does not bring events back");
    }

    @Test
    void archiveNamesThatAreDotsGetTheirOwnDirectory(@TempDir Path dir) throws Exception {
        Busbar b = bus(builder().dataDirectory(dir));
        b.createArchive("..", DEFAULT_BUS, null, null, null);
        put(b, event("x", null, "{}"));
        assertEquals(1, b.describeArchive("..").eventCount());
        assertTrue(Files.isDirectory(dir.resolve("archives").resolve("%2E%2E")));
        List<Path> top;
        try (Stream<Path> s = Files.list(dir)) {
            top = s.sorted().toList();
        }
        // the archive's files stay inside archives/ (beside the bus's own control.log and events/)
        assertEquals(List.of(dir.resolve("archives"), dir.resolve("control.log"), dir.resolve("events")), top);
    }
}
