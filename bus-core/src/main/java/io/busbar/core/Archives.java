package io.busbar.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.store.ControlStore;
import io.busbar.core.store.StoreException;
import io.busbar.pattern.EventPattern;
import io.busbar.pattern.RuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.regex.Matcher;

/**
 * The archives of every bus (spec 8.2): CreateArchive, DescribeArchive, UpdateArchive, ListArchives,
 * DeleteArchive, the archiving of accepted events, and retention.
 *
 * <p>Implementation notes: each archive's definition is a JSON document in the control store under
 * {@code archive/<name>}, written before the change is published, so a refused write refuses the call and a new
 * instance on the same store gets every archive back. Archiving runs on the PutEvents thread (this is an
 * {@link AcceptedEventListener}), so it reads one immutable snapshot per bus - a {@link RuleSet} of the archives with
 * a pattern, matched in one pass, and the archives without one - published with one volatile write by the
 * serialised control calls, as the bus publishes its rules; it then takes only the lock of each archive it appends
 * to. Replayed events (those with a top-level {@code replay-name}) are never archived. Retention is by event time
 * on the bus's clock: a sweep every {@link #SWEEP_INTERVAL} (planned only while some archive has a retention) drops
 * the events older than {@code RetentionDays} and records the cutoff in the definition ({@code expiredBefore}), so
 * events dropped from the index but still in a segment file stay dropped when the archive is opened again.
 * File-backed logs are synced every {@link #SYNC_INTERVAL} (while there are archives) and at close; a bus without
 * archives has no timed work of theirs. Thread-safe.
 */
final class Archives implements AcceptedEventListener, AutoCloseable {
    static final Duration SWEEP_INTERVAL = Duration.ofHours(1);
    static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    private static final String KEY = "archive/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(Archives.class.getName());

    /** What the control store keeps of an archive. */
    private record Definition(String name, String busName, String eventSourceArn, String description,
                              String eventPattern, int retentionDays, Instant created, Instant expiredBefore) {
    }

    /** An archive: its definition, compiled pattern (null: every event) and events. Replaced whole on change. */
    private record Entry(Definition def, EventPattern pattern, ArchiveLog log) {
    }

    /** The archives of one bus, as archiving reads them. */
    private record BusArchives(RuleSet matcher, Map<String, Entry> withPattern, List<Entry> withoutPattern) {
    }

    /** An archive as a replay reads it. */
    record Source(String archiveName, String busName, String eventSourceArn, ArchiveLog log) {
    }

    private final Clock clock;
    private final String arnPrefix;
    private final DueTasks due;
    private final ControlStore store;
    private final Path directory;
    private final Function<String, EventPattern> compile;
    private final Function<String, EventBus> buses;
    private final ConcurrentMap<String, Entry> archives = new ConcurrentHashMap<>();
    private volatile Map<String, BusArchives> byBus = Map.of();
    private final Object control = new Object();
    private volatile boolean closed;
    /** Whether a sweep / a sync is planned; guarded by {@code control}. No timed work while nothing needs it. */
    private boolean sweepPlanned;
    private boolean syncPlanned;

    /**
     * @param dataDirectory the bus's data directory (archives go under {@code archives/}), or null for memory
     * @param compile       compiles a pattern with the bus's limits, throwing EventBridge's error
     * @param buses         a bus by name or ARN, throwing {@code ResourceNotFoundException} when there is none
     */
    Archives(Clock clock, String account, String region, DueTasks due, ControlStore store, Path dataDirectory,
             Function<String, EventPattern> compile, Function<String, EventBus> buses) {
        this.clock = clock;
        this.arnPrefix = "arn:aws:events:" + region + ":" + account + ":archive/";
        this.due = due;
        this.store = store;
        this.directory = dataDirectory == null ? null : dataDirectory.resolve("archives");
        this.compile = compile;
        this.buses = buses;
        synchronized (control) {
            load();
            planTimedWork();
        }
    }

    /**
     * Plans the retention sweep when an archive has a retention, and the file sync when an archive has files, unless
     * already planned; called with the control lock held after every change. A bus without archives has no timed
     * work of theirs.
     */
    private void planTimedWork() {
        if (closed) {
            return;
        }
        if (!sweepPlanned && archives.values().stream().anyMatch(e -> e.def().retentionDays() > 0)) {
            sweepPlanned = true;
            due.schedule(clock.instant().plus(SWEEP_INTERVAL), this::sweep);
        }
        if (!syncPlanned && directory != null && !archives.isEmpty()) {
            syncPlanned = true;
            due.schedule(clock.instant().plus(SYNC_INTERVAL), this::syncAll);
        }
    }

    String arn(String name) {
        return arnPrefix + name;
    }

