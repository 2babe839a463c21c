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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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

    private record Key(String group, String name) {
    }

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::group).thenComparing(Key::name);

    /** One stored version of a schedule; its identity is the token a planned fire checks. */
    private record Entry(ScheduleDetails details, Schedule schedule) {
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

    EventBridgeScheduler(Clock clock, String account, String region, DueTasks due, Dispatcher dispatcher,
                         RandomGenerator random, BooleanSupplier closed) {
        this.clock = clock;
        this.account = account;
        this.region = region;
        this.due = due;
        this.dispatcher = dispatcher;
        this.random = random;
        this.closed = closed;
        Instant now = clock.instant();
        groups.put(ScheduleRequest.DEFAULT_GROUP, new ScheduleGroup(ScheduleRequest.DEFAULT_GROUP,
                groupArn(ScheduleRequest.DEFAULT_GROUP), "ACTIVE", now, now, Map.of()));
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
            schedules.keySet().removeIf(k -> k.group().equals(name));
            groups.remove(name);
        }
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
            return store(key, new ScheduleDetails(scheduleArn(key.group(), key.name()), request, now, now));
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
            return store(key, new ScheduleDetails(old.details().arn(), request, old.details().creationDate(),
                    clock.instant()));
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
    }

    private ScheduleDetails store(Key key, ScheduleDetails details) {
        ScheduleRequest r = details.definition();
        ScheduleExpression expr = r.expression();
        Instant now = details.lastModificationDate();
        Schedule s = Schedule.of(expr, r.startDate() != null ? r.startDate() : now);
        if (expr.kind() != ScheduleExpression.Kind.AT) {
            if (r.startDate() != null) {
                s = s.withStartDate(r.startDate());
            }
            if (r.endDate() != null) {
                s = s.withEndDate(r.endDate());
            }
        }
        Entry e = new Entry(details, s);
        schedules.put(key, e);
        if (r.state() == ScheduleState.ENABLED) {
            Instant first = expr.kind() == ScheduleExpression.Kind.AT
                    ? expr.nextAfter(Instant.MIN).orElse(null) // once, even when already past (SCHEDULER 2.1)
                    : s.nextAfter(now.minusNanos(1)).orElse(null);
            if (first != null) {
                due.schedule(first.plusMillis(offsetMillis(r.flexibleTimeWindow())), () -> run(key, e, first));
            }
        }
        return details;
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
        Runnable onFinished = deleteAfter ? () -> {
            synchronized (control) {
                schedules.remove(key, e);
            }
        } : () -> { };
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
