package io.busbar.core;

import io.busbar.core.schedule.Schedule;
import io.busbar.core.schedule.ScheduleExpression;
import io.busbar.core.scheduler.ScheduleDetails;
import io.busbar.core.scheduler.ScheduleGroup;
import io.busbar.core.scheduler.ScheduleRequest;
import io.busbar.core.scheduler.ScheduleState;
import io.busbar.core.scheduler.ScheduleTarget;
import io.busbar.core.scheduler.ActionAfterCompletion;
import io.busbar.core.scheduler.FlexibleTimeWindow;
import io.busbar.core.spi.Delivery;
import io.busbar.core.store.ControlStore;
import io.busbar.core.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The embedded EventBridge Scheduler (SCHEDULER.md): schedule groups and schedules, fired on the bus's clock through
 * the bus's delivery path, with each target's retry policy and dead-letter queue. Reached through
 * {@link Busbar#scheduler()}.
 *
 * <p>Refusals throw {@link BusbarException} with the Scheduler's error names: {@code ValidationException},
 * {@code ResourceNotFoundException}, {@code ConflictException}, {@code ServiceQuotaExceededException}.
 *
 * <p>Implementation notes: each enabled schedule has one pending task in the bus's {@link DueTasks}, at its next
 * nominal time plus its flexible-window offset (drawn per occurrence from the bus's random source). A stored
 * schedule version is an {@code Entry} object; the task holds the entry it was planned for and does nothing when
 * the stored entry is no longer that object (updated, disabled, deleted), so no time fires twice. After a clock jump
 * every missed occurrence fires once, in order, up to {@link #MAX_CATCH_UP}. An {@code at()} time already past when
 * the schedule is created or updated fires once at the next tick. The target receives its input with the context
 * attributes replaced (see {@link SchedulerInvocation}); {@code ActionAfterCompletion DELETE} removes the schedule
 * when its last invocation (and its retries) ends. Control operations are serialised; thread-safe.
 *
 * <p>Durability: every group ({@code schedule-group/<name>}, not {@code default}) and schedule
 * ({@code schedule/<group>/<name>}, its {@link ScheduleDetails}) is written to the bus's {@link ControlStore} before
 * the change is published, so a store that cannot keep it refuses the change ({@code InternalException}). With a
 * data directory, the nominal time of each successful fire is kept too ({@code schedule-fire/<group>/<name>}), and
 * the constructor plans a restored schedule from it: the times missed while the process was down fire at once, as
 * after a clock jump, and a fired {@code at()} schedule stays fired. Fire times are batched: they wait in memory and
 * one {@code putAll} (one sync) a second writes them all, because one sync per fire would stall the due-task thread
 * when many schedules share a minute. A crash loses at most that second, whose times then fire again (Scheduler
 * invocations are at least once anyway). A schedule's last fire (an {@code at()}, or the last one before its
 * {@code EndDate}) is written at once instead, since firing a completed schedule again is the worse surprise and it
 * happens once per schedule. An update or delete drops the stored fire time with the version it belonged to.
 */
public final class EventBridgeScheduler {
    public static final String CONFLICT = "ConflictException";
    public static final String QUOTA_EXCEEDED = "ServiceQuotaExceededException";
    static final int MAX_GROUPS = 500;
    static final int MAX_CATCH_UP = 1_000;
    private static final Pattern NAME = Pattern.compile("^[0-9a-zA-Z-_.]+$");
    private static final Pattern JSON_TARGET = Pattern.compile(
            "arn:aws[\\w-]*:(lambda|states|events):.*");
    private static final System.Logger LOG = System.getLogger(EventBridgeScheduler.class.getName());

    /** How long a fire time may wait in memory before it is written (see the durability notes above). */
    static final Duration FIRE_TIME_BATCH = Duration.ofSeconds(1);
    private static final String GROUP_KEYS = "schedule-group/";
    private static final String SCHEDULE_KEYS = "schedule/";
    private static final String FIRE_KEYS = "schedule-fire/";

    private record Key(String group, String name) {
        /** Where the schedule's details are stored. */
        String stored() {
            return SCHEDULE_KEYS + group + "/" + name;
        }

        /** Where the schedule's last fire time is stored. */
        String fired() {
            return FIRE_KEYS + group + "/" + name;
        }
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::group).thenComparing(Key::name);

    /** One stored version of a schedule; its identity is the token a planned fire checks. */
    private record Entry(ScheduleDetails details, Schedule schedule) {
    }

    /** A fire time not yet written; written only while {@code entry} is still the stored version. */
    private record Fired(Entry entry, Instant nominal) {
    }

    private final Clock clock;
    private final String account;
    private final String region;
    private final DueTasks due;
    private final Dispatcher dispatcher;
    private final RandomGenerator random;
    private final BooleanSupplier closed;
    private final Object control = new Object();
    private final ConcurrentMap<String, ScheduleGroup> groups = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, Entry> schedules = new ConcurrentHashMap<>();
    private final ControlStore store;
    /** Whether the store outlives the process, so fire times are worth writing. */
    private final boolean durable;
    private final ConcurrentMap<Key, Fired> unwrittenFires = new ConcurrentHashMap<>();
    private final AtomicBoolean fireWritePlanned = new AtomicBoolean();

    /**
     * Restores the groups and schedules in {@code store} and plans the enabled schedules' fires.
     *
     * @param durable whether {@code store} survives the process (a data directory); only then are fire times kept
     * @throws StoreException when a stored value cannot be read back (the process should not start half-restored)
     */
    EventBridgeScheduler(Clock clock, String account, String region, DueTasks due, Dispatcher dispatcher,
                         RandomGenerator random, BooleanSupplier closed, ControlStore store, boolean durable) {
        this.clock = clock;
        this.account = account;
        this.region = region;
        this.due = due;
        this.dispatcher = dispatcher;
        this.random = random;
        this.closed = closed;
        this.store = Objects.requireNonNull(store, "store");
        this.durable = durable;
        Instant now = clock.instant();
        groups.put(ScheduleRequest.DEFAULT_GROUP, new ScheduleGroup(ScheduleRequest.DEFAULT_GROUP,
                groupArn(ScheduleRequest.DEFAULT_GROUP), "ACTIVE", now, now, Map.of()));
        restore();
    }

    /**
     * Rebuilds groups and schedules from the store. A schedule that completed before the restart (its last fire
     * stored) with {@code ActionAfterCompletion DELETE} is deleted now: its invocation's retries, if any were left,
     * ended with the process.
     */
    private void restore() {
        store.entries(GROUP_KEYS).forEach((k, v) -> {
            ScheduleGroup g = ControlCodec.read(k, v, ScheduleGroup.class);
            groups.put(g.name(), g);
        });
        SortedMap<String, String> fires = store.entries(FIRE_KEYS);
        Map<String, String> stale = new LinkedHashMap<>();
        store.entries(SCHEDULE_KEYS).forEach((k, v) -> {
            ScheduleDetails d = ControlCodec.read(k, v, ScheduleDetails.class);
            Key key = new Key(d.groupName(), d.name());
            String fired = fires.remove(key.fired());
            Instant lastFired = fired == null ? null : ControlCodec.readInstant(key.fired(), fired);
            if (!groups.containsKey(key.group())) {
                LOG.log(System.Logger.Level.WARNING, "Stored schedule {0} of group {1}, which is not stored, is "
                        + "ignored", d.name(), key.group());
                return;
            }
            Entry e = version(d);
            boolean completed = lastFired != null && (e.schedule().expression().kind() == ScheduleExpression.Kind.AT
                    || e.schedule().nextAfter(lastFired).isEmpty());
            if (completed && d.definition().actionAfterCompletion() == ActionAfterCompletion.DELETE) {
                stale.put(k, null);
                stale.put(key.fired(), null);
                return;
            }
            schedules.put(key, e);
            plan(key, e, lastFired);
        });
        fires.keySet().forEach(k -> stale.put(k, null)); // fire times whose schedule is gone
        try {
            store.putAll(stale);
        } catch (StoreException ex) {
            // Harmless to keep: a completed schedule comes back completed, and orphan fire times are never read.
            LOG.log(System.Logger.Level.WARNING, "Cannot remove {0} completed or orphaned scheduler entries: {1}",
                    stale.size(), ex.getMessage());
        }
    }

    /** Writes control-plane changes with one sync; a store that cannot keep them refuses the change. */
    private void write(Map<String, String> changes) {
        try {
            store.putAll(changes);
        } catch (StoreException e) {
            throw new BusbarException("InternalException", e.getMessage());
        }
    }

    private static Map<String, String> changes(String key, String value) {
        Map<String, String> m = new HashMap<>();
        m.put(key, value);
        return m;
    }

    // ---------------------------------------------------------------- groups

    public String groupArn(String name) {
        return "arn:aws:scheduler:" + region + ":" + account + ":schedule-group/" + name;
    }

    public String scheduleArn(String group, String name) {
        return "arn:aws:scheduler:" + region + ":" + account + ":schedule/" + group + "/" + name;
    }

    /** CreateScheduleGroup; {@code ConflictException} when it exists, {@code ServiceQuotaExceededException} past 500. */
    public ScheduleGroup createScheduleGroup(String name, Map<String, String> tags) {
        check("name", name);
        Map<String, String> t = tags == null ? Map.of() : tags;
        if (t.size() > 200) {
            throw violation("tags", "[" + t.size() + " tags]", "Member must have length less than or equal to 200");
        }
        synchronized (control) {
            if (groups.containsKey(name)) {
                throw new BusbarException(CONFLICT, "Schedule group " + name + " already exists.");
            }
            if (groups.size() >= MAX_GROUPS) {
                throw new BusbarException(QUOTA_EXCEEDED, "The quota of " + MAX_GROUPS
                        + " schedule groups has been reached.");
            }
            Instant now = clock.instant();
            ScheduleGroup g = new ScheduleGroup(name, groupArn(name), "ACTIVE", now, now, t);
            write(changes(GROUP_KEYS + name, ControlCodec.write(g)));
            groups.put(name, g);
            return g;
        }
    }

    /** GetScheduleGroup; the {@code default} group always exists. */
    public ScheduleGroup getScheduleGroup(String name) {
        check("name", name);
        ScheduleGroup g = groups.get(name);
        if (g == null) {
            throw notFound("Schedule group " + name + " does not exist.");
        }
        return g;
    }

    /**
     * DeleteScheduleGroup: deletes the group's schedules, then the group, before returning (AWS does it
     * asynchronously). The {@code default} group cannot be deleted.
     */
    public void deleteScheduleGroup(String name) {
        check("name", name);
        if (ScheduleRequest.DEFAULT_GROUP.equals(name)) {
            throw new BusbarException(BusbarException.VALIDATION, "The default schedule group cannot be deleted.");
        }
        synchronized (control) {
            getScheduleGroup(name);
            List<Key> members = schedules.keySet().stream().filter(k -> k.group().equals(name)).toList();
            Map<String, String> gone = changes(GROUP_KEYS + name, null);
            for (Key k : members) {
                gone.put(k.stored(), null);
                gone.put(k.fired(), null);
            }
            write(gone); // one sync for the group and all its schedules
            members.forEach(schedules::remove);
            groups.remove(name);
        }
    }

    /**
     * TagResource (SCHEDULER 5.3): adds or replaces tags of the schedule group {@code arn} names; schedule groups are
     * the Scheduler's only taggable resource. {@code ResourceNotFoundException} for any other ARN.
     */
    public ScheduleGroup tagResource(String arn, Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        synchronized (control) {
            ScheduleGroup g = groupByArn(arn);
            Map<String, String> merged = new java.util.LinkedHashMap<>(g.tags());
            merged.putAll(tags);
            if (merged.size() > 200) {
                throw violation("tags", "[" + merged.size() + " tags]",
                        "Member must have length less than or equal to 200");
            }
            return retag(g, merged);
        }
    }

    /** UntagResource: removes the given keys (absent ones are ignored) from a schedule group's tags. */
    public ScheduleGroup untagResource(String arn, List<String> tagKeys) {
        Objects.requireNonNull(tagKeys, "tagKeys");
        synchronized (control) {
            ScheduleGroup g = groupByArn(arn);
            Map<String, String> kept = new java.util.LinkedHashMap<>(g.tags());
            tagKeys.forEach(kept::remove);
            return retag(g, kept);
        }
    }

    /** ListTagsForResource: a schedule group's tags. */
    public Map<String, String> tags(String arn) {
        return groupByArn(arn).tags();
    }

    private ScheduleGroup groupByArn(String arn) {
        for (ScheduleGroup g : groups.values()) {
            if (g.arn().equals(arn)) {
                return g;
            }
        }
        throw notFound("Resource " + arn + " does not exist.");
    }

    private ScheduleGroup retag(ScheduleGroup g, Map<String, String> tags) {
        ScheduleGroup updated = new ScheduleGroup(g.name(), g.arn(), g.state(), g.creationDate(), clock.instant(), tags);
        write(changes(GROUP_KEYS + g.name(), ControlCodec.write(updated)));
        groups.put(g.name(), updated);
        return updated;
    }

    /** ListScheduleGroups, sorted by name. */
    public Page<ScheduleGroup> listScheduleGroups(String namePrefix, Integer maxResults, String nextToken) {
        List<ScheduleGroup> all = groups.values().stream()
                .filter(g -> namePrefix == null || g.name().startsWith(namePrefix))
                .sorted(Comparator.comparing(ScheduleGroup::name)).toList();
        return page(all, maxResults, nextToken);
    }

    // ---------------------------------------------------------------- schedules

    /** CreateSchedule: the group must exist and the name be free in it; starts firing when enabled. */
    public ScheduleDetails createSchedule(ScheduleRequest request) {
        Objects.requireNonNull(request, "request");
        checkTarget(request.target());
        synchronized (control) {
            Key key = new Key(request.groupName(), request.name());
            requireGroup(request.groupName());
            if (schedules.containsKey(key)) {
                throw new BusbarException(CONFLICT, "Schedule " + request.name() + " already exists.");
            }
            Instant now = clock.instant();
            ScheduleDetails d = new ScheduleDetails(scheduleArn(key.group(), key.name()), request, now, now);
            write(changes(key.stored(), ControlCodec.write(d)));
            return publish(key, d);
        }
    }

    /** UpdateSchedule: replaces the whole definition (CreationDate kept) and plans its next fire from now. */
    public ScheduleDetails updateSchedule(ScheduleRequest request) {
        Objects.requireNonNull(request, "request");
        checkTarget(request.target());
        synchronized (control) {
            Key key = new Key(request.groupName(), request.name());
            requireGroup(request.groupName());
            Entry old = entry(key);
            ScheduleDetails d = new ScheduleDetails(old.details().arn(), request, old.details().creationDate(),
                    clock.instant());
            // The new version plans from now (SCHEDULER 2.8): the old version's last fire time no longer applies.
            Map<String, String> change = changes(key.stored(), ControlCodec.write(d));
            change.put(key.fired(), null);
            write(change);
            return publish(key, d);
        }
    }

    /** GetSchedule; a {@code null} group means {@code default}. */
    public ScheduleDetails getSchedule(String groupName, String name) {
        String group = groupName == null ? ScheduleRequest.DEFAULT_GROUP : groupName;
        check("name", name);
        check("groupName", group);
        return entry(new Key(group, name)).details();
    }

    /** DeleteSchedule; a {@code null} group means {@code default}. */
    public void deleteSchedule(String groupName, String name) {
        String group = groupName == null ? ScheduleRequest.DEFAULT_GROUP : groupName;
        check("name", name);
        check("groupName", group);
        synchronized (control) {
            Key key = new Key(group, name);
            entry(key);
            Map<String, String> gone = changes(key.stored(), null);
            gone.put(key.fired(), null);
            write(gone);
            schedules.remove(key);
        }
    }

    /** ListSchedules, ordered by (group, name); each filter is optional. */
    public Page<ScheduleDetails> listSchedules(String groupName, String namePrefix, ScheduleState state,
                                               Integer maxResults, String nextToken) {
        if (groupName != null) {
            getScheduleGroup(groupName);
        }
        List<ScheduleDetails> all = schedules.entrySet().stream()
                .filter(e -> groupName == null || e.getKey().group().equals(groupName))
                .filter(e -> namePrefix == null || e.getKey().name().startsWith(namePrefix))
                .filter(e -> state == null || e.getValue().details().definition().state() == state)
                .sorted(Map.Entry.comparingByKey(ORDER))
                .map(e -> e.getValue().details()).toList();
        return page(all, maxResults, nextToken);
    }

    /** Schedules stored, in all groups. */
    public int size() {
        return schedules.size();
    }

    private Entry entry(Key key) {
        Entry e = schedules.get(key);
        if (e == null) {
            throw notFound("Schedule " + key.name() + " does not exist.");
        }
        return e;
    }

    private void requireGroup(String group) {
        if (!groups.containsKey(group)) {
            throw notFound("Schedule group " + group + " does not exist.");
        }
    }

    private void checkTarget(ScheduleTarget t) {
        if (t.input() != null && JSON_TARGET.matcher(t.arn()).matches() && !Envelope.isValidDetail(t.input())) {
            throw new BusbarException(BusbarException.VALIDATION, "target.input: " + t.input()
                    + " (expected: well-formed JSON for a Lambda, Step Functions or EventBridge target)");
        }
        if (t.arn().startsWith("arn:aws:scheduler:::aws-sdk:")) {
            // SCHEDULER 3.3: universal targets only for services Busbar emulates, and it emulates none that way
            throw new BusbarException(BusbarException.VALIDATION, "target.arn: " + t.arn() + " (universal targets "
                    + "are not available in Busbar; use the templated target's ARN, such as an SQS queue's)");
        }
        familyMember(t, "SqsParameters", "MessageGroupId", "target.sqsParameters.messageGroupId", 128, false);
        familyMember(t, "KinesisParameters", "PartitionKey", "target.kinesisParameters.partitionKey", 256, true);
    }

    /** A string member of a target-family parameter block (SCHEDULER 3.1): 1 to {@code max} characters. */
    private static void familyMember(ScheduleTarget t, String block, String member, String path, int max,
                                     boolean required) {
        String json = t.parameters().get(block);
        if (json == null) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode v;
        try {
            v = FAMILY_JSON.readTree(json).get(member);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BusbarException(BusbarException.VALIDATION, "target." + block + ": not valid JSON");
        }
        if (v == null || v.isNull()) {
            if (required) {
                throw new BusbarException(BusbarException.VALIDATION, "1 validation error detected: Value null at '"
                        + path + "' failed to satisfy constraint: Member must not be null");
            }
            return;
        }
        String text = v.asText();
        if (text.isEmpty()) {
            throw violation(path, text, "Member must have length greater than or equal to 1");
        }
        if (text.length() > max) {
            throw violation(path, text, "Member must have length less than or equal to " + max);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper FAMILY_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Makes a stored schedule version current and plans its first fire. */
    private ScheduleDetails publish(Key key, ScheduleDetails details) {
        Entry e = version(details);
        schedules.put(key, e);
        plan(key, e, null);
        return details;
    }

    /**
     * A schedule version: a rate counts from {@code StartDate}, or else from the last modification (the creation or
     * update time), so a restored schedule keeps the phase it had.
     */
    private static Entry version(ScheduleDetails details) {
        ScheduleRequest r = details.definition();
        ScheduleExpression expr = r.expression();
        Schedule s = Schedule.of(expr, r.startDate() != null ? r.startDate() : details.lastModificationDate());
        if (expr.kind() != ScheduleExpression.Kind.AT) {
            if (r.startDate() != null) {
                s = s.withStartDate(r.startDate());
            }
            if (r.endDate() != null) {
                s = s.withEndDate(r.endDate());
            }
        }
        return new Entry(details, s);
    }

    /**
     * Plans an enabled version's first fire: the first occurrence after {@code lastFired} when it fired before
     * (a restart: the times missed meanwhile are in the past and fire at once), otherwise the first one from its
     * last modification on, which for a rate is that instant itself. An {@code at()} fires once, even when already
     * past (SCHEDULER 2.1), and never again once fired.
     */
    private void plan(Key key, Entry e, Instant lastFired) {
        ScheduleRequest r = e.details().definition();
        if (r.state() != ScheduleState.ENABLED) {
            return;
        }
        Schedule s = e.schedule();
        Instant first;
        if (s.expression().kind() == ScheduleExpression.Kind.AT) {
            // Created with a time already past, it fires once (SCHEDULER 2.1). An update plans from its own time
            // (2.8), so an at() that passed before it, while the schedule was disabled say, was missed and is not
            // replayed (2.7).
            Instant at = s.expression().nextAfter(Instant.MIN).orElse(null);
            ScheduleDetails d = e.details();
            boolean passedBeforeUpdate = at != null && d.lastModificationDate().isAfter(d.creationDate())
                    && at.isBefore(d.lastModificationDate());
            first = lastFired != null || passedBeforeUpdate ? null : at;
        } else {
            first = s.nextAfter(lastFired != null ? lastFired
                    : e.details().lastModificationDate().minusNanos(1)).orElse(null);
        }
        if (first != null) {
            due.schedule(first.plusMillis(offsetMillis(r.flexibleTimeWindow())), () -> run(key, e, first));
        }
    }

    /** The flexible-window offset of one occurrence: uniform in [0, window). */
    private long offsetMillis(FlexibleTimeWindow w) {
        return w.mode() == FlexibleTimeWindow.Mode.FLEXIBLE ? random.nextLong(w.maximumWindowInMinutes() * 60_000L)
                : 0;
    }

    private void run(Key key, Entry e, Instant firstNominal) {
        Instant now = clock.instant();
        Instant nominal = firstNominal;
        int fired = 0;
        while (true) {
            if (schedules.get(key) != e || closed.getAsBoolean()) {
                return; // updated, disabled or deleted since this task was planned
            }
            if (fired++ == MAX_CATCH_UP) {
                LOG.log(System.Logger.Level.WARNING, "Schedule {0} missed more than {1} fire times; skipping to {2}",
                        e.details().arn(), MAX_CATCH_UP, now);
                fired(key, e, now, false); // so that a restart does not replay the skipped times either
                Instant next = e.schedule().nextAfter(now).orElse(null);
                if (next != null) {
                    due.schedule(next, () -> run(key, e, next));
                }
                return;
            }
            ScheduleRequest r = e.details().definition();
            boolean once = r.expression().kind() == ScheduleExpression.Kind.AT;
            Instant next = once ? null : e.schedule().nextAfter(nominal).orElse(null);
            boolean last = next == null && (once || r.endDate() != null);
            if (!fire(key, e, nominal, last)) {
                Instant retry = nominal;
                due.schedule(now.plusSeconds(1), () -> run(key, e, retry));
                return;
            }
            fired(key, e, nominal, next == null);
            if (next == null) {
                return;
            }
            Instant actual = next.plusMillis(offsetMillis(r.flexibleTimeWindow()));
            if (actual.isAfter(now)) {
                due.schedule(actual, () -> run(key, e, next));
                return;
            }
            nominal = next;
        }
    }

    /** Hands one invocation to the dispatcher; false when the target's queue refused it. */
    private boolean fire(Key key, Entry e, Instant nominal, boolean last) {
        ScheduleDetails d = e.details();
        ScheduleRequest r = d.definition();
        ScheduleTarget t = r.target();
        boolean deleteAfter = last && r.actionAfterCompletion() == ActionAfterCompletion.DELETE;
        Runnable onFinished = deleteAfter ? () -> completed(key, e) : () -> { };
        String input = t.input() == null ? "{}" : t.input();
        SchedulerInvocation invocation = new SchedulerInvocation(d.arn(), t.arn(), nominal,
                java.util.concurrent.ThreadLocalRandom.current().nextLong(), input,
                t.eventBridgeParameters(), clock, account, region, onFinished);
        Target target = new Target("target", t.arn(), t.roleArn(), null, t.retryPolicy(), t.deadLetterConfig(),
                t.parameters());
        String bus = "scheduler/" + key.group();
        Dispatcher.Route route = new Dispatcher.Route(bus, key.name(), d.arn(), target, invocation);
        Delivery delivery = new Delivery(input, input, invocation.executionId(1), bus, key.name(), d.arn(),
                target.id(), t.arn(), 1, clock.instant(), null, Map.of());
        return dispatcher.offer(List.of(route), List.of(delivery)) == null;
    }

    /** ActionAfterCompletion DELETE, once the last invocation ended. */
    private void completed(Key key, Entry e) {
        synchronized (control) {
            if (schedules.get(key) != e) {
                return; // updated or deleted meanwhile
            }
            Map<String, String> gone = changes(key.stored(), null);
            gone.put(key.fired(), null);
            try {
                store.putAll(gone);
            } catch (StoreException ex) {
                // Kept, as the store still has it; its last fire time is stored, so the next start deletes it.
                LOG.log(System.Logger.Level.WARNING, "Cannot delete completed schedule {0}: {1}", e.details().arn(),
                        ex.getMessage());
                return;
            }
            schedules.remove(key, e);
        }
    }

    // ---------------------------------------------------------------- fire times

    /**
     * Remembers a successful fire so that a restart plans after it. Batched (see the class notes); a schedule's last
     * fire is written at once.
     */
    private void fired(Key key, Entry e, Instant nominal, boolean last) {
        if (!durable) {
            return; // nothing survives the process: no need to pay for it
        }
        unwrittenFires.put(key, new Fired(e, nominal));
        if (last) {
            writeFireTimes();
        } else {
            planFireTimeWrite();
        }
    }

    private void planFireTimeWrite() {
        if (fireWritePlanned.compareAndSet(false, true)) {
            due.schedule(clock.instant().plus(FIRE_TIME_BATCH), () -> {
                fireWritePlanned.set(false); // before taking the batch, so a fire meanwhile plans the next write
                writeFireTimes();
            });
        }
    }

    /**
     * Writes the fire times waiting in memory with one sync. Under the control lock, so a fire time is written only
     * while its version is the stored one: an update or delete that deletes the key cannot be undone by a late
     * write. On failure they stay and are tried again a batch later. Busbar's close should call this after its due
     * tasks stopped, so a clean shutdown loses none.
     */
    void writeFireTimes() {
        synchronized (control) {
            Map<Key, Fired> taken = new HashMap<>(unwrittenFires);
            if (taken.isEmpty()) {
                return;
            }
            Map<String, String> batch = new HashMap<>();
            taken.forEach((key, f) -> {
                if (schedules.get(key) == f.entry()) {
                    batch.put(key.fired(), f.nominal().toString());
                }
            });
            try {
                store.putAll(batch);
            } catch (StoreException ex) {
                LOG.log(System.Logger.Level.WARNING, "Cannot store the last fire time of {0} schedules: {1}",
                        batch.size(), ex.getMessage());
                planFireTimeWrite();
                return;
            }
            taken.forEach(unwrittenFires::remove); // unless a newer fire replaced it meanwhile
        }
    }

    // ---------------------------------------------------------------- validation and paging

    private static void check(String member, String value) {
        if (value == null) {
            throw new BusbarException(BusbarException.VALIDATION, "1 validation error detected: Value null at '"
                    + member + "' failed to satisfy constraint: Member must not be null");
        }
        if (value.isEmpty() || value.length() > 64) {
            throw violation(member, value, value.isEmpty() ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 64");
        }
        if (!NAME.matcher(value).matches()) {
            throw violation(member, value, "Member must satisfy regular expression pattern: " + NAME.pattern());
        }
    }

    private static BusbarException violation(String member, String value, String constraint) {
        return new BusbarException(BusbarException.VALIDATION, "1 validation error detected: Value '" + value
                + "' at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    private static BusbarException notFound(String message) {
        return new BusbarException(BusbarException.RESOURCE_NOT_FOUND, message);
    }

    private static <T> Page<T> page(List<T> all, Integer maxResults, String nextToken) {
        int size = maxResults == null ? 100 : maxResults;
        if (size < 1 || size > 100) {
            throw violation("maxResults", String.valueOf(maxResults), "Member must have value between 1 and 100");
        }
        int from = 0;
        if (nextToken != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw new BusbarException(BusbarException.VALIDATION, "The NextToken is not valid.");
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size()
                ? Base64.getUrlEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(new ArrayList<>(all.subList(from, to)), next);
    }
}
