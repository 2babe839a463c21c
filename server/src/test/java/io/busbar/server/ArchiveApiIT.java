package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.Busbar;
import io.busbar.core.InMemoryQueue;
import io.busbar.core.QueueMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ArchiveState;
import software.amazon.awssdk.services.eventbridge.model.CancelReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.CreateArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.IllegalStatusException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.LimitExceededException;
import software.amazon.awssdk.services.eventbridge.model.ListArchivesResponse;
import software.amazon.awssdk.services.eventbridge.model.ListReplaysResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ReplayDestination;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** The nine archive and replay operations through the AWS SDK for Java v2, against a running server. */
@Timeout(60)
class ArchiveApiIT {
    private static final String PREFIX = "arn:aws:events:us-east-1:123456789012:";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static ServerFixture fixture;
    private static EventBridgeClient eb;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture();
        eb = fixture.client();
    }

    @AfterAll
    static void stop() {
        eb.close();
        fixture.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }

    private static PutEventsRequestEntry entry(String bus, Instant time, int n) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source("arch.shop").detailType("Order")
                .detail("{\"n\":" + n + "}").time(time).build();
    }

    private static String message(EventBridgeException e) {
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void archivesAreCreatedDescribedListedUpdatedAndDeleted() {
        eb.createEventBus(r -> r.name("arch-bus"));
        String busArn = PREFIX + "event-bus/arch-bus";
        CreateArchiveResponse created = eb.createArchive(r -> r.archiveName("arch-big").eventSourceArn(busArn)
                .description("big orders").eventPattern("{\"detail\":{\"n\":[{\"numeric\":[\">\",1]}]}}")
                .retentionDays(7));
        assertEquals(PREFIX + "archive/arch-big", created.archiveArn());
        assertEquals(ArchiveState.ENABLED, created.state());
        assertNotNull(created.creationTime());
        eb.createArchive(r -> r.archiveName("arch-all").eventSourceArn(busArn));

        eb.putEvents(r -> r.entries(entry("arch-bus", T0, 1), entry("arch-bus", T0, 2), entry("arch-bus", T0, 3)));

        DescribeArchiveResponse big = eb.describeArchive(r -> r.archiveName("arch-big"));
        assertEquals("arch-big", big.archiveName());
        assertEquals(PREFIX + "archive/arch-big", big.archiveArn());
        assertEquals(busArn, big.eventSourceArn());
        assertEquals("big orders", big.description());
        assertEquals("{\"detail\":{\"n\":[{\"numeric\":[\">\",1]}]}}", big.eventPattern());
        assertEquals(ArchiveState.ENABLED, big.state());
        assertEquals(7, big.retentionDays());
        assertEquals(2L, big.eventCount());
        assertTrue(big.sizeBytes() > 0);
        assertEquals(created.creationTime(), big.creationTime());
        assertEquals(3L, eb.describeArchive(r -> r.archiveName("arch-all")).eventCount());

        ListArchivesResponse page1 = eb.listArchives(r -> r.namePrefix("arch-").eventSourceArn(busArn)
                .state(ArchiveState.ENABLED).limit(1));
        assertEquals(List.of("arch-all"), page1.archives().stream().map(a -> a.archiveName()).toList());
        assertEquals(3L, page1.archives().get(0).eventCount());
        assertNotNull(page1.nextToken());
        ListArchivesResponse page2 = eb.listArchives(r -> r.namePrefix("arch-").limit(1)
                .nextToken(page1.nextToken()));
        assertEquals(List.of("arch-big"), page2.archives().stream().map(a -> a.archiveName()).toList());
        assertNull(page2.nextToken());

        eb.updateArchive(r -> r.archiveName("arch-big").retentionDays(30).description("bigger"));
        DescribeArchiveResponse updated = eb.describeArchive(r -> r.archiveName("arch-big"));
        assertEquals(30, updated.retentionDays());
        assertEquals("bigger", updated.description());
        assertEquals(big.eventPattern(), updated.eventPattern());

        EventBridgeException nothing = assertThrows(EventBridgeException.class,
                () -> eb.updateArchive(r -> r.archiveName("arch-big")));
        assertEquals("ValidationException", nothing.awsErrorDetails().errorCode());
        assertEquals("At least one of EventPattern, RetentionDays or Description must be provided.",
                message(nothing));
        assertEquals("Archive arch-all already exists.", message(assertThrows(ResourceAlreadyExistsException.class,
                () -> eb.createArchive(r -> r.archiveName("arch-all").eventSourceArn(busArn)))));
        assertEquals("Event bus arch-nope does not exist.", message(assertThrows(ResourceNotFoundException.class,
                () -> eb.createArchive(r -> r.archiveName("x").eventSourceArn(PREFIX + "event-bus/arch-nope")))));
        assertTrue(message(assertThrows(InvalidEventPatternException.class,
                () -> eb.createArchive(r -> r.archiveName("x").eventSourceArn(busArn).eventPattern("{\"a\":1}"))))
                .startsWith("Event pattern is not valid. Reason: "));
        EventBridgeException badName = assertThrows(EventBridgeException.class,
                () -> eb.createArchive(r -> r.archiveName("bad name").eventSourceArn(busArn).retentionDays(-1)));
        assertEquals("2 validation errors detected: Value 'bad name' at 'archiveName' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value '-1' at "
                + "'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0",
                message(badName));

        eb.deleteArchive(r -> r.archiveName("arch-big"));
        assertEquals("Archive arch-big does not exist.", message(assertThrows(ResourceNotFoundException.class,
                () -> eb.describeArchive(r -> r.archiveName("arch-big")))));
        assertEquals("Archive arch-big does not exist.", message(assertThrows(ResourceNotFoundException.class,
                () -> eb.deleteArchive(r -> r.archiveName("arch-big")))));
    }

    @Test
    void aReplayDeliversTheWindowToTheFilteredRulesTargetsWithReplayName() throws Exception {
        eb.createEventBus(r -> r.name("replay-bus"));
        String busArn = PREFIX + "event-bus/replay-bus";
        InMemoryQueue chosen = fixture.busbar.queue("replay-chosen");
        InMemoryQueue other = fixture.busbar.queue("replay-other");
        String ruleArn = eb.putRule(r -> r.name("chosen").eventBusName("replay-bus")
                .eventPattern("{\"source\":[\"arch.shop\"]}")).ruleArn();
        eb.putTargets(r -> r.rule("chosen").eventBusName("replay-bus")
                .targets(Target.builder().id("q").arn(chosen.arn()).build()));
        eb.putRule(r -> r.name("other").eventBusName("replay-bus").eventPattern("{\"source\":[\"arch.shop\"]}"));
        eb.putTargets(r -> r.rule("other").eventBusName("replay-bus")
                .targets(Target.builder().id("q").arn(other.arn()).build()));
        String archiveArn = eb.createArchive(r -> r.archiveName("replay-archive").eventSourceArn(busArn))
                .archiveArn();
        eb.putEvents(r -> r.entries(entry("replay-bus", T0.plusSeconds(90), 3), entry("replay-bus", T0, 1),
                entry("replay-bus", T0.plusSeconds(30), 2)));
        await(() -> chosen.size() == 3 && other.size() == 3);
        chosen.receive(10);
        other.receive(10);

        StartReplayResponse started = eb.startReplay(r -> r.replayName("replay-1").description("first minute")
                .eventSourceArn(archiveArn).eventStartTime(T0).eventEndTime(T0.plusSeconds(60))
                .destination(ReplayDestination.builder().arn(busArn).filterArns(ruleArn).build()));
        assertEquals(PREFIX + "replay/replay-1", started.replayArn());
        assertEquals(ReplayState.STARTING, started.state());
        assertNotNull(started.replayStartTime());

        await(() -> eb.describeReplay(r -> r.replayName("replay-1")).state() == ReplayState.COMPLETED);
        await(() -> chosen.size() == 2);
        List<Integer> replayed = new ArrayList<>();
        for (QueueMessage m : chosen.receive(10)) {
            JsonNode event = Json.MAPPER.readTree(m.body());
            assertEquals("replay-1", event.get("replay-name").asText());
            replayed.add(event.at("/detail/n").asInt());
        }
        replayed.sort(null); // sent in event-time order, but deliveries run in parallel
        assertEquals(List.of(1, 2), replayed, "the events of [start, end)");
        assertEquals(0, other.size(), "rules outside FilterArns get nothing");
        assertEquals(3L, eb.describeArchive(r -> r.archiveName("replay-archive")).eventCount(),
                "replayed events are not archived");

        DescribeReplayResponse d = eb.describeReplay(r -> r.replayName("replay-1"));
        assertEquals("replay-1", d.replayName());
        assertEquals(started.replayArn(), d.replayArn());
        assertEquals("first minute", d.description());
        assertEquals(archiveArn, d.eventSourceArn());
        assertEquals(busArn, d.destination().arn());
        assertEquals(List.of(ruleArn), d.destination().filterArns());
        assertEquals(T0, d.eventStartTime());
        assertEquals(T0.plusSeconds(60), d.eventEndTime());
        assertEquals(T0.plusSeconds(30), d.eventLastReplayedTime());
        assertEquals(started.replayStartTime(), d.replayStartTime());
        assertNotNull(d.replayEndTime());
        assertNull(d.stateReason());

        ListReplaysResponse list = eb.listReplays(r -> r.namePrefix("replay-").state(ReplayState.COMPLETED)
                .eventSourceArn(archiveArn).limit(10));
        assertEquals(List.of("replay-1"), list.replays().stream().map(x -> x.replayName()).toList());
        assertEquals(T0.plusSeconds(30), list.replays().get(0).eventLastReplayedTime());
        assertNull(list.nextToken());

        IllegalStatusException ended = assertThrows(IllegalStatusException.class,
                () -> eb.cancelReplay(r -> r.replayName("replay-1")));
        assertEquals("Replay replay-1 cannot be cancelled in state COMPLETED.", message(ended));
        assertEquals("Replay replay-1 already exists.", message(assertThrows(ResourceAlreadyExistsException.class,
                () -> eb.startReplay(r -> r.replayName("replay-1").eventSourceArn(archiveArn).eventStartTime(T0)
                        .eventEndTime(T0.plusSeconds(60)).destination(b -> b.arn(busArn))))));
        EventBridgeException unknown = assertThrows(EventBridgeException.class,
                () -> eb.startReplay(r -> r.replayName("replay-2").eventSourceArn(PREFIX + "archive/nope")
                        .eventStartTime(T0).eventEndTime(T0.plusSeconds(60)).destination(b -> b.arn(busArn))));
        assertEquals("ValidationException", unknown.awsErrorDetails().errorCode());
        assertEquals("Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.", message(unknown));
        assertEquals("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
                message(assertThrows(EventBridgeException.class, () -> eb.startReplay(r -> r.replayName("replay-2")
                        .eventSourceArn(archiveArn).eventStartTime(T0).eventEndTime(T0)
                        .destination(b -> b.arn(busArn))))));
        assertEquals("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
                message(assertThrows(EventBridgeException.class, () -> eb.startReplay(r -> r.replayName("replay-2")
                        .eventSourceArn(archiveArn).eventStartTime(T0).eventEndTime(T0.plusSeconds(1))
                        .destination(b -> b.arn(PREFIX + "event-bus/default"))))));
        assertEquals("Replay nope does not exist.", message(assertThrows(ResourceNotFoundException.class,
                () -> eb.describeReplay(r -> r.replayName("nope")))));
        EventBridgeException missing = assertThrows(EventBridgeException.class,
                () -> eb.startReplay(r -> r.replayName("replay-2").eventSourceArn(archiveArn)));
        assertEquals("3 validation errors detected: Value null at 'eventStartTime' failed to satisfy constraint: "
                + "Member must not be null; Value null at 'eventEndTime' failed to satisfy constraint: Member must "
                + "not be null; Value null at 'destination' failed to satisfy constraint: Member must not be null",
                message(missing));
    }

    /** A bus whose targets take one event at a time, so a replay can be held running and cancelled. */
    @Test
    void aRunningReplayIsCancelledAndTheLimitOfActiveReplaysHolds() throws Exception {
        try (ServerFixture slow = new ServerFixture(Busbar.builder().targetConcurrency(1).targetQueueCapacity(1),
                null); EventBridgeClient client = slow.client()) {
            CountDownLatch release = new CountDownLatch(1);
            List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            String fn = slow.busbar.registerFunction("held", delivery -> {
                received.add(delivery.payload());
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String busArn = PREFIX + "event-bus/default";
            String archiveArn = client.createArchive(r -> r.archiveName("held").eventSourceArn(busArn)).archiveArn();
            client.putEvents(r -> r.entries(entry(null, T0, 1), entry(null, T0, 2), entry(null, T0, 3),
                    entry(null, T0, 4)));
            client.putRule(r -> r.name("held").eventPattern("{\"source\":[\"arch.shop\"]}"));
            client.putTargets(r -> r.rule("held").targets(Target.builder().id("fn").arn(fn).build()));

            client.startReplay(r -> r.replayName("held").eventSourceArn(archiveArn).eventStartTime(T0)
                    .eventEndTime(T0.plusSeconds(1)).destination(b -> b.arn(busArn)));
            await(() -> client.describeReplay(r -> r.replayName("held")).state() == ReplayState.RUNNING
                    && received.size() == 1);
            CancelReplayResponse cancel = client.cancelReplay(r -> r.replayName("held"));
            assertEquals(PREFIX + "replay/held", cancel.replayArn());
            assertEquals(ReplayState.CANCELLING, cancel.state());
            await(() -> client.describeReplay(r -> r.replayName("held")).state() == ReplayState.CANCELLED);
            assertNotNull(client.describeReplay(r -> r.replayName("held")).replayEndTime());
            release.countDown();
            await(() -> received.size() == 2);
            Thread.sleep(200);
            assertEquals(2, received.size(), "the event in flight and the one queued; nothing after the cancel");
            assertEquals(ReplayState.CANCELLED, client.listReplays(r -> r.state(ReplayState.CANCELLED)).replays()
                    .get(0).state());

            // The limit: ten replays kept active by a target that does not return.
            CountDownLatch hold = new CountDownLatch(1);
            String blocked = slow.busbar.registerFunction("blocked", delivery -> {
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            client.removeTargets(r -> r.rule("held").ids("fn"));
            client.putTargets(r -> r.rule("held").targets(Target.builder().id("fn").arn(blocked).build()));
            for (int i = 0; i < 10; i++) {
                String name = "limit-" + i;
                client.startReplay(r -> r.replayName(name).eventSourceArn(archiveArn).eventStartTime(T0)
                        .eventEndTime(T0.plusSeconds(1)).destination(b -> b.arn(busArn)));
            }
            LimitExceededException limit = assertThrows(LimitExceededException.class,
                    () -> client.startReplay(r -> r.replayName("limit-10").eventSourceArn(archiveArn)
                            .eventStartTime(T0).eventEndTime(T0.plusSeconds(1)).destination(b -> b.arn(busArn))));
            assertEquals("The requested resource exceeds the maximum number allowed.", message(limit));
            for (int i = 0; i < 10; i++) {
                String name = "limit-" + i;
                client.cancelReplay(r -> r.replayName(name));
            }
            hold.countDown();
            await(() -> client.listReplays(r -> r.state(ReplayState.CANCELLED)).replays().size() == 11);
        }
    }
}
