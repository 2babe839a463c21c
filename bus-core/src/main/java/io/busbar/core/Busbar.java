package io.busbar.core;

import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.schedule.InvalidScheduleExpressionException;
import io.busbar.core.schedule.Schedule;
import io.busbar.core.schedule.ScheduleExpression;
import io.busbar.core.store.AcceptedEvent;
import io.busbar.core.store.ControlStore;
import io.busbar.core.store.Durability;
import io.busbar.core.store.EventStore;
import io.busbar.core.store.StoreException;
import io.busbar.pattern.EventPattern;
import io.busbar.pattern.InvalidEventPatternException;
import io.busbar.pattern.PatternLimits;
import io.busbar.pattern.RuleSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The embedded event bus: EventBridge's buses, rules, targets and PutEvents, in process.
 *
 * <pre>{@code
 * try (Busbar busbar = Busbar.builder().build()) {
 *     String fn = busbar.registerFunction("audit", delivery -> log(delivery.payload()));
 *     busbar.putRule(PutRuleRequest.pattern("orders", "{\"source\":[\"shop\"]}"));
 *     busbar.putTargets("default", "orders", List.of(Target.of("audit", fn)));
 *     busbar.putEvents(List.of(PutEventsEntry.of("shop", "Order Placed", "{\"id\":1}")));
 * }
 * }</pre>
 *
 * <p>Control-plane calls (buses, rules, targets) are serialised and publish each bus's new state with one atomic
 * write; {@link #putEvents} never locks and matches each event against one consistent version of its bus. A
 * matched event is queued for each target and delivered on the bus's delivery threads, with retries and dead-letter
 * queues as EventBridge has them; {@code putEvents} never waits for a target, and when a target's queue is full the
 * entry is refused with {@code ThrottlingException} rather than dropped. Refused requests throw
 * {@link BusbarException} with EventBridge's error code and message; per-entry problems are answered per entry.
 *
 * <p>Thread-safe. All time (event time, back-off, event age, latencies) comes from the builder's {@link Clock}.
 */
public final class Busbar implements AutoCloseable {
    private static final String DEFAULT_BUS = "default";
    private static final System.Logger LOG = System.getLogger(Busbar.class.getName());

    /** One bus: its description and the rules and targets published as one snapshot. */
    private final class Bus {
        final EventBus info;
        volatile Snapshot snapshot = Snapshot.EMPTY;
        /** Events of this bus that matched a rule; kept here so counting costs no lookup. */
        private volatile io.micrometer.core.instrument.Counter matched;

        Bus(EventBus info) {
            this.info = info;
        }

        io.micrometer.core.instrument.Counter matched() {
            io.micrometer.core.instrument.Counter c = matched;
            if (c == null) {
                matched = c = metrics.counter(BusMetrics.MATCHED_EVENTS, info.name(), null, null);
            }
            return c;
        }
    }

    /**
     * A rule with its targets in the order they were put, and when its schedule started counting (null when it has
     * none): a rate keeps its phase across restarts.
     */
    private record RuleEntry(Rule rule, Map<String, Target> targets, Instant scheduleAnchor, Target[] targetArray,
                             Dispatcher.Route[] routes, BusMetrics.RuleCounters counters) {
        RuleEntry(Rule rule, Map<String, Target> targets, Instant scheduleAnchor) {
            // The targets as an array too: every matched event walks them, and a map's view iterator cost 4% of it.
            // Their routes are made here once, not per event, and remember their lanes.
            this(rule, targets, scheduleAnchor, targets.values().toArray(new Target[0]), routes(rule, targets),
                    new BusMetrics.RuleCounters());
        }

        private static Dispatcher.Route[] routes(Rule rule, Map<String, Target> targets) {
            Dispatcher.Route[] routes = new Dispatcher.Route[targets.size()];
            int i = 0;
            for (Target t : targets.values()) {
                routes[i++] = new Dispatcher.Route(rule.eventBusName(), rule.name(), rule.arn(), t);
            }
            return routes;
        }
    }

    /** The rules of a bus and their compiled matcher, published together. */
    private record Snapshot(RuleSet matcher, Map<String, RuleEntry> rules) {
        static final Snapshot EMPTY = new Snapshot(RuleSet.empty(), Map.of());
    }

    private final Clock clock;
    private final String account;
    private final String region;
    private final Settings settings;
    private final BusMetrics metrics;
    private final ConcurrentMap<String, Bus> buses = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, EventHandler> functions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, InMemoryQueue> queues = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ApiDestination> apiDestinations = new ConcurrentHashMap<>();
    /** Tags by resource ARN. */
    private final ConcurrentMap<String, Map<String, String>> tags = new ConcurrentHashMap<>();
    /** Told of accepted events (schema discovery); each must return at once (see AcceptedEventListener). */
    private final List<AcceptedEventListener> acceptedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final DueTasks due;
    private final ExecutorService ownExecutor;
    private final TargetRegistry registry;
    private final Dispatcher dispatcher;
    private final RuleScheduler scheduler;
    private final EventBridgeScheduler eventBridgeScheduler;
    private final Object control = new Object();
    /** The control plane's durable copy (in memory without a data directory). */
    final io.busbar.core.store.ControlStore controlStore;
    /** Accepted events until delivered, or null when nothing is stored (memory mode). */
    private final EventStore store;
    /** Where files live, or null in memory mode. */
    final java.nio.file.Path dataDirectory;
    /** Archives and replays (spec 8.2, 8.3), kept in the control store and (with a data directory) in files. */
    private final Archives archives;
    private final Replays replays;
    private volatile boolean closed;

    private Busbar(Builder b) {
        this.clock = b.clock;
        this.account = b.account;
        this.region = b.region;
        this.settings = new Settings(b);
        this.dataDirectory = b.dataDirectory;
        if (b.eventStore != null) {
            this.store = b.eventStore;
        } else if (b.dataDirectory != null && b.durability != Durability.MEMORY) {
            this.store = EventStore.open(b.dataDirectory, b.durability, b.syncInterval, b.maxDataBytes);
        } else {
            this.store = null;
        }
        this.controlStore = store != null ? store.control() : ControlStore.inMemory();
        this.metrics = new BusMetrics(b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry());
        this.due = new DueTasks(clock, b.autoTick);
        if (b.executor == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "busbar-delivery-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.ownExecutor = Executors.newFixedThreadPool(b.deliveryThreads, tf);
        } else {
            this.ownExecutor = null;
        }
        functions.putAll(b.functions);
        Environment env = new Environment(Map.copyOf(b.properties));
        this.registry = new TargetRegistry(List.of(new BuiltInTargets(functions, queues)), b.providers,
                b.serviceLoader, env);
        this.dispatcher = new Dispatcher(clock, due, b.executor != null ? b.executor : ownExecutor, registry,
                metrics, b.random, b.laneCapacity, b.laneConcurrency, b.deliveryTimeout, store, b.deliveryLingerNanos,
                b.deliveryPollNanos);
        this.scheduler = new RuleScheduler(clock, due, this::fireScheduledRule);
        Instant now = clock.instant();
        buses.put(DEFAULT_BUS, new Bus(new EventBus(DEFAULT_BUS, busArn(DEFAULT_BUS), null, now)));
        if (store != null) {
            restore();
        }
        // After the restore: schedules that missed fires while down fire at once, onto the buses restored above.
        this.eventBridgeScheduler = new EventBridgeScheduler(clock, account, region, due, dispatcher, b.random,
                () -> closed, controlStore, store != null);
        this.archives = new Archives(clock, account, region, due, controlStore, dataDirectory, this::compile,
                this::describeEventBus);
        this.replays = new Replays(clock, account, region, due, controlStore, archives, this::describeEventBus,
                this::injectReplay);
        acceptedListeners.add(archives);
        if (store != null) {
            resumeDeliveries();
        }
    }

    /** Writes a control-plane change; a store that cannot keep it refuses the change. */
    private void persist(String key, Object value) {
        if (store == null) {
            return; // memory mode: nothing to restore from, so nothing to encode
        }
        try {
            if (value == null) {
                controlStore.delete(key);
            } else {
                controlStore.put(key, ControlCodec.write(value));
            }
        } catch (StoreException e) {
            throw new BusbarException("InternalException", e.getMessage());
        }
    }

    private static String ruleKey(String bus, String rule) {
        return "rule/" + bus + "/" + rule;
    }

    /** Rebuilds the control plane from the store (a restart on a data directory). */
    private void restore() {
        controlStore.entries("bus/").forEach((k, v) -> {
            EventBus b = ControlCodec.read(k, v, EventBus.class);
            buses.put(b.name(), new Bus(b));
        });
        controlStore.entries("connection/").forEach((k, v) -> {
            Connection c = ControlCodec.read(k, v, Connection.class);
            connections.put(c.name(), c);
        });
        controlStore.entries("api-destination/").forEach((k, v) -> {
            ApiDestination d = ControlCodec.read(k, v, ApiDestination.class);
            apiDestinations.put(d.name(), d);
        });
        controlStore.entries("tags/").forEach((k, v) -> tags.put(k.substring("tags/".length()),
                Collections.unmodifiableMap(ControlCodec.readTags(k, v))));
        Map<String, Map<String, RuleEntry>> rulesByBus = new LinkedHashMap<>();
        controlStore.entries("rule/").forEach((k, v) -> {
            ControlCodec.StoredRule r = ControlCodec.read(k, v, ControlCodec.StoredRule.class);
            Map<String, Target> targets = new LinkedHashMap<>();
            r.targets().forEach(t -> targets.put(t.id(), t));
            rulesByBus.computeIfAbsent(r.rule().eventBusName(), x -> new LinkedHashMap<>()).put(r.rule().name(),
                    new RuleEntry(r.rule(), Collections.unmodifiableMap(targets), r.scheduleAnchor()));
        });
        rulesByBus.forEach((busName, rules) -> {
            Bus bus = buses.get(busName);
            if (bus == null) {
                LOG.log(System.Logger.Level.WARNING, "Stored rules of event bus {0}, which is not stored, are ignored",
                        busName);
                return;
            }
            Map<String, EventPattern> patterns = new LinkedHashMap<>();
            for (RuleEntry e : rules.values()) {
                if (e.rule().eventPattern() != null && e.rule().state().enabled()) {
                    patterns.put(e.rule().name(), compile(e.rule().eventPattern()));
                }
            }
            bus.snapshot = new Snapshot(RuleSet.of(patterns), Collections.unmodifiableMap(rules));
            for (RuleEntry e : rules.values()) {
                Rule rule = e.rule();
                if (rule.scheduleExpression() != null && rule.state().enabled()) {
                    String fired = controlStore.entries("rule-fire/" + rule.arn()).get("rule-fire/" + rule.arn());
                    Instant from = fired == null ? clock.instant() : Instant.parse(fired);
                    scheduler.schedule(rule.arn(), Schedule.of(ScheduleExpression.parse(rule.scheduleExpression()),
                            e.scheduleAnchor() == null ? clock.instant() : e.scheduleAnchor()), from);
                }
            }
        });
    }

    /**
     * Queues again every delivery a previous process accepted and did not finish, with its attempt count and
     * original ingestion time (so retry limits and event age carry on). A delivery whose rule or target was removed
     * meanwhile is ended, as EventBridge stops delivering to a removed target.
     */
    private void resumeDeliveries() {
        int[] resumed = new int[2];
        store.recover(p -> {
            AcceptedEvent ev = p.event();
            Bus bus = buses.get(ev.busName());
            Snapshot s = bus == null ? null : bus.snapshot;
            for (int i = 0; i < ev.routes().size(); i++) {
                int attempt = p.attempt(i);
                if (attempt == 0) {
                    continue;
                }
                AcceptedEvent.Route ref = ev.routes().get(i);
                RuleEntry entry = s == null ? null : s.rules().get(ref.ruleName());
                Target t = entry == null ? null : entry.targets().get(ref.targetId());
                var payload = t == null ? java.util.Optional.<String>empty()
                        : t.input().render(new RenderContext(ev.eventJson(), entry.rule().arn(), ref.ruleName(),
                        ev.ingestion()));
                if (payload.isEmpty()) {
                    resumed[1]++;
                    store.finished(p.position(), i);
                    continue;
                }
                Rule rule = entry.rule();
                dispatcher.recover(new Dispatcher.Route(ev.busName(), rule.name(), rule.arn(), t),
                        new Delivery(payload.get(), ev.eventJson(), ev.eventId(), ev.busName(), rule.name(),
                                rule.arn(), t.id(), t.arn(), attempt, ev.ingestion(), ev.traceHeader(), Map.of()),
                        p.position(), i);
                resumed[0]++;
            }
        });
        LOG.log(System.Logger.Level.INFO, "Resumed {0} stored deliveries from {1}{2}", resumed[0], dataDirectory,
                resumed[1] == 0 ? "" : " (" + resumed[1] + " ended: their rule or target no longer exists)");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Clock clock() {
        return clock;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** Adds a listener told of every accepted PutEvents event; thread-safe. */
    public void addAcceptedEventListener(AcceptedEventListener listener) {
        acceptedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeAcceptedEventListener(AcceptedEventListener listener) {
        acceptedListeners.remove(listener);
    }

    // ---------------------------------------------------------------- buses

    public String busArn(String name) {
        return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
    }

    /** CreateEventBus. */
    public EventBus createEventBus(String name, String description) {
        return createEventBus(name, description, EventBus.Options.NONE);
    }

    /** CreateEventBus with its optional settings (spec 8.1), which the bus keeps and shows. */
    public EventBus createEventBus(String name, String description, EventBus.Options options) {
        Objects.requireNonNull(options, "options");
        Names.check("name", name, Names.BUS_NAME, 1, 256);
        Names.optional("description", description, 512);
        if (name.contains("/")) {
            throw BusbarException.validation("Event bus name must not contain '/'.");
        }
        synchronized (control) {
            if (buses.containsKey(name)) {
                throw new BusbarException(BusbarException.ALREADY_EXISTS, "Event bus " + name + " already exists.");
            }
            if (buses.size() >= settings.maxEventBuses) {
                throw new BusbarException(BusbarException.LIMIT_EXCEEDED,
                        "The requested resource exceeds the maximum number allowed.");
            }
            EventBus bus = new EventBus(name, busArn(name), description, clock.instant(), options);
            persist("bus/" + name, bus);
            buses.put(name, new Bus(bus));
            return bus;
        }
    }

    /** DescribeEventBus; the name may be an ARN. */
    public EventBus describeEventBus(String nameOrArn) {
        return bus(nameOrArn).info;
    }

    /** ListEventBuses, sorted by name. */
    public List<EventBus> listEventBuses(String namePrefix) {
        List<EventBus> out = new ArrayList<>();
        for (Bus b : new TreeMap<>(buses).values()) {
            if (namePrefix == null || b.info.name().startsWith(namePrefix)) {
                out.add(b.info);
            }
        }
        return out;
    }

    /** DeleteEventBus: the default bus cannot be deleted, nor a bus that still has rules. */
    public void deleteEventBus(String name) {
        String n = Names.localBusName("name", name, account, region);
        if (DEFAULT_BUS.equals(n)) {
            throw BusbarException.validation("Cannot delete event bus default.");
        }
        synchronized (control) {
            Bus bus = n == null ? null : buses.get(n);
            if (bus == null) {
                return;
            }
            if (!bus.snapshot.rules().isEmpty()) {
                throw BusbarException.validation("Cannot delete event bus " + n + " because it still has rules.");
            }
            persist("bus/" + n, null);
            setTags(bus.info.arn(), Map.of());
            buses.remove(n);
        }
    }

    private Bus bus(String nameOrArn) {
        String name = Names.localBusName("eventBusName", nameOrArn, account, region);
        Bus bus = name == null ? null : buses.get(name);
        if (bus == null) {
            // a bus of another account or region is named by its ARN: the name alone would be a bus here
            throw BusbarException.notFound("Event bus " + (name == null ? nameOrArn : name) + " does not exist.");
        }
        return bus;
    }

    // ---------------------------------------------------------------- rules

    private String ruleArn(String bus, String rule) {
        return "arn:aws:events:" + region + ":" + account + ":rule/"
                + (DEFAULT_BUS.equals(bus) ? rule : bus + "/" + rule);
    }

    /** PutRule: creates or replaces the rule (members not given are cleared); its targets are kept. */
    public Rule putRule(PutRuleRequest request) {
        Objects.requireNonNull(request, "request");
        String name = Names.check("name", request.name(), Names.NAME, 1, 64);
        Names.optional("description", request.description(), 512);
        Names.optional("roleArn", request.roleArn(), 1600);
        Names.optional("scheduleExpression", request.scheduleExpression(), 256);
        if (request.eventPattern() == null && request.scheduleExpression() == null) {
            throw BusbarException.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        EventPattern pattern = request.eventPattern() == null ? null : compile(request.eventPattern());
        ScheduleExpression schedule = null;
        if (request.scheduleExpression() != null) {
            try {
                schedule = ScheduleExpression.parse(request.scheduleExpression());
            } catch (InvalidScheduleExpressionException e) {
                throw BusbarException.validation(e.getMessage());
            }
        }
        synchronized (control) {
            Bus bus = bus(request.eventBusName());
            String busName = bus.info.name();
            if (request.scheduleExpression() != null && !DEFAULT_BUS.equals(busName)) {
                throw BusbarException.validation("ScheduleExpression is supported only on the default event bus.");
            }
            Snapshot s = bus.snapshot;
            RuleEntry old = s.rules().get(name);
            if (old == null && s.rules().size() >= settings.maxRulesPerBus) {
                throw new BusbarException(BusbarException.LIMIT_EXCEEDED,
                        "The requested resource exceeds the maximum number allowed.");
            }
            if (pattern != null && pattern.usesWildcards()) {
                long wildcardRules = s.rules().values().stream()
                        .filter(e -> !e.rule().name().equals(name) && e.rule().eventPattern() != null)
                        .filter(e -> s.matcher().pattern(e.rule().name()) != null
                                ? s.matcher().pattern(e.rule().name()).usesWildcards()
                                : compile(e.rule().eventPattern()).usesWildcards())
                        .count();
                if (wildcardRules >= settings.maxWildcardRulesPerBus) {
                    throw new BusbarException(BusbarException.LIMIT_EXCEEDED,
                            "The requested resource exceeds the maximum number allowed: at most "
                                    + settings.maxWildcardRulesPerBus + " rules per event bus may use wildcards.");
                }
            }
            RuleState state = request.state() == null ? RuleState.ENABLED : request.state();
            Rule rule = new Rule(name, busName, ruleArn(busName, name), request.eventPattern(),
                    request.scheduleExpression(), state, request.description(), request.roleArn());
            // A rate counts from the time the rule was created or its schedule changed (spec 11.22).
            boolean same = schedule != null && old != null && old.rule().state().enabled()
                    && request.scheduleExpression().equals(old.rule().scheduleExpression());
            Instant anchor = schedule == null ? null : same && old.scheduleAnchor() != null ? old.scheduleAnchor()
                    : clock.instant();
            RuleEntry entry = new RuleEntry(rule, old == null ? Map.of() : old.targets(), anchor);
            persistRule(entry);
            Map<String, RuleEntry> rules = new LinkedHashMap<>(s.rules());
            rules.put(name, entry);
            RuleSet matcher = pattern != null && state.enabled() ? s.matcher().with(name, pattern)
                    : s.matcher().without(name);
            bus.snapshot = new Snapshot(matcher, Collections.unmodifiableMap(rules));
            if (schedule != null && state.enabled()) {
                if (!same) {
                    scheduler.schedule(rule.arn(), Schedule.of(schedule, anchor));
                }
            } else {
                scheduler.cancel(rule.arn());
            }
            return rule;
        }
    }

    private void persistRule(RuleEntry e) {
        persist(ruleKey(e.rule().eventBusName(), e.rule().name()),
                new ControlCodec.StoredRule(e.rule(), List.copyOf(e.targets().values()), e.scheduleAnchor()));
    }

    private EventPattern compile(String text) {
        try {
            return EventPattern.compile(text, settings.patternLimits);
        } catch (InvalidEventPatternException e) {
            throw new BusbarException(e.errorCode(), e.getMessage());
        }
    }

    /** DescribeRule. */
    public Rule describeRule(String eventBusName, String ruleName) {
        return ruleEntry(bus(eventBusName), ruleName).rule();
    }

    private RuleEntry ruleEntry(Bus bus, String ruleName) {
        RuleEntry e = bus.snapshot.rules().get(ruleName);
        if (e == null) {
            throw BusbarException.notFound("Rule " + ruleName + " does not exist on EventBus " + bus.info.name() + ".");
        }
        return e;
    }

    /** ListRules: sorted by name, {@code limit} (1–100) per page. */
    public Page<Rule> listRules(String eventBusName, String namePrefix, Integer limit, String nextToken) {
        Bus bus = bus(eventBusName);
        List<Rule> all = new ArrayList<>();
        for (RuleEntry e : new TreeMap<>(bus.snapshot.rules()).values()) {
            if (namePrefix == null || e.rule().name().startsWith(namePrefix)) {
                all.add(e.rule());
            }
        }
        return page(all, limit, nextToken);
    }

    private static <T> Page<T> page(List<T> all, Integer limit, String nextToken) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 100) {
            throw BusbarException.constraint("limit", String.valueOf(limit), "Member must have value between 1 and 100");
        }
        int from = 0;
        if (nextToken != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new BusbarException(BusbarException.INVALID_TOKEN, "The NextToken is not valid.");
            }
            if (from < 0 || from > all.size()) {
                throw new BusbarException(BusbarException.INVALID_TOKEN, "The NextToken is not valid.");
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size()
                ? Base64.getUrlEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(from, to), next);
    }

    /** EnableRule. */
    public void enableRule(String eventBusName, String ruleName) {
        setState(eventBusName, ruleName, RuleState.ENABLED);
    }

    /** DisableRule: the rule matches nothing until enabled again. */
    public void disableRule(String eventBusName, String ruleName) {
        setState(eventBusName, ruleName, RuleState.DISABLED);
    }

    private void setState(String eventBusName, String ruleName, RuleState state) {
        synchronized (control) {
            Bus bus = bus(eventBusName);
            Rule r = ruleEntry(bus, ruleName).rule();
            putRule(new PutRuleRequest(r.name(), bus.info.name(), r.eventPattern(), r.scheduleExpression(), state,
                    r.description(), r.roleArn()));
        }
    }

    /** DeleteRule: idempotent; a rule that still has targets cannot be deleted. */
    public void deleteRule(String eventBusName, String ruleName) {
        synchronized (control) {
            Bus bus = bus(eventBusName);
            Snapshot s = bus.snapshot;
            RuleEntry e = s.rules().get(ruleName);
            if (e == null) {
                return;
            }
            if (!e.targets().isEmpty()) {
                throw BusbarException.validation("Rule can't be deleted since it has targets.");
            }
            persist(ruleKey(bus.info.name(), ruleName), null);
            setTags(e.rule().arn(), Map.of());
            if (e.rule().scheduleExpression() != null) {
                persist("rule-fire/" + e.rule().arn(), null);
            }
            Map<String, RuleEntry> rules = new LinkedHashMap<>(s.rules());
            rules.remove(ruleName);
            bus.snapshot = new Snapshot(s.matcher().without(ruleName), Collections.unmodifiableMap(rules));
            scheduler.cancel(e.rule().arn());
        }
    }

    /** ListRuleNamesByTarget: the rules of a bus with a target of that ARN, sorted. */
    public List<String> listRuleNamesByTarget(String eventBusName, String targetArn) {
        Bus bus = bus(eventBusName);
        List<String> out = new ArrayList<>();
        for (RuleEntry e : new TreeMap<>(bus.snapshot.rules()).values()) {
            if (e.targets().values().stream().anyMatch(t -> t.arn().equals(targetArn))) {
                out.add(e.rule().name());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- targets

    /** PutTargets: adds or replaces targets by id; at most 10 per call and 5 per rule. */
    public PutTargetsResult putTargets(String eventBusName, String ruleName, List<Target> targets) {
        Objects.requireNonNull(targets, "targets");
        if (targets.isEmpty() || targets.size() > 10) {
            throw BusbarException.constraint("targets", "[" + targets.size() + " targets]", targets.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 10");
        }
        synchronized (control) {
            Bus bus = bus(eventBusName);
            Snapshot s = bus.snapshot;
            RuleEntry e = ruleEntry(bus, ruleName);
            Map<String, Target> next = new LinkedHashMap<>(e.targets());
            for (Target t : targets) {
                String misfit = TargetChecks.invalid(t, region);
                if (misfit != null) {
                    throw TargetValidationException.invalid(misfit);
                }
                // What a target's provider refuses (HttpParameters of the wrong shape, a property it needs unset)
                // would fail every delivery for good: refuse it here, where the caller learns it.
                String invalid = registry.invalidParameters(new io.busbar.core.spi.TargetSpec(t.arn(),
                        t.parameters()));
                if (invalid != null) {
                    throw TargetValidationException.invalid("Target " + t.id() + " is not valid: " + invalid);
                }
                next.put(t.id(), t);
            }
            if (next.size() > settings.maxTargetsPerRule) {
                throw new BusbarException(BusbarException.LIMIT_EXCEEDED,
                        "The requested resource exceeds the maximum number allowed.");
            }
            replace(bus, s, new RuleEntry(e.rule(), Collections.unmodifiableMap(next), e.scheduleAnchor()));
            return new PutTargetsResult(0, List.of());
        }
    }

    private void replace(Bus bus, Snapshot s, RuleEntry entry) {
        persistRule(entry);
        Map<String, RuleEntry> rules = new LinkedHashMap<>(s.rules());
        rules.put(entry.rule().name(), entry);
        bus.snapshot = new Snapshot(s.matcher(), Collections.unmodifiableMap(rules));
    }

    /** RemoveTargets: ids the rule does not have are ignored. */
    public PutTargetsResult removeTargets(String eventBusName, String ruleName, List<String> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty() || ids.size() > 100) {
            throw BusbarException.constraint("ids", ids.toString(), ids.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 100");
        }
        synchronized (control) {
            Bus bus = bus(eventBusName);
            Snapshot s = bus.snapshot;
            RuleEntry e = ruleEntry(bus, ruleName);
            Map<String, Target> next = new LinkedHashMap<>(e.targets());
            ids.forEach(next::remove);
            replace(bus, s, new RuleEntry(e.rule(), Collections.unmodifiableMap(next), e.scheduleAnchor()));
            return new PutTargetsResult(0, List.of());
        }
    }

    /** ListTargetsByRule, in the order the targets were put. */
    public List<Target> listTargetsByRule(String eventBusName, String ruleName) {
        return List.copyOf(ruleEntry(bus(eventBusName), ruleName).targets().values());
    }

    // ---------------------------------------------------------------- connections and API destinations

    /** CreateConnection: BASIC and API_KEY connections are AUTHORIZED at once, OAuth ones AUTHORIZING. */
    public Connection createConnection(String name, String description, ConnectionAuth auth) {
        Names.check("name", name, Names.NAME, 1, 64);
        Names.optional("description", description, 512);
        Objects.requireNonNull(auth, "authParameters");
        synchronized (control) {
            if (connections.containsKey(name)) {
                throw new BusbarException(BusbarException.ALREADY_EXISTS, "Connection " + name + " already exists.");
            }
            Instant now = clock.instant();
            Connection c = new Connection(name, "arn:aws:events:" + region + ":" + account + ":connection/" + name + "/"
                    + newEventId(), description, auth, initialState(auth), now, now, now);
            persist("connection/" + name, c);
            connections.put(name, c);
            return c;
        }
    }

    private static String initialState(ConnectionAuth auth) {
        return auth.type() == ConnectionAuth.AuthorizationType.OAUTH_CLIENT_CREDENTIALS ? "AUTHORIZING" : "AUTHORIZED";
    }

    /** UpdateConnection: a {@code null} description or authorization keeps the current one. */
    public Connection updateConnection(String name, String description, ConnectionAuth auth) {
        Names.optional("description", description, 512);
        synchronized (control) {
            Connection old = describeConnection(name);
            ConnectionAuth a = auth == null ? old.auth() : auth;
            Instant now = clock.instant();
            Connection c = new Connection(name, old.arn(), description == null ? old.description() : description, a,
                    auth == null ? old.state() : initialState(a), old.created(), now,
                    auth == null ? old.lastAuthorized() : now);
            persist("connection/" + name, c);
            connections.put(name, c);
            return c;
        }
    }

    public Connection describeConnection(String name) {
        Connection c = name == null ? null : connections.get(name);
        if (c == null) {
            throw BusbarException.notFound("Failed to describe the connection(s). Connection '" + name
                    + "' does not exist.");
        }
        return c;
    }

    /** DeleteConnection: answers the connection in state {@code DELETING}, as EventBridge does. */
    public Connection deleteConnection(String name) {
        synchronized (control) {
            Connection c = describeConnection(name);
            persist("connection/" + name, null);
            connections.remove(name);
            return new Connection(c.name(), c.arn(), c.description(), c.auth(), "DELETING", c.created(),
                    clock.instant(), c.lastAuthorized());
        }
    }

    public List<Connection> listConnections(String namePrefix) {
        return new TreeMap<>(connections).values().stream()
                .filter(c -> namePrefix == null || c.name().startsWith(namePrefix)).toList();
    }

    /** CreateApiDestination; the connection must exist. A {@code null} rate limit means 300 per second. */
    public ApiDestination createApiDestination(String name, String description, String connectionArn,
                                               String invocationEndpoint, String httpMethod, Integer rateLimit) {
        synchronized (control) {
            if (name != null && apiDestinations.containsKey(name)) {
                throw new BusbarException(BusbarException.ALREADY_EXISTS, "An api-destination '" + name
                        + "' already exists.");
            }
            requireConnection(connectionArn);
            Instant now = clock.instant();
            ApiDestination d = new ApiDestination(name, "arn:aws:events:" + region + ":" + account + ":api-destination/"
                    + name + "/" + newEventId(), description, connectionArn, invocationEndpoint, httpMethod,
                    rateLimit == null ? 300 : rateLimit, "ACTIVE", now, now);
            persist("api-destination/" + name, d);
            apiDestinations.put(name, d);
            return d;
        }
    }

    private void requireConnection(String connectionArn) {
        Names.check("connectionArn", connectionArn, null, 1, 1600);
        if (connections.values().stream().noneMatch(c -> c.arn().equals(connectionArn))) {
            throw BusbarException.notFound("Connection '" + connectionArn + "' does not exist.");
        }
    }

    /** UpdateApiDestination: members left {@code null} keep their value. */
    public ApiDestination updateApiDestination(String name, String description, String connectionArn,
                                               String invocationEndpoint, String httpMethod, Integer rateLimit) {
        synchronized (control) {
            ApiDestination old = describeApiDestination(name);
            if (connectionArn != null) {
                requireConnection(connectionArn);
            }
            ApiDestination d = new ApiDestination(name, old.arn(),
                    description == null ? old.description() : description,
                    connectionArn == null ? old.connectionArn() : connectionArn,
                    invocationEndpoint == null ? old.invocationEndpoint() : invocationEndpoint,
                    httpMethod == null ? old.httpMethod() : httpMethod,
                    rateLimit == null ? old.invocationRateLimitPerSecond() : rateLimit, old.state(), old.created(),
                    clock.instant());
            persist("api-destination/" + name, d);
            apiDestinations.put(name, d);
            return d;
        }
    }

    public ApiDestination describeApiDestination(String name) {
        ApiDestination d = name == null ? null : apiDestinations.get(name);
        if (d == null) {
            throw BusbarException.notFound("Failed to describe the api-destination(s). An api-destination '" + name
                    + "' does not exist.");
        }
        return d;
    }

    public void deleteApiDestination(String name) {
        synchronized (control) {
            describeApiDestination(name);
            persist("api-destination/" + name, null);
            apiDestinations.remove(name);
        }
    }

    public List<ApiDestination> listApiDestinations(String namePrefix, String connectionArn) {
        return new TreeMap<>(apiDestinations).values().stream()
                .filter(d -> namePrefix == null || d.name().startsWith(namePrefix))
                .filter(d -> connectionArn == null || d.connectionArn().equals(connectionArn)).toList();
    }

    // ---------------------------------------------------------------- tags

    /** The resource's tags, in the order they were first set (empty when it has none). */
    public Map<String, String> tags(String resourceArn) {
        return tags.getOrDefault(resourceArn, Map.of());
    }

    /**
     * Adds or overwrites tags of a resource (the caller checks that the resource exists).
     *
     * @throws BusbarException {@code LimitExceededException} when the resource would have more than 50 tags
     */
    public void tagResource(String resourceArn, Map<String, String> added) {
        synchronized (control) {
            Map<String, String> next = new LinkedHashMap<>(tags(resourceArn));
            next.putAll(added);
            if (next.size() > 50) {
                throw new BusbarException(BusbarException.LIMIT_EXCEEDED,
                        "The requested resource exceeds the maximum number allowed.");
            }
            setTags(resourceArn, next);
        }
    }

    /** Removes tags by key; keys the resource does not have are ignored. */
    public void untagResource(String resourceArn, List<String> keys) {
        synchronized (control) {
            Map<String, String> next = new LinkedHashMap<>(tags(resourceArn));
            keys.forEach(next::remove);
            setTags(resourceArn, next);
        }
    }

    private void setTags(String arn, Map<String, String> next) {
        if (next.isEmpty() && !tags.containsKey(arn)) {
            return;
        }
        persist("tags/" + arn, next.isEmpty() ? null : next);
        if (next.isEmpty()) {
            tags.remove(arn);
        } else {
            tags.put(arn, Collections.unmodifiableMap(next));
        }
    }

    // ---------------------------------------------------------------- archives and replay

    /**
     * CreateArchive: keeps the events of a bus that match {@code eventPattern} (every event when {@code null}),
     * except replayed events, for {@code retentionDays} by event time ({@code null} or 0: indefinitely). With a data
     * directory the events go to append-only files under {@code archives/<name>/}, written to the operating system
     * as they arrive but synced only every second and at close, so a machine crash can lose the last second.
     *
     * @param eventSourceArn the ARN of an existing bus
     * @throws BusbarException {@code ResourceAlreadyExistsException}, {@code ResourceNotFoundException} (the bus),
     *                         {@code InvalidEventPatternException}, {@code ValidationException}
     */
    public Archive createArchive(String name, String eventSourceArn, String description, String eventPattern,
                                 Integer retentionDays) {
        return archives.create(name, eventSourceArn, description, eventPattern, retentionDays);
    }

    /** DescribeArchive, with its current EventCount and SizeBytes. */
    public Archive describeArchive(String name) {
        return archives.describe(name);
    }

    /**
     * UpdateArchive: members left {@code null} keep their value (at least one must be given); a new pattern applies
     * to events archived from now on, a shorter retention at the next hourly retention sweep.
     */
    public Archive updateArchive(String name, String description, String eventPattern, Integer retentionDays) {
        return archives.update(name, description, eventPattern, retentionDays);
    }

    /** ListArchives, sorted by name; each filter may be {@code null}. */
    public Page<Archive> listArchives(String namePrefix, String eventSourceArn, ArchiveState state, Integer limit,
                                      String nextToken) {
        return page(archives.list(namePrefix, eventSourceArn, state), limit, nextToken);
    }

    /** DeleteArchive: the archive and its events are gone; a replay still reading it fails. */
    public void deleteArchive(String name) {
        archives.delete(name);
    }

    /**
     * StartReplay: sends the archive's events whose time is in {@code [eventStartTime, eventEndTime)} to its bus
     * again, with {@code "replay-name"}, to the rules in the destination's filter (all rules when empty). Returns at
     * once in state {@code STARTING}; the replay runs on the bus's timed-work thread, in event-time order, as fast
     * as the target queues take the events. At most 10 replays are active at once.
     *
     * @param eventSourceArn the archive's ARN
     * @throws BusbarException {@code ResourceAlreadyExistsException}, {@code LimitExceededException},
     *                         {@code ResourceNotFoundException} (the destination bus), {@code ValidationException}
     */
    public Replay startReplay(String name, String description, String eventSourceArn, Instant eventStartTime,
                              Instant eventEndTime, ReplayDestination destination) {
        return replays.start(name, description, eventSourceArn, eventStartTime, eventEndTime, destination);
    }

    /** DescribeReplay, with its progress ({@code eventLastReplayedTime}). */
    public Replay describeReplay(String name) {
        return replays.describe(name);
    }

    /** ListReplays, sorted by name; each filter may be {@code null}. */
    public Page<Replay> listReplays(String namePrefix, ReplayState state, String eventSourceArn, Integer limit,
                                    String nextToken) {
        return page(replays.list(namePrefix, state, eventSourceArn), limit, nextToken);
    }

    /**
     * CancelReplay: a starting or running replay becomes {@code CANCELLING} and stops, as {@code CANCELLED}, before
     * its next events.
     *
     * @throws BusbarException {@code IllegalStatusException} when the replay has ended or is already cancelling
     */
    public Replay cancelReplay(String name) {
        return replays.cancel(name);
    }

    // ---------------------------------------------------------------- built-in targets

    /** Registers (or replaces) an in-process function; returns its ARN for use as a target. */
    public String registerFunction(String name, EventHandler handler) {
        Names.check("functionName", name, Names.NAME, 1, 64);
        functions.put(name, Objects.requireNonNull(handler, "handler"));
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    }

    /** The in-memory queue of that name, created on first use; its {@link InMemoryQueue#arn()} is a target ARN. */
    public InMemoryQueue queue(String name) {
        Names.check("queueName", name, Names.NAME, 1, 80);
        return queues.computeIfAbsent(name,
                n -> new InMemoryQueue(n, "arn:aws:sqs:" + region + ":" + account + ":" + n));
    }

    // ---------------------------------------------------------------- events

    /**
     * PutEvents: validates each entry on its own, matches the good ones against their bus and queues a delivery for
     * each target of each matched rule. Returns once the accepted entries are stored (at once in memory mode);
     * deliveries happen on the bus's threads.
     *
     * @throws BusbarException {@code ValidationException} for a call with no entry, more than 10, an invalid bus
     *                         name, or entries over the size limit (spec 1.3, 1.4)
     */
    public PutEventsResult putEvents(List<PutEventsEntry> entries) {
        try {
            return putEventsAsync(entries).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * PutEvents without waiting: the future completes when every accepted entry is durable by the bus's
     * {@link Durability} (at once in memory mode), so a server can have many requests share one disk sync. An entry
     * the store could not keep fails with {@code InternalFailure}; nothing acknowledged is lost.
     *
     * @throws BusbarException as {@link #putEvents}, before any entry is accepted
     */
    public java.util.concurrent.CompletableFuture<PutEventsResult> putEventsAsync(List<PutEventsEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        long start = System.nanoTime();
        if (entries.isEmpty() || entries.size() > 10) {
            throw BusbarException.constraint("entries", "[" + entries.size() + " entries]", entries.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 10");
        }
        long bound = 0;
        for (int i = 0; i < entries.size(); i++) {
            PutEventsEntry e = entries.get(i);
            if (e == null) {
                throw BusbarException.validation("1 validation error detected: Value null at 'entries' failed to "
                        + "satisfy constraint: Member must not be null");
            }
            bound += entrySizeBound(e);
            Names.busName("entries." + (i + 1) + ".member.eventBusName", e.eventBusName());
            if (e.traceHeader() != null) {
                // the model's bounds (1-500): a constraint on the request, like the bus name's
                Names.check("entries." + (i + 1) + ".member.traceHeader", e.traceHeader(), null, 1, 500);
            }
        }
        // A char is at most 3 UTF-8 bytes, so the exact count (a pass over every char) is only needed near the limit.
        if (bound > settings.maxEntriesSizeBytes && entriesSize(entries) > settings.maxEntriesSizeBytes) {
            throw BusbarException.validation("Total size of the entries in the request is over the limit.");
        }
        PutEventsResult.Entry[] out = new PutEventsResult.Entry[entries.size()];
        List<Prepared> toStore = store == null ? null : new ArrayList<>(entries.size());
        Instant now = clock.instant();
        Dispatcher.Batch batch = new Dispatcher.Batch();
        try {
            for (int i = 0; i < out.length; i++) {
                out[i] = closed
                        ? PutEventsResult.Entry.failed("InternalFailure", "The event bus is shutting down.")
                        : putOne(entries.get(i), now, i, toStore, batch);
            }
        } finally {
            dispatcher.start(batch);
        }
        if (toStore == null || toStore.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(result(out, start));
        }
        List<AcceptedEvent> accepted = new ArrayList<>(toStore.size());
        for (Prepared p : toStore) {
            accepted.add(p.accepted());
        }
        return store.append(accepted).handle((positions, error) -> {
            for (int k = 0; k < toStore.size(); k++) {
                Prepared p = toStore.get(k);
                if (error == null) {
                    dispatcher.commit(p.reservation(), p.deliveries(), positions[k]);
                    accepted(p.busName(), p.json());
                } else {
                    dispatcher.cancel(p.reservation());
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause()
                            : error;
                    out[p.index()] = PutEventsResult.Entry.failed("InternalFailure", cause.getMessage());
                }
            }
            return result(out, start);
        });
    }

    private PutEventsResult result(PutEventsResult.Entry[] out, long start) {
        int failed = 0;
        for (PutEventsResult.Entry r : out) {
            if (r.failed()) {
                failed++;
            }
        }
        metrics.count(BusMetrics.PUT_EVENTS_ENTRIES, null, null, null, out.length);
        if (failed > 0) {
            metrics.count(BusMetrics.PUT_EVENTS_FAILED_ENTRIES, null, null, null, failed);
        }
        metrics.time(BusMetrics.PUT_EVENTS_LATENCY, null, null, null, Duration.ofNanos(System.nanoTime() - start));
        return new PutEventsResult(failed, List.of(out));
    }

    /** An upper bound of {@link #entrySize}: three bytes per char. */
    private static long entrySizeBound(PutEventsEntry e) {
        long chars = length(e.source()) + length(e.detailType()) + length(e.detail());
        if (e.resources() != null) {
            for (String r : e.resources()) {
                chars += length(r);
            }
        }
        return (e.time() != null ? 14 : 0) + 3 * chars;
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private static long entriesSize(List<PutEventsEntry> entries) {
        long size = 0;
        for (PutEventsEntry e : entries) {
            size += entrySize(e);
        }
        return size;
    }

    /** The size EventBridge counts for an entry (spec 1.4). */
    static long entrySize(PutEventsEntry e) {
        long size = e.time() != null ? 14 : 0;
        size += utf8Length(e.source()) + utf8Length(e.detailType()) + utf8Length(e.detail());
        if (e.resources() != null) {
            for (String r : e.resources()) {
                size += utf8Length(r);
            }
        }
        return size;
    }

    private static long utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Validates, matches and reserves one entry. In memory mode its deliveries are queued at once and their runners
     * started with the rest of the call's ({@code batch}); with a store, an entry with deliveries is added to
     * {@code toStore} and queued once stored.
     */
    private PutEventsResult.Entry putOne(PutEventsEntry e, Instant now, int index, List<Prepared> toStore,
                                         Dispatcher.Batch batch) {
        if (e.source() == null || e.source().isEmpty()) {
            return PutEventsResult.Entry.failed("InvalidArgument",
                    "Parameter Source is not valid. Reason: Source is a required argument.");
        }
        if (e.detailType() == null || e.detailType().isEmpty()) {
            return PutEventsResult.Entry.failed("InvalidArgument",
                    "Parameter DetailType is not valid. Reason: DetailType is a required argument.");
        }
        if (e.detailType().length() > 128) {
            // The documented limit (spec 1.2). The entry fails and the others go on, as for the other entry checks.
            return PutEventsResult.Entry.failed("InvalidArgument",
                    "Parameter DetailType is not valid. Reason: DetailType must be at most 128 characters.");
        }
        if (e.detail() == null) {
            return PutEventsResult.Entry.failed("InvalidArgument",
                    "Parameter Detail is not valid. Reason: Detail is a required argument.");
        }
        byte[] detail = e.detail().getBytes(StandardCharsets.UTF_8);
        if (!DetailValidator.isValid(detail, 0, detail.length)) {
            return PutEventsResult.Entry.failed("MalformedDetail", "Detail is malformed.");
        }
        List<String> resources = e.resources() == null ? List.of() : e.resources();
        for (String r : resources) {
            if (r == null || r.length() > 2048) {
                return PutEventsResult.Entry.failed("InvalidArgument",
                        "Parameter Resources is not valid. Reason: each resource must be 1 to 2048 characters.");
            }
        }
        String id = newEventId();
        String busName = Names.localBusName("eventBusName", e.eventBusName(), account, region);
        Bus bus = busName == null ? null : buses.get(busName);
        if (bus == null) {
            // EventBridge accepts events for a bus that does not exist and drops them (spec 1.3).
            return PutEventsResult.Entry.ok(id);
        }
        Envelope.Encoded envelope = Envelope.utf8(id, e.detailType(), e.source(), account,
                e.time() != null ? e.time() : now, region, null, resources, detail);
        String json = envelope.text();
        Prepared p = prepare(bus, json, envelope.bytes(), envelope.length(), envelope.starts(), id, now,
                e.traceHeader(), false, index, null);
        if (p != null && p.reservation().full() != null) {
            Dispatcher.Route throttled = p.reservation().full();
            return PutEventsResult.Entry.failed("ThrottlingException", "Rate exceeded: the queue of target "
                    + throttled.target().id() + " of rule " + throttled.ruleArn() + " is full.");
        }
        if (p != null && toStore != null) {
            toStore.add(p);
            return PutEventsResult.Entry.ok(id);
        }
        if (p != null) {
            dispatcher.commit(p.reservation(), p.deliveries(), -1, batch);
        }
        accepted(busName, json);
        return PutEventsResult.Entry.ok(id);
    }

    private void accepted(String busName, String json) {
        for (AcceptedEventListener l : acceptedListeners) {
            try {
                l.accepted(busName, json);
            } catch (RuntimeException ex) {
                // a listener cannot fail an event (AcceptedEventListener's contract)
            }
        }
    }

    /**
     * A version-4 UUID from the thread's fast generator: event ids need uniqueness, not secrecy, and
     * {@link UUID#randomUUID()} draws on a shared SecureRandom that would serialise PutEvents threads.
     */
    static String newEventId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xf000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * An event matched and its lanes reserved (or refused: {@code reservation().full()}), not yet queued.
     *
     * @param index the entry's place in its PutEvents call
     */
    private record Prepared(int index, String busName, String json, String id, Instant ingestion, String traceHeader,
                            Dispatcher.Reservation reservation, List<Delivery> deliveries) {
        AcceptedEvent accepted() {
            List<AcceptedEvent.Route> refs = new ArrayList<>(deliveries.size());
            for (Delivery d : deliveries) {
                refs.add(new AcceptedEvent.Route(d.ruleName(), d.targetId()));
            }
            return new AcceptedEvent(busName, id, ingestion, traceHeader, json, refs);
        }
    }

    /** Matches an event on a bus and reserves room for its deliveries; null when it matched no target. */
    private Prepared prepare(Bus bus, String json, String id, Instant ingestion, String traceHeader,
                             boolean forwarded, int index, java.util.Set<String> ruleArns) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return prepare(bus, json, utf8, utf8.length, null, id, ingestion, traceHeader, forwarded, index, ruleArns);
    }

    /**
     * As above, with the event's UTF-8 already at hand: the first {@code utf8Length} bytes of {@code utf8}; and, for
     * an envelope this bus wrote, where its members start ({@link Envelope.Encoded#starts()}, else null), so the
     * matcher reads only the values the rules need.
     */
    private Prepared prepare(Bus bus, String json, byte[] utf8, int utf8Length, int[] starts, String id,
                             Instant ingestion, String traceHeader, boolean forwarded, int index,
                             java.util.Set<String> ruleArns) {
        Snapshot s = bus.snapshot;
        String busName = bus.info.name();
        List<String> matched = starts == null ? s.matcher().match(utf8, 0, utf8Length)
                : s.matcher().match(utf8, utf8Length, Envelope.LAYOUT, starts);
        if (matched.isEmpty()) {
            return null;
        }
        bus.matched().increment();
        List<Dispatcher.Route> routes = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (String ruleName : matched) {
            RuleEntry entry = s.rules().get(ruleName);
            if (entry == null || !entry.rule().state().enabled()
                    || (ruleArns != null && !ruleArns.contains(entry.rule().arn()))) {
                continue;
            }
            entry.counters().matchedAndTriggered(metrics, busName, ruleName);
            Rule rule = entry.rule();
            Target[] targets = entry.targetArray();
            for (int k = 0; k < targets.length; k++) {
                Target t = targets[k];
                if (forwarded && t.arn().contains(":event-bus/")) {
                    continue; // no third hop (spec 1.6)
                }
                var payload = t.input().render(new RenderContext(json, rule.arn(), rule.name(), ingestion));
                if (payload.isEmpty()) {
                    // EventBridge drops an invocation whose transformed input is not valid JSON; counted, so the
                    // drop shows, and logged at debug level (a bad template would log every event otherwise)
                    metrics.count(BusMetrics.DROPPED_INVOCATIONS, busName, ruleName, t.id());
                    LOG.log(System.Logger.Level.DEBUG, "Dropped the invocation of target {0} of rule {1} for event "
                            + "{2}: its transformed input is not valid JSON", t.id(), rule.arn(), id);
                    continue;
                }
                routes.add(entry.routes()[k]);
                deliveries.add(new Delivery(payload.get(), json, id, busName, ruleName, rule.arn(), t.id(), t.arn(), 1,
                        ingestion, traceHeader, Map.of()));
            }
        }
        if (routes.isEmpty()) {
            return null;
        }
        Dispatcher.Reservation reservation = dispatcher.reserve(routes);
        if (reservation.full() != null) {
            metrics.count(BusMetrics.THROTTLED_RULES, busName, reservation.full().ruleName(), null);
        }
        return new Prepared(index, busName, json, id, ingestion, traceHeader, reservation, deliveries);
    }

    /**
     * Matches an event on a bus, stores it when the bus keeps events, and queues its deliveries; waits for the store.
     * Returns why it was refused (a full target queue, a store failure), or null when accepted.
     */
    private String route(Bus bus, String json, String id, Instant ingestion, String traceHeader, boolean forwarded,
                         java.util.Set<String> ruleArns) {
        return routeAsync(bus, json, id, ingestion, traceHeader, forwarded, ruleArns).join();
    }

    /**
     * As {@link #route}, without waiting for the store: the future completes with the refusal or null. A delivery
     * that forwards to another bus uses this, so that it never waits for the store's writer (which, with a
     * direct executor, may be the very thread running the delivery).
     */
    private java.util.concurrent.CompletableFuture<String> routeAsync(Bus bus, String json, String id,
                                                                     Instant ingestion, String traceHeader,
                                                                     boolean forwarded,
                                                                     java.util.Set<String> ruleArns) {
        Prepared p = prepare(bus, json, id, ingestion, traceHeader, forwarded, 0, ruleArns);
        if (p == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        Dispatcher.Route full = p.reservation().full();
        if (full != null) {
            return java.util.concurrent.CompletableFuture.completedFuture("The queue of target " + full.target().id()
                    + " of rule " + full.ruleArn() + " is full.");
        }
        if (store == null) {
            dispatcher.commit(p.reservation(), p.deliveries(), -1);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return store.append(List.of(p.accepted())).handle((positions, error) -> {
            if (error != null) {
                dispatcher.cancel(p.reservation());
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return String.valueOf(cause.getMessage());
            }
            dispatcher.commit(p.reservation(), p.deliveries(), positions[0]);
            return null;
        });
    }

    /**
     * Sends a replayed event through the enabled rules of a bus that it matches, only those whose ARN is in
     * {@code ruleArns} when that is not null (StartReplay's FilterArns); false when the target queues refused it, so
     * the replay tries the event again. The same delivery path as PutEvents (stored first with a data directory),
     * with the rule filter.
     */
    boolean injectReplay(String busName, String json, String id, Instant ingestion,
                         java.util.Set<String> ruleArns) {
        if (closed) {
            return false; // not sent: the replay pauses here and resumes from here in the next instance
        }
        Bus bus = buses.get(busName);
        if (bus == null) {
            return true;
        }
        return route(bus, json, id, ingestion, null, false, ruleArns) == null;
    }

    /**
     * Sends a scheduled rule's "Scheduled Event" (spec 1.1) for {@code time} to the rule's targets through the normal
     * delivery path; false when the target queues refused it, so the scheduler tries again.
     */
    private boolean fireScheduledRule(String ruleArn, Instant time) {
        if (closed) {
            return true;
        }
        Bus bus = buses.get(DEFAULT_BUS);
        Snapshot s = bus.snapshot;
        RuleEntry entry = null;
        for (RuleEntry e : s.rules().values()) {
            if (e.rule().arn().equals(ruleArn)) {
                entry = e;
            }
        }
        if (entry == null || !entry.rule().state().enabled()) {
            return true;
        }
        String id = newEventId();
        String json = Envelope.json(id, "Scheduled Event", "aws.events", account, time, region, null, List.of(ruleArn),
                "{}");
        Rule rule = entry.rule();
        List<Dispatcher.Route> routes = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        Instant ingestion = clock.instant();
        metrics.count(BusMetrics.TRIGGERED_RULES, DEFAULT_BUS, rule.name(), null);
        for (Target t : entry.targets().values()) {
            var payload = t.input().render(new RenderContext(json, rule.arn(), rule.name(), ingestion));
            if (payload.isPresent()) {
                routes.add(new Dispatcher.Route(DEFAULT_BUS, rule.name(), rule.arn(), t));
                deliveries.add(new Delivery(payload.get(), json, id, DEFAULT_BUS, rule.name(), rule.arn(), t.id(),
                        t.arn(), 1, ingestion, null, Map.of()));
            }
        }
        if (!routes.isEmpty()) {
            Dispatcher.Reservation reservation = dispatcher.reserve(routes);
            if (reservation.full() != null) {
                metrics.count(BusMetrics.THROTTLED_RULES, DEFAULT_BUS, rule.name(), null);
                return false;
            }
            long position = -1;
            if (store != null) {
                // Stored like a PutEvents event, so a crash after this fire still delivers it.
                Prepared p = new Prepared(0, DEFAULT_BUS, json, id, ingestion, null, reservation, deliveries);
                try {
                    position = store.append(List.of(p.accepted())).join()[0];
                } catch (java.util.concurrent.CompletionException | StoreException e) {
                    dispatcher.cancel(reservation);
                    LOG.log(System.Logger.Level.WARNING, "Scheduled event of rule {0} not stored, retrying: {1}",
                            ruleArn, e.getMessage());
                    return false;
                }
            }
            dispatcher.commit(reservation, deliveries, position);
        }
        if (store != null) {
            // The last time fired, so that a restart fires the times it missed while down, and no earlier ones.
            try {
                controlStore.put("rule-fire/" + ruleArn, time.toString());
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot store the last fire time of rule {0}: {1}", ruleArn,
                        e.getMessage());
            }
        }
        return true;
    }

    /**
     * The embedded EventBridge Scheduler: schedule groups and schedules firing on this bus's clock and delivering
     * through its targets, retries and dead-letter queues.
     */
    public EventBridgeScheduler scheduler() {
        return eventBridgeScheduler;
    }

    /** Scheduled rules currently firing. */
    public int scheduledRules() {
        return scheduler.size();
    }

    /**
     * TestEventPattern: whether the event (a JSON object with {@code id}, {@code account}, {@code source},
     * {@code time}, {@code region} and {@code detail-type}) matches the pattern, as given, with no envelope added.
     */
    public boolean testEventPattern(String eventPattern, String event) {
        EventPattern pattern = compile(Objects.requireNonNull(eventPattern, "eventPattern"));
        if (event == null || !EventShape.hasEnvelopeFields(event)) {
            throw BusbarException.validation("Parameter Event is not valid.");
        }
        try {
            return pattern.matches(event);
        } catch (io.busbar.pattern.InvalidEventException ex) {
            throw BusbarException.validation("Parameter Event is not valid.");
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Runs the retries, timeouts and other timed work that are due on the clock. Only needed when the builder
     * turned the background ticker off ({@code autoTick(false)}), as tests with a manual clock do.
     *
     * @return how many tasks ran
     */
    public int runDueTasks() {
        return due.runDue();
    }

    /** Deliveries queued, in flight or waiting for a retry. */
    public int outstandingDeliveries() {
        return dispatcher.outstanding();
    }

    /** Closes with a 10-second drain. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Stops accepting events (PutEvents answers {@code InternalFailure} per entry), lets queued deliveries and
     * attempts in flight finish for up to {@code drainTimeout} of real time, then stops the delivery threads and
     * reports what was left: still queued, waiting for a retry, or still running.
     */
    public ShutdownReport close(Duration drainTimeout) {
        closed = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (System.nanoTime() < deadline && dispatcher.outstanding() > dispatcher.undelivered().size()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ShutdownReport report = new ShutdownReport(dispatcher.undelivered(), dispatcher.inFlight());
        due.close();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
            try {
                ownExecutor.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        eventBridgeScheduler.writeFireTimes(); // the last second's fire times, batched until now
        registry.close();
        replays.close();
        archives.close();
        if (store != null) {
            // What is still owed stays in the store and is delivered after the next start.
            store.close();
        }
        if (!report.clean()) {
            System.getLogger(Busbar.class.getName()).log(System.Logger.Level.WARNING,
                    "Closed with {0} deliveries undelivered and {1} in flight", report.undelivered().size(),
                    report.inFlight().size());
        }
        return report;
    }

    /** What the bus offers target providers. */
    private final class Environment implements TargetEnvironment, BuiltInTargets.Forwarder {
        private final Map<String, String> properties;

        Environment(Map<String, String> properties) {
            this.properties = properties;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public String account() {
            return account;
        }

        @Override
        public String region() {
            return region;
        }

        @Override
        public Map<String, String> properties() {
            return properties;
        }

        @Override
        public java.util.Optional<ApiDestination> apiDestination(String arn) {
            return apiDestinations.values().stream().filter(d -> d.arn().equals(arn)).findFirst();
        }

        @Override
        public java.util.Optional<Connection> connection(String arn) {
            return connections.values().stream().filter(c -> c.arn().equals(arn)).findFirst();
        }

        @Override
        public DeliveryOutcome forward(String busName, String eventJson) {
            return forwardAsync(busName, eventJson).toCompletableFuture().join();
        }

        @Override
        public java.util.concurrent.CompletionStage<DeliveryOutcome> forwardAsync(String busName, String eventJson) {
            Bus bus = buses.get(busName);
            if (bus == null) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        DeliveryOutcome.permanent("NO_RESOURCE", "Event bus " + busName + " does not exist."));
            }
            String id = EventShape.id(eventJson);
            return routeAsync(bus, eventJson, id, clock.instant(), null, true, null).thenApply(refused -> {
                if (refused == null) {
                    archives.accepted(busName, eventJson); // an event from another bus is an event of this bus too
                    return DeliveryOutcome.delivered();
                }
                return DeliveryOutcome.retryable("THROTTLING", "Event bus " + busName + " refused the event: "
                        + refused);
            });
        }
    }

    /** Limits and settings fixed at build time. */
    private static final class Settings {
        final long maxEntriesSizeBytes;
        final int maxTargetsPerRule;
        final int maxRulesPerBus;
        final int maxWildcardRulesPerBus;
        final int maxEventBuses;
        final PatternLimits patternLimits;

        Settings(Builder b) {
            this.maxEntriesSizeBytes = b.maxEntriesSizeBytes;
            this.maxTargetsPerRule = b.maxTargetsPerRule;
            this.maxRulesPerBus = b.maxRulesPerBus;
            this.maxWildcardRulesPerBus = b.maxWildcardRulesPerBus;
            this.maxEventBuses = b.maxEventBuses;
            this.patternLimits = b.patternLimits;
        }
    }

    /**
     * Configuration, validated by each setter (the message names the field) and frozen by {@link #build()}.
     * Defaults are EventBridge's quotas (spec 10) and account {@code 123456789012} in {@code us-east-1}.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private String account = "123456789012";
        private String region = "us-east-1";
        private java.util.concurrent.Executor executor;
        private int deliveryThreads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        private RandomGenerator random = RandomGenerator.getDefault();
        private int laneCapacity = 10_000;
        private int laneConcurrency = 16;
        private Duration deliveryTimeout = Duration.ofSeconds(30);
        private long deliveryLingerNanos;
        private long deliveryPollNanos = Dispatcher.DEFAULT_POLL_NANOS;
        private long maxEntriesSizeBytes = 262_144;
        private int maxTargetsPerRule = 5;
        private int maxRulesPerBus = 300;
        private int maxWildcardRulesPerBus = 30;
        private int maxEventBuses = 100;
        private PatternLimits patternLimits = PatternLimits.defaults();
        private boolean autoTick = true;
        private java.nio.file.Path dataDirectory;
        private io.busbar.core.store.Durability durability = io.busbar.core.store.Durability.FSYNC;
        private Duration syncInterval = Duration.ofMillis(100);
        private long maxDataBytes = Long.MAX_VALUE;
        private final Map<String, EventHandler> functions = new LinkedHashMap<>();
        private EventStore eventStore;
        private boolean serviceLoader = true;
        private final List<TargetProvider> providers = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder meterRegistry(MeterRegistry value) {
            this.meterRegistry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /** The 12-digit account id put in events and ARNs. */
        public Builder account(String value) {
            if (value == null || !value.matches("[0-9]{12}")) {
                throw new IllegalArgumentException("account: " + value + " (expected: 12 digits)");
            }
            this.account = value;
            return this;
        }

        public Builder region(String value) {
            if (value == null || !value.matches("[a-z]+(-[a-z]+)+-[0-9]+")) {
                throw new IllegalArgumentException("region: " + value + " (expected: a region name such as us-east-1)");
            }
            this.region = value;
            return this;
        }

        /** Runs deliveries on this executor instead of the bus's own threads. */
        public Builder executor(java.util.concurrent.Executor value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        public Builder deliveryThreads(int value) {
            this.deliveryThreads = positive("deliveryThreads", value);
            return this;
        }

        /** Source of back-off jitter; a seeded generator makes retry times reproducible in tests. */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** New deliveries each (rule, target) queue holds before PutEvents answers {@code ThrottlingException}. */
        public Builder targetQueueCapacity(int value) {
            this.laneCapacity = positive("targetQueueCapacity", value);
            return this;
        }

        /** Attempts in flight at once per (rule, target). */
        public Builder targetConcurrency(int value) {
            this.laneConcurrency = positive("targetConcurrency", value);
            return this;
        }

        /** How long an attempt may run before it counts as a retryable {@code TIMEOUT}. */
        public Builder deliveryTimeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("deliveryTimeout: " + value + " (expected: a positive duration)");
            }
            this.deliveryTimeout = value;
            return this;
        }

        /**
         * How long a delivery thread waits for the next PutEvents call once it has delivered all that a (rule, target)
         * had queued, when that pair gets calls at least that often and its target answers at once (an in-process
         * function, a queue). Default 0: none. The thread spin-waits, yielding to other threads every few
         * microseconds, so that the next call's deliveries start at once, at the price of a core kept busy while
         * calls keep coming; the poll interval ({@link #deliveryPollInterval}) then follows. Up to 10 ms.
         */
        public Builder deliveryLinger(Duration value) {
            if (value == null || value.isNegative() || value.compareTo(Duration.ofMillis(10)) > 0) {
                throw new IllegalArgumentException("deliveryLinger: " + value + " (expected: 0 to 10 ms)");
            }
            this.deliveryLingerNanos = value.toNanos();
            return this;
        }

        /**
         * How long a delivery thread sleeps between looks for the next PutEvents call once it has delivered all that
         * a (rule, target) had queued (and lingered, see {@link #deliveryLinger}), for a pair whose calls come on
         * average within four such sleeps and whose target answers at once. Default 250 us; zero turns it off, and
         * the thread then leaves at once, to be woken by the next call. Callers never wake a sleeping thread: a
         * delivery may wait up to this long more, and one wake-up serves every call made meanwhile rather than
         * about one, which on a 2-core host gave a lower p99 from call to delivery at half load than waking a
         * thread per call, or spinning for the next. It applies with the bus's own delivery threads or a
         * {@link java.util.concurrent.ThreadPoolExecutor} (a sleeping thread makes way for any task queued there);
         * with another executor it is ignored, since a sleeping thread could keep other pairs waiting for it. Up to
         * 10 ms.
         */
        public Builder deliveryPollInterval(Duration value) {
            if (value == null || value.isNegative() || value.compareTo(Duration.ofMillis(10)) > 0) {
                throw new IllegalArgumentException("deliveryPollInterval: " + value + " (expected: 0 to 10 ms)");
            }
            this.deliveryPollNanos = value.toNanos();
            return this;
        }

        /** The PutEvents size limit, summed over a call's entries (default 262,144; AWS now allows 1,048,576). */
        public Builder maxEntriesSizeBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxEntriesSizeBytes: " + value + " (expected: positive)");
            }
            this.maxEntriesSizeBytes = value;
            return this;
        }

        public Builder maxTargetsPerRule(int value) {
            this.maxTargetsPerRule = positive("maxTargetsPerRule", value);
            return this;
        }

        public Builder maxRulesPerBus(int value) {
            this.maxRulesPerBus = positive("maxRulesPerBus", value);
            return this;
        }

        public Builder maxWildcardRulesPerBus(int value) {
            this.maxWildcardRulesPerBus = positive("maxWildcardRulesPerBus", value);
            return this;
        }

        public Builder maxEventBuses(int value) {
            this.maxEventBuses = positive("maxEventBuses", value);
            return this;
        }

        public Builder patternLimits(PatternLimits value) {
            this.patternLimits = Objects.requireNonNull(value, "patternLimits");
            return this;
        }

        /**
         * Whether a background thread runs timed work (retries, timeouts) as the clock reaches it (default true). Turn
         * it off with a manual clock and call {@link Busbar#runDueTasks()} instead.
         */
        public Builder autoTick(boolean value) {
            this.autoTick = value;
            return this;
        }

        /** Whether to load {@link TargetProvider}s with {@link java.util.ServiceLoader} (default true). */
        public Builder serviceLoader(boolean value) {
            this.serviceLoader = value;
            return this;
        }

        public Builder targetProvider(TargetProvider value) {
            providers.add(Objects.requireNonNull(value, "targetProvider"));
            return this;
        }

        /** A configuration property for target providers ({@code busbar.sqs.endpoint}, ...). */
        public Builder property(String name, String value) {
            properties.put(Objects.requireNonNull(name, "property name"), Objects.requireNonNull(value, name));
            return this;
        }

        /**
         * Keeps the control plane and every accepted event under this directory (created if missing), so a restart
         * resumes where the last process stopped. Without it, everything lives in memory.
         */
        public Builder dataDirectory(java.nio.file.Path value) {
            this.dataDirectory = Objects.requireNonNull(value, "dataDirectory");
            return this;
        }

        /** When an accepted event counts as stored (default {@code FSYNC}); ignored without a data directory. */
        public Builder durability(io.busbar.core.store.Durability value) {
            this.durability = Objects.requireNonNull(value, "durability");
            return this;
        }

        /** In {@code BATCH} durability, the longest time written events wait for an {@code fsync} (default 100 ms). */
        public Builder syncInterval(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("syncInterval: " + value + " (expected: a positive duration)");
            }
            this.syncInterval = value;
            return this;
        }

        /**
         * The most the data directory's event log may hold; PutEvents entries beyond it fail with
         * {@code InternalFailure}, as on a full disk (default: no limit but the disk's).
         */
        public Builder dataDirectoryLimitBytes(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("dataDirectoryLimitBytes: " + value + " (expected: positive)");
            }
            this.maxDataBytes = value;
            return this;
        }

        /**
         * Registers an in-process function before the bus starts: with a data directory, deliveries resumed at start
         * go to it at once instead of failing until {@link Busbar#registerFunction} is called.
         */
        public Builder function(String name, EventHandler handler) {
            Names.check("functionName", name, Names.NAME, 1, 64);
            functions.put(name, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** Keeps events and the control plane in this store instead of the data directory's (closed with the bus). */
        public Builder eventStore(EventStore value) {
            this.eventStore = Objects.requireNonNull(value, "eventStore");
            return this;
        }

        public Busbar build() {
            return new Busbar(this);
        }

        private static int positive(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: at least 1)");
            }
            return value;
        }
    }
}