    /** The archive name of an archive ARN of this account and region, or null. */
    String nameOf(String archiveArn) {
        if (archiveArn != null && archiveArn.startsWith(arnPrefix)) {
            String name = archiveArn.substring(arnPrefix.length());
            if (Names.NAME.matcher(name).matches() && name.length() <= 48) {
                return name;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- control plane

    Archive create(String name, String eventSourceArn, String description, String eventPattern,
                   Integer retentionDays) {
        Names.check("archiveName", name, Names.NAME, 1, 48);
        Names.check("eventSourceArn", eventSourceArn, null, 1, 1600);
        Names.optional("description", description, 512);
        int retention = retention(retentionDays);
        EventPattern pattern = eventPattern == null ? null : compile.apply(eventPattern);
        String busName = busName(eventSourceArn);
        synchronized (control) {
            if (archives.containsKey(name)) {
                throw new BusbarException(BusbarException.ALREADY_EXISTS, "Archive " + name + " already exists.");
            }
            EventBus bus = buses.apply(busName);
            if (!bus.arn().equals(eventSourceArn)) {
                // the ARN of a bus of the same name in another account or region
                throw BusbarException.notFound("Event bus " + busName + " does not exist.");
            }
            Definition d = new Definition(name, busName, bus.arn(), description, eventPattern, retention,
                    clock.instant(), null);
            ArchiveLog log = openLog(name, null, true);
            try {
                store.put(KEY + name, toJson(d));
            } catch (RuntimeException e) {
                log.delete();
                throw e;
            }
            Entry e = new Entry(d, pattern, log);
            archives.put(name, e);
            publish();
            planTimedWork();
            return describe(e);
        }
    }

    Archive describe(String name) {
        return describe(entry(name));
    }

    private Archive describe(Entry e) {
        Definition d = e.def();
        return new Archive(d.name(), arn(d.name()), d.eventSourceArn(), d.description(), d.eventPattern(),
                ArchiveState.ENABLED, null, d.retentionDays(), e.log().sizeBytes(), e.log().eventCount(),
                d.created());
    }

    private Entry entry(String name) {
        Entry e = name == null ? null : archives.get(name);
        if (e == null) {
            throw BusbarException.notFound("Archive " + name + " does not exist.");
        }
        return e;
    }

    /** UpdateArchive: members left {@code null} keep their value; a new pattern applies to the next event. */
    Archive update(String name, String description, String eventPattern, Integer retentionDays) {
        if (description == null && eventPattern == null && retentionDays == null) {
            throw BusbarException.validation(
                    "At least one of EventPattern, RetentionDays or Description must be provided.");
        }
        Names.optional("description", description, 512);
        Integer retention = retentionDays == null ? null : retention(retentionDays);
        EventPattern pattern = eventPattern == null ? null : compile.apply(eventPattern);
        synchronized (control) {
            Entry old = entry(name);
            Definition o = old.def();
            Definition d = new Definition(o.name(), o.busName(), o.eventSourceArn(),
                    description == null ? o.description() : description,
                    eventPattern == null ? o.eventPattern() : eventPattern,
                    retention == null ? o.retentionDays() : retention, o.created(), o.expiredBefore());
            store.put(KEY + name, toJson(d));
            Entry e = new Entry(d, eventPattern == null ? old.pattern() : pattern, old.log());
            archives.put(name, e);
            publish();
            planTimedWork();
            return describe(e);
        }
    }

    /** ListArchives, sorted by name; {@code eventSourceArn} must name an existing bus. */
    List<Archive> list(String namePrefix, String eventSourceArn, ArchiveState state) {
        String busArn = null;
        if (eventSourceArn != null) {
            String busName = busName(eventSourceArn);
            busArn = buses.apply(busName).arn();
            if (!busArn.equals(eventSourceArn)) {
                throw BusbarException.notFound("Event bus " + busName + " does not exist.");
            }
        }
        List<Archive> out = new ArrayList<>();
        for (Entry e : new TreeMap<>(archives).values()) {
            Definition d = e.def();
            if ((namePrefix == null || d.name().startsWith(namePrefix))
                    && (busArn == null || busArn.equals(d.eventSourceArn()))
                    && (state == null || state == ArchiveState.ENABLED)) {
                out.add(describe(e));
            }
        }
        return out;
    }

    /** DeleteArchive: removes the definition and every archived event; a replay reading it fails. */
    void delete(String name) {
        synchronized (control) {
            Entry e = entry(name);
            store.delete(KEY + name);
            archives.remove(name);
            publish();
            e.log().delete();
        }
    }

    /** The archive a replay reads, or null when there is none of that name. */
    Source source(String name) {
        Entry e = name == null ? null : archives.get(name);
        return e == null ? null : new Source(name, e.def().busName(), e.def().eventSourceArn(), e.log());
    }

    private static int retention(Integer days) {
        if (days != null && days < 0) {
            throw BusbarException.constraint("retentionDays", String.valueOf(days),
                    "Member must have value greater than or equal to 0");
        }
        return days == null ? 0 : days;
    }

    private static String busName(String eventSourceArn) {
        Matcher m = Names.BUS_ARN.matcher(eventSourceArn);
        if (!m.matches()) {
            throw BusbarException.validation("Parameter EventSourceArn is not valid. Reason: " + eventSourceArn
                    + " is not the ARN of an event bus.");
        }
        return m.group(3);
    }

    /** Publishes each bus's archives for the PutEvents path; called with the control lock held. */
    private void publish() {
        Map<String, RuleSet> matchers = new HashMap<>();
        Map<String, Map<String, Entry>> withPattern = new HashMap<>();
        Map<String, List<Entry>> withoutPattern = new HashMap<>();
        for (Entry e : new TreeMap<>(archives).values()) {
            String bus = e.def().busName();
            if (e.pattern() != null) {
                matchers.put(bus, matchers.getOrDefault(bus, RuleSet.empty()).with(e.def().name(), e.pattern()));
                withPattern.computeIfAbsent(bus, b -> new LinkedHashMap<>()).put(e.def().name(), e);
            } else if (e.def().eventPattern() == null) {
                withoutPattern.computeIfAbsent(bus, b -> new ArrayList<>()).add(e);
            }
        }
        Map<String, BusArchives> next = new HashMap<>();
        for (String bus : union(matchers.keySet(), withoutPattern.keySet())) {
            next.put(bus, new BusArchives(matchers.getOrDefault(bus, RuleSet.empty()),
                    Map.copyOf(withPattern.getOrDefault(bus, Map.of())),
                    List.copyOf(withoutPattern.getOrDefault(bus, List.of()))));
        }
        byBus = Map.copyOf(next);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    // ---------------------------------------------------------------- data plane

    /**
     * Archives an event the bus accepted (or received from another bus) in each archive of the bus whose pattern
     * it matches. Never throws: an archive that cannot store the event logs a warning.
     */
    @Override
    public void accepted(String busName, String eventJson) {
        BusArchives b = byBus.get(busName);
        if (b == null || closed || isReplayed(eventJson)) {
            return;
        }
        Instant time = null;
        for (Entry e : b.withoutPattern()) {
            time = time != null ? time : eventTime(eventJson);
            append(e, time, eventJson);
        }
        if (b.matcher().size() > 0) {
            List<String> matched;
            try {
                matched = b.matcher().match(eventJson.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "Cannot match an event against the archives of bus {0}: {1}",
                        busName, ex.toString());
                return;
            }
            for (String name : matched) {
                Entry e = b.withPattern().get(name);
                if (e != null) {
                    time = time != null ? time : eventTime(eventJson);
                    append(e, time, eventJson);
                }
            }
        }
    }

    private void append(Entry e, Instant time, String json) {
        Instant expiredBefore = e.def().expiredBefore();
        if (expiredBefore != null && time.isBefore(expiredBefore)) {
            return; // older than what retention already removed: it would be removed at once
        }
        try {
            e.log().append(time, json);
        } catch (StoreException ex) {
            LOG.log(System.Logger.Level.WARNING, "Archive {0} did not keep an event: {1}", e.def().name(),
                    ex.getMessage());
        }
    }

    /**
     * Whether the event is a replayed one: it has a top-level {@code replay-name}, which the envelope puts before
     * {@code resources}. Before {@code resources} every member is a string, in which a quote is escaped, so the
     * first unescaped {@code ,"resources":} is the top-level member.
     */
    static boolean isReplayed(String json) {
        // Both searches stay in the envelope's head: an event's detail can be large.
        int resources = json.indexOf(",\"resources\":");
        return resources >= 0 ? json.lastIndexOf(",\"replay-name\":", resources) >= 0
                : json.contains(",\"replay-name\":");
    }

    /** The event's {@code time} (the envelope's sixth member, a string), or now when it cannot be read. */
    private Instant eventTime(String json) {
        int at = json.indexOf(",\"time\":\"");
        if (at >= 0) {
            int from = at + 9;
            int to = json.indexOf('"', from);
            if (to > from) {
                try {
                    return Instant.parse(json.substring(from, to));
                } catch (DateTimeParseException e) {
                    // fall through
                }
            }
        }
        return clock.instant();
    }

    // ---------------------------------------------------------------- timed work

    /** Drops the events older than each archive's retention (by event time), then plans the next sweep. */
    private void sweep() {
        synchronized (control) {
            sweepPlanned = false;
            if (closed) {
                return;
            }
            try {
                Instant now = clock.instant();
                boolean changed = false;
                for (Entry e : List.copyOf(archives.values())) {
                    Definition d = e.def();
                    if (d.retentionDays() == 0) {
                        continue;
                    }
                    Instant cutoff = now.minus(Duration.ofDays(d.retentionDays()));
                    if (d.expiredBefore() != null && !cutoff.isAfter(d.expiredBefore())) {
                        continue;
                    }
                    int dropped = e.log().expireBefore(cutoff);
                    Definition next = new Definition(d.name(), d.busName(), d.eventSourceArn(), d.description(),
                            d.eventPattern(), d.retentionDays(), d.created(), cutoff);
                    if (dropped > 0) {
                        try {
                            store.put(KEY + d.name(), toJson(next));
                        } catch (StoreException ex) {
                            LOG.log(System.Logger.Level.WARNING, "Archive {0}: cannot record its retention cutoff: "
                                    + "{1}", d.name(), ex.getMessage());
                        }
                    }
                    archives.put(d.name(), new Entry(next, e.pattern(), e.log()));
                    changed = true;
                }
                if (changed) {
                    publish();
                }
            } finally {
                planTimedWork();
            }
        }
    }

    private void syncAll() {
        List<Entry> all;
        synchronized (control) {
            syncPlanned = false;
            if (closed) {
                return;
            }
            all = List.copyOf(archives.values());
            planTimedWork();
        }
        for (Entry e : all) {
            e.log().sync(); // outside the control lock: an fsync must not hold up control calls
        }
    }

    /** Syncs and closes every archive's files; later events are not archived. */
    @Override
    public void close() {
        closed = true;
        synchronized (control) {
            for (Entry e : archives.values()) {
                e.log().close();
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    private ArchiveLog openLog(String name, Instant expiredBefore, boolean fresh) {
        if (directory == null) {
            return ArchiveLog.inMemory();
        }
        Path dir = directory.resolve(directoryName(name));
        if (fresh) {
            try {
                FileArchiveLog.deleteDirectory(dir); // what an archive of the same name left, if its definition is gone
            } catch (IOException e) {
                throw new StoreException("Archive " + name + ": cannot clear " + dir + ": " + e.getMessage(), e);
            }
        }
        return ArchiveLog.open(dir, name, expiredBefore);
    }

    /** The archive's directory name: its name, but {@code .} and {@code ..} (valid names) spelled with {@code %2E}. */
    static String directoryName(String name) {
        return name.equals(".") || name.equals("..") ? name.replace(".", "%2E") : name;
    }

    private static String toJson(Definition d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", d.name());
        o.put("busName", d.busName());
        o.put("eventSourceArn", d.eventSourceArn());
        if (d.description() != null) {
            o.put("description", d.description());
        }
        if (d.eventPattern() != null) {
            o.put("eventPattern", d.eventPattern());
        }
        o.put("retentionDays", d.retentionDays());
        o.put("created", d.created().toEpochMilli());
        if (d.expiredBefore() != null) {
            o.put("expiredBefore", d.expiredBefore().toEpochMilli());
        }
        return o.toString();
    }

    private static Definition fromJson(String json) throws IOException {
        JsonNode o = JSON.readTree(json);
        return new Definition(o.get("name").asText(), o.get("busName").asText(), o.get("eventSourceArn").asText(),
                text(o, "description"), text(o, "eventPattern"), o.path("retentionDays").asInt(0),
                Instant.ofEpochMilli(o.get("created").asLong()),
                o.has("expiredBefore") ? Instant.ofEpochMilli(o.get("expiredBefore").asLong()) : null);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * Brings back every archive of the control store with its events. An archive whose definition cannot be read,
     * or whose files cannot be opened, is left out with an error in the log rather than stopping the bus.
     */
    private void load() {
        for (Map.Entry<String, String> kv : store.entries(KEY).entrySet()) {
            Definition d;
            try {
                d = fromJson(kv.getValue());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Cannot read archive definition {0}: {1}", kv.getKey(),
                        e.toString());
                continue;
            }
            EventPattern pattern = null;
            if (d.eventPattern() != null) {
                try {
                    pattern = compile.apply(d.eventPattern());
                } catch (RuntimeException e) {
                    // Kept (so its events can be replayed) but archives nothing until UpdateArchive fixes the pattern.
                    LOG.log(System.Logger.Level.ERROR, "Archive {0}: its pattern no longer compiles ({1}); it archives "
                            + "no new events", d.name(), e.getMessage());
                }
            }
            try {
                archives.put(d.name(), new Entry(d, pattern, openLog(d.name(), d.expiredBefore(), false)));
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.ERROR, "Archive {0} left out: {1}", d.name(), e.getMessage());
            }
        }
        publish();
    }
}
