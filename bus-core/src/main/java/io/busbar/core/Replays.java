package io.busbar.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.store.ControlStore;
import io.busbar.core.store.StoreException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Replays (spec 8.3): StartReplay, DescribeReplay, ListReplays, CancelReplay, and the running of each replay.
 *
 * <p>Implementation notes: a replay runs as a chain of steps on the bus's {@link DueTasks}, so it follows the
 * injected clock (a test drives it with {@code runDueTasks()}). The first step moves it from {@code STARTING} to
 * {@code RUNNING} and selects the archive's events whose time is in {@code [EventStartTime, EventEndTime)}, in
 * event-time order; each step then sends at most {@link #EVENTS_PER_STEP} of them through the destination bus's
 * rules (only the {@code FilterArns} rules when given) with {@code "replay-name"} added, and plans the next step at
 * once. Replay is therefore paced by the target queues alone: when a queue is full the step stops at that event and
 * tries it again {@link #FULL_QUEUE_PAUSE} later, so nothing is dropped. Event ids and times are the archived
 * ones. A cancelled replay stops at its next step; a replay whose archive or bus is gone fails there.
 *
 * <p>Each replay is a JSON document in the control store under {@code replay/<name>}, rewritten at each state change
 * and step with the event time from which to resume: the start of the one-minute bucket of the next event to send.
 * A new instance on the same store resumes active replays from there (so events of that bucket already sent may be
 * sent again: delivery is at least once, as in EventBridge), and finishes cancelling ones as {@code CANCELLED}.
 * Every method holds this object's lock. Thread-safe.
 */
final class Replays implements AutoCloseable {
    static final int MAX_ACTIVE = 10;
    static final int EVENTS_PER_STEP = 1_000;
    static final Duration FULL_QUEUE_PAUSE = Duration.ofMillis(100);
    private static final String KEY = "replay/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(Replays.class.getName());

    /** Sends a replayed event through a bus's rules; false when a target queue refused it. */
    @FunctionalInterface
    interface Sink {
        boolean send(String busName, String json, String id, Instant ingestion, Set<String> ruleArns);
    }

    /** A replay and its progress. */
    private static final class Run {
        Replay replay;
        /** Event time from which to resume after a restart. */
        Instant resumeFrom;
        /** The events still to send, selected at the first step (null before). */
        List<ArchiveLog.Ref> pending;
        ArchiveLog log;
        int next;

        Run(Replay replay, Instant resumeFrom) {
            this.replay = replay;
            this.resumeFrom = resumeFrom;
        }
    }

    private final Clock clock;
    private final String arnPrefix;
    private final DueTasks due;
    private final ControlStore store;
    private final Archives archives;
    private final Function<String, EventBus> buses;
    private final Sink sink;
    private final Map<String, Run> runs = new HashMap<>();
    private boolean closed;

    /** @param buses a bus by name or ARN, throwing {@code ResourceNotFoundException} when there is none */
    Replays(Clock clock, String account, String region, DueTasks due, ControlStore store, Archives archives,
            Function<String, EventBus> buses, Sink sink) {
        this.clock = clock;
        this.arnPrefix = "arn:aws:events:" + region + ":" + account + ":replay/";
        this.due = due;
        this.store = store;
        this.archives = archives;
        this.buses = buses;
        this.sink = sink;
        load();
    }

    // ---------------------------------------------------------------- control plane

    synchronized Replay start(String name, String description, String eventSourceArn, Instant eventStartTime,
                              Instant eventEndTime, ReplayDestination destination) {
        Names.check("replayName", name, Names.NAME, 1, 64);
        Names.optional("description", description, 512);
        Names.check("eventSourceArn", eventSourceArn, null, 1, 1600);
        required("eventStartTime", eventStartTime);
        required("eventEndTime", eventEndTime);
        required("destination", destination);
        if (runs.containsKey(name)) {
            throw new BusbarException(BusbarException.ALREADY_EXISTS, "Replay " + name + " already exists.");
        }
        String archiveName = archives.nameOf(eventSourceArn);
        Archives.Source source = archives.source(archiveName);
        if (source == null) {
            String shown = archiveName != null ? archiveName
                    : eventSourceArn.substring(eventSourceArn.lastIndexOf('/') + 1);
            throw BusbarException.validation("Parameter EventSourceArn is not valid. Reason: Archive " + shown
                    + " does not exist.");
        }
        if (!eventStartTime.isBefore(eventEndTime)) {
            throw BusbarException.validation(
                    "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
        }
        if (!Names.BUS_ARN.matcher(destination.arn()).matches()) {
            throw BusbarException.validation("Parameter Destination.Arn is not valid. Reason: "
                    + destination.arn() + " is not the ARN of an event bus.");
        }
        EventBus bus = buses.apply(destination.arn());
        if (!bus.arn().equals(destination.arn()) || !bus.arn().equals(source.eventSourceArn())) {
            throw BusbarException.validation(
                    "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
        }
        if (runs.values().stream().filter(r -> r.replay.state().active()).count() >= MAX_ACTIVE) {
            throw new BusbarException(BusbarException.LIMIT_EXCEEDED,
                    "The requested resource exceeds the maximum number allowed.");
        }
        Replay replay = new Replay(name, arnPrefix + name, description, ReplayState.STARTING, null, eventSourceArn,
                destination, eventStartTime, eventEndTime, null, clock.instant(), null);
        Run run = new Run(replay, eventStartTime);
        store.put(KEY + name, toJson(replay, eventStartTime));
        runs.put(name, run);
        plan(name, clock.instant());
        return replay;
    }

    private static void required(String member, Object value) {
        if (value == null) {
            throw BusbarException.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
    }

    synchronized Replay describe(String name) {
        return run(name).replay;
    }

    private Run run(String name) {
        Run r = name == null ? null : runs.get(name);
        if (r == null) {
            throw BusbarException.notFound("Replay " + name + " does not exist.");
        }
        return r;
    }

    /** ListReplays, sorted by name. */
    synchronized List<Replay> list(String namePrefix, ReplayState state, String eventSourceArn) {
        List<Replay> out = new ArrayList<>();
        for (Run r : new TreeMap<>(runs).values()) {
            Replay p = r.replay;
            if ((namePrefix == null || p.name().startsWith(namePrefix)) && (state == null || p.state() == state)
                    && (eventSourceArn == null || eventSourceArn.equals(p.eventSourceArn()))) {
                out.add(p);
            }
        }
        return out;
    }

    /** CancelReplay: a starting or running replay becomes CANCELLING, and CANCELLED at its next step. */
    synchronized Replay cancel(String name) {
        Run run = run(name);
        ReplayState s = run.replay.state();
        if (s != ReplayState.STARTING && s != ReplayState.RUNNING) {
            throw new BusbarException(BusbarException.ILLEGAL_STATUS, "Replay " + name
                    + " cannot be cancelled in state " + s + ".");
        }
        Replay next = run.replay.with(ReplayState.CANCELLING, null, run.replay.eventLastReplayedTime(), null);
        store.put(KEY + name, toJson(next, run.resumeFrom));
        run.replay = next;
        plan(name, clock.instant());
        return next;
    }

    // ---------------------------------------------------------------- running

    private void plan(String name, Instant at) {
        due.schedule(at, () -> step(name));
    }

    /** One step of a replay: see the class notes. A step that throws fails the replay rather than leave it hanging. */
    synchronized void step(String name) {
        Run run = runs.get(name);
        if (closed || run == null) {
            return;
        }
        try {
            advance(run);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Replay " + name + " failed", e);
            end(run, ReplayState.FAILED, "Replay failed: " + e);
        }
    }

    private void advance(Run run) {
        String name = run.replay.name();
        Replay r = run.replay;
        Instant now = clock.instant();
        switch (r.state()) {
            case CANCELLING -> {
                end(run, ReplayState.CANCELLED, null);
                return;
            }
            case STARTING -> set(run, r.with(ReplayState.RUNNING, null, null, null));
            case RUNNING -> {
            }
            default -> {
                return;
            }
        }
        Archives.Source source = archives.source(archives.nameOf(r.eventSourceArn()));
        if (source == null || !source.eventSourceArn().equals(r.destination().arn())) {
            end(run, ReplayState.FAILED, "Archive " + archives.nameOf(r.eventSourceArn()) + " does not exist.");
            return;
        }
        try {
            buses.apply(source.busName());
        } catch (BusbarException e) {
            end(run, ReplayState.FAILED, e.getMessage());
            return;
        }
        if (run.pending == null || run.log != source.log()) {
            Instant from = run.resumeFrom.isAfter(r.eventStartTime()) ? run.resumeFrom : r.eventStartTime();
            run.pending = source.log().window(from, r.eventEndTime());
            run.log = source.log();
            run.next = 0;
        }
        Set<String> rules = r.destination().filterArns().isEmpty() ? null : Set.copyOf(r.destination().filterArns());
        Instant last = r.eventLastReplayedTime();
        int sent = 0;
        boolean refused = false;
        while (run.next < run.pending.size() && sent < EVENTS_PER_STEP) {
            ArchiveLog.Ref ref = run.pending.get(run.next);
            String json = run.log.read(ref);
            if (json != null) {
                if (!sink.send(source.busName(), withReplayName(json, r.name()), EventShape.id(json), now, rules)) {
                    refused = true;
                    break;
                }
                last = ref.time();
                sent++;
            }
            run.next++;
        }
        boolean done = run.next >= run.pending.size();
        run.resumeFrom = done ? r.eventEndTime()
                : run.pending.get(run.next).time().truncatedTo(ChronoUnit.MINUTES);
        if (done) {
            run.replay = run.replay.with(ReplayState.RUNNING, null, last, null);
            end(run, ReplayState.COMPLETED, null);
            return;
        }
        set(run, run.replay.with(ReplayState.RUNNING, null, last, null));
        plan(name, refused ? now.plus(FULL_QUEUE_PAUSE) : now);
    }

    /** Ends a replay in {@code state}, dropping what it held. */
    private void end(Run run, ReplayState state, String reason) {
        run.pending = null;
        run.log = null;
        set(run, run.replay.with(state, reason, run.replay.eventLastReplayedTime(), clock.instant()));
    }

    /** Publishes a replay's new state and stores it; a store that refuses is logged, the replay goes on. */
    private void set(Run run, Replay next) {
        run.replay = next;
        try {
            store.put(KEY + next.name(), toJson(next, run.resumeFrom));
        } catch (StoreException e) {
            LOG.log(System.Logger.Level.WARNING, "Replay {0}: cannot store its progress: {1}", next.name(),
                    e.getMessage());
        }
    }

    /**
     * The event with {@code "replay-name"} inserted before {@code resources}, where EventBridge puts it (spec 1.1).
     * Before {@code resources} every member is a string, so the first {@code ,"resources":} is the top-level one.
     */
    static String withReplayName(String json, String replayName) {
        int at = json.indexOf(",\"resources\":");
        if (at < 0) {
            return rebuilt(json, replayName);
        }
        StringBuilder sb = new StringBuilder(json.length() + replayName.length() + 20);
        sb.append(json, 0, at).append(",\"replay-name\":");
        Envelope.quote(sb, replayName);
        return sb.append(json, at, json.length()).toString();
    }

    /** For an event not in the bus's own layout: the members in order, {@code replay-name} after {@code region}. */
    private static String rebuilt(String json, String replayName) {
        try {
            JsonNode in = JSON.readTree(json);
            ObjectNode out = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> e : in.properties()) {
                out.set(e.getKey(), e.getValue());
                if (e.getKey().equals("region")) {
                    out.put("replay-name", replayName);
                }
            }
            if (!out.has("replay-name")) {
                out.put("replay-name", replayName);
            }
            return out.toString();
        } catch (IOException e) {
            return json;
        }
    }

    /** Stops running replays; they stay active in the store and resume in the next instance. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    // ---------------------------------------------------------------- persistence

    private static String toJson(Replay r, Instant resumeFrom) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", r.name());
        o.put("arn", r.arn());
        if (r.description() != null) {
            o.put("description", r.description());
        }
        o.put("state", r.state().name());
        if (r.stateReason() != null) {
            o.put("stateReason", r.stateReason());
        }
        o.put("eventSourceArn", r.eventSourceArn());
        ObjectNode d = o.putObject("destination");
        d.put("arn", r.destination().arn());
        ArrayNode filters = d.putArray("filterArns");
        r.destination().filterArns().forEach(filters::add);
        o.put("eventStartTime", r.eventStartTime().toEpochMilli());
        o.put("eventEndTime", r.eventEndTime().toEpochMilli());
        putTime(o, "eventLastReplayedTime", r.eventLastReplayedTime());
        o.put("replayStartTime", r.replayStartTime().toEpochMilli());
        putTime(o, "replayEndTime", r.replayEndTime());
        o.put("resumeFrom", resumeFrom.toEpochMilli());
        return o.toString();
    }

    private static void putTime(ObjectNode o, String field, Instant t) {
        if (t != null) {
            o.put(field, t.toEpochMilli());
        }
    }

    private static Run fromJson(String json) throws IOException {
        JsonNode o = JSON.readTree(json);
        JsonNode d = o.get("destination");
        List<String> filters = new ArrayList<>();
        d.path("filterArns").forEach(f -> filters.add(f.asText()));
        Replay r = new Replay(o.get("name").asText(), o.get("arn").asText(), text(o, "description"),
                ReplayState.valueOf(o.get("state").asText()), text(o, "stateReason"),
                o.get("eventSourceArn").asText(), new ReplayDestination(d.get("arn").asText(), filters),
                time(o, "eventStartTime"), time(o, "eventEndTime"), time(o, "eventLastReplayedTime"),
                time(o, "replayStartTime"), time(o, "replayEndTime"));
        Instant resume = time(o, "resumeFrom");
        return new Run(r, resume == null ? r.eventStartTime() : resume);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant time(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : Instant.ofEpochMilli(v.asLong());
    }

    /** Brings back every replay of the control store, resuming the active ones (see the class notes). */
    private synchronized void load() {
        for (Map.Entry<String, String> kv : store.entries(KEY).entrySet()) {
            Run run;
            try {
                run = fromJson(kv.getValue());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Cannot read replay {0}: {1}", kv.getKey(), e.toString());
                continue;
            }
            String name = run.replay.name();
            runs.put(name, run);
            if (run.replay.state().active()) {
                plan(name, clock.instant());
            }
        }
    }
}
