package io.busbar.core.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busbar.core.AcceptedEventListener;
import io.busbar.core.Busbar;
import io.busbar.core.BusbarException;
import io.busbar.core.Page;
import io.busbar.core.PutEventsEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * The Schema Registry of one {@link Busbar}: registries, schemas with their versions, and discoverers that infer
 * schemas from the bus's traffic into {@code discovered-schemas}.
 *
 * <pre>{@code
 * SchemaRegistry schemas = SchemaRegistry.builder(busbar).build();
 * schemas.createDiscoverer(busbar.busArn("default"), null, null, Map.of());
 * busbar.putEvents(...);   // discovered off the PutEvents path
 * schemas.describeSchema("discovered-schemas", "shop@OrderPlaced", null);
 * }</pre>
 *
 * <p>Discovery never slows PutEvents: the bus hands each accepted event to the discoverer of its bus, which puts it
 * in a bounded queue ({@link Builder#queueCapacity}) with a non-blocking {@code offer}; when the queue is full the
 * event is not sampled ({@link #droppedEvents()} counts them). One background thread drains the queues, infers each
 * event's schema (spec 2.4) and makes a new version only when the canonical form differs from the latest one (spec
 * 2.3). Registry writes emit {@code Schema Created} / {@code Schema Version Created} events ({@code aws.schemas})
 * on the default bus (spec 1.4).
 *
 * <p>Thread-safe: control calls and discovery serialise on one lock; the PutEvents path takes none. Refused calls
 * throw {@link SchemaException}. Times come from the bus's clock.
 */
public final class SchemaRegistry implements AutoCloseable {
    public static final String AWS_EVENTS = "aws.events";
    public static final String DISCOVERED = "discovered-schemas";

    private static final Pattern REGISTRY_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");
    private static final Pattern SCHEMA_NAME = Pattern.compile("[.\\-_A-Za-z0-9@]{1,385}");
    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final Busbar busbar;
    private final Clock clock;
    private final String arnPrefix;
    private final int queueCapacity;
    private final boolean emitEvents;
    private final Object lock = new Object();
    private final Map<String, RegistryEntry> registries = new TreeMap<>();
    private final Map<String, DiscovererEntry> discoverers = new TreeMap<>();
    /** Started or stopped discoverers by bus name; read on the PutEvents path without the lock. */
    private final ConcurrentMap<String, DiscovererEntry> byBus = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AcceptedEventListener listener = this::offer;
    private final Thread worker;
    private volatile boolean closed;

    private static final class RegistryEntry {
        final String name;
        String description;
        final Map<String, String> tags;
        final Map<String, SchemaEntry> schemas = new TreeMap<>();
        /** The resource policy, stored as given and never evaluated, or null; and its revision. */
        String policy;
        String policyRevision;

        RegistryEntry(String name, String description, Map<String, String> tags) {
            this.name = name;
            this.description = description;
            this.tags = new LinkedHashMap<>(tags);
        }
    }

    private static final class SchemaEntry {
        final String name;
        String description;
        Instant lastModified;
        final Map<String, String> tags;
        final TreeMap<Integer, SchemaVersion> versions = new TreeMap<>();
        int lastVersion;
        final Map<String, TokenUse> tokens = new LinkedHashMap<>();

        SchemaEntry(String name, String description, Map<String, String> tags) {
            this.name = name;
            this.description = description;
            this.tags = new LinkedHashMap<>(tags);
        }
    }

    private record TokenUse(Schema result, Instant at) {
    }

    private static final class DiscovererEntry {
        final String id;
        final String busName;
        final String sourceArn;
        volatile DiscovererState state = DiscovererState.STARTED;
        volatile boolean crossAccount;
        String description;
        final Map<String, String> tags;
        final ArrayBlockingQueue<String> queue;

        DiscovererEntry(String id, String busName, String sourceArn, boolean crossAccount, String description,
                        Map<String, String> tags, int capacity) {
            this.id = id;
            this.busName = busName;
            this.sourceArn = sourceArn;
            this.crossAccount = crossAccount;
            this.description = description;
            this.tags = new LinkedHashMap<>(tags);
            this.queue = new ArrayBlockingQueue<>(capacity);
        }
    }

    private SchemaRegistry(Builder b) {
        this.busbar = b.busbar;
        this.clock = busbar.clock();
        this.arnPrefix = "arn:aws:schemas:" + busbar.region() + ":" + busbar.account() + ":";
        this.queueCapacity = b.queueCapacity;
        this.emitEvents = b.emitEvents;
        registries.put(AWS_EVENTS, new RegistryEntry(AWS_EVENTS, "Schemas for AWS services.", Map.of()));
        registries.put(DISCOVERED, new RegistryEntry(DISCOVERED, "Schemas discovered from event buses.", Map.of()));
        busbar.addAcceptedEventListener(listener);
        if (b.backgroundWorker) {
            worker = new Thread(this::work, "busbar-schema-discovery");
            worker.setDaemon(true);
            worker.start();
        } else {
            worker = null;
        }
    }

    /** A registry fed by {@code busbar}'s accepted events; uses the bus's clock, account and region. */
    public static Builder builder(Busbar busbar) {
        return new Builder(busbar);
    }

    // ---------------------------------------------------------------- ARNs

    public String registryArn(String name) {
        return arnPrefix + "registry/" + name;
    }

    public String schemaArn(String registry, String schema) {
        return arnPrefix + "schema/" + registry + "/" + schema;
    }

    public String discovererArn(String id) {
        return arnPrefix + "discoverer/" + id;
    }

    // ---------------------------------------------------------------- tags

    /**
     * TagResource (SCHEMAS 4.9): adds or replaces tags of the registry, schema or discoverer {@code arn} names;
     * {@code NotFoundException} when it names none.
     */
    public void tagResource(String arn, Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        synchronized (lock) {
            tagsOf(arn).putAll(tags);
        }
    }

    /** UntagResource: removes the given keys (absent ones are ignored). */
    public void untagResource(String arn, List<String> tagKeys) {
        Objects.requireNonNull(tagKeys, "tagKeys");
        synchronized (lock) {
            tagsOf(arn).keySet().removeAll(tagKeys);
        }
    }

    /** ListTagsForResource: a copy of the resource's tags. */
    public Map<String, String> tags(String arn) {
        synchronized (lock) {
            return Map.copyOf(tagsOf(arn));
        }
    }

    /** The live tag map of the resource {@code arn} names; call holding the lock. */
    private Map<String, String> tagsOf(String arn) {
        if (arn != null && arn.startsWith(arnPrefix)) {
            String rest = arn.substring(arnPrefix.length());
            if (rest.startsWith("registry/")) {
                RegistryEntry r = registries.get(rest.substring("registry/".length()));
                if (r != null) {
                    return r.tags;
                }
            } else if (rest.startsWith("schema/")) {
                String path = rest.substring("schema/".length());
                int slash = path.indexOf('/');
                RegistryEntry r = slash < 0 ? null : registries.get(path.substring(0, slash));
                SchemaEntry e = r == null ? null : r.schemas.get(path.substring(slash + 1));
                if (e != null) {
                    return e.tags;
                }
            } else if (rest.startsWith("discoverer/")) {
                dropDiscoverersOfDeletedBuses();
                DiscovererEntry d = discoverers.get(rest.substring("discoverer/".length()));
                if (d != null) {
                    return d.tags;
                }
            }
        }
        throw SchemaException.notFound("Resource " + arn + " does not exist.");
    }

    // ---------------------------------------------------------------- resource policies

    /** A registry's resource policy (a JSON document, as text) and its revision id. */
    public record ResourcePolicy(String policy, String revisionId) {
    }

    /**
     * PutResourcePolicy (SCHEMAS 4.10): stores the policy, not evaluated; a new revision id each time.
     * {@code revisionId}, when given, must be the current one ({@code PreconditionFailedException}).
     */
    public ResourcePolicy putResourcePolicy(String registryName, String policy, String revisionId) {
        if (policy == null || policy.isBlank()) {
            throw SchemaException.badRequest("Policy: " + policy + " (expected: a JSON policy document)");
        }
        synchronized (lock) {
            RegistryEntry r = registry(registryName);
            if (revisionId != null && !revisionId.equals(r.policyRevision)) {
                throw new SchemaException(SchemaException.PRECONDITION_FAILED, "RevisionId " + revisionId
                        + " is not the current revision of the policy of registry " + registryName + ".");
            }
            r.policy = policy;
            r.policyRevision = java.util.UUID.randomUUID().toString();
            return new ResourcePolicy(r.policy, r.policyRevision);
        }
    }

    /** GetResourcePolicy; {@code NotFoundException} when the registry has none. */
    public ResourcePolicy getResourcePolicy(String registryName) {
        synchronized (lock) {
            RegistryEntry r = registry(registryName);
            if (r.policy == null) {
                throw SchemaException.notFound("Registry " + registryName + " has no resource policy.");
            }
            return new ResourcePolicy(r.policy, r.policyRevision);
        }
    }

    /** DeleteResourcePolicy; {@code NotFoundException} when the registry has none. */
    public void deleteResourcePolicy(String registryName) {
        synchronized (lock) {
            getResourcePolicy(registryName);
            RegistryEntry r = registry(registryName);
            r.policy = null;
            r.policyRevision = null;
        }
    }

    // ---------------------------------------------------------------- registries

    /** CreateRegistry; {@code ForbiddenException} for the AWS-managed names, {@code ConflictException} if taken. */
    public Registry createRegistry(String name, String description, Map<String, String> tags) {
        checkRegistryName(name);
        checkDescription(description);
        if (isAwsManaged(name)) {
            throw SchemaException.forbidden("Registry " + name + " is managed by AWS and cannot be created.");
        }
        synchronized (lock) {
            if (registries.containsKey(name)) {
                throw new SchemaException(SchemaException.CONFLICT, "Registry " + name + " already exists.");
            }
            RegistryEntry r = new RegistryEntry(name, description, tags == null ? Map.of() : tags);
            registries.put(name, r);
            return view(r);
        }
    }

    public Registry describeRegistry(String name) {
        synchronized (lock) {
            return view(registry(name));
        }
    }

    /** UpdateRegistry: sets the description; {@code ForbiddenException} on {@code aws.events}. */
    public Registry updateRegistry(String name, String description) {
        checkDescription(description);
        synchronized (lock) {
            RegistryEntry r = registry(name);
            if (AWS_EVENTS.equals(name)) {
                throw SchemaException.forbidden("Registry aws.events is read-only.");
            }
            if (description != null) {
                r.description = description;
            }
            return view(r);
        }
    }

    /** DeleteRegistry, with its schemas; {@code ForbiddenException} for the AWS-managed registries. */
    public void deleteRegistry(String name) {
        synchronized (lock) {
            registry(name);
            if (isAwsManaged(name)) {
                throw SchemaException.forbidden("Registry " + name + " is managed by AWS and cannot be deleted.");
            }
            registries.remove(name);
        }
    }

    /**
     * ListRegistries by name; {@code scope} {@code Local} (the account's) or {@code AWS} (the managed ones), any
     * case, or null for all.
     */
    public Page<Registry> listRegistries(String namePrefix, String scope, Integer limit, String nextToken) {
        Boolean aws = null;
        if (scope != null) {
            if (scope.equalsIgnoreCase("AWS")) {
                aws = true;
            } else if (scope.equalsIgnoreCase("Local")) {
                aws = false;
            } else {
                throw SchemaException.badRequest("scope: " + scope + " (expected: Local or AWS)");
            }
        }
        List<Registry> all = new ArrayList<>();
        synchronized (lock) {
            for (RegistryEntry r : registries.values()) {
                if ((namePrefix == null || r.name.startsWith(namePrefix))
                        && (aws == null || aws == isAwsManaged(r.name))) {
                    all.add(view(r));
                }
            }
        }
        return page(all, limit, nextToken);
    }

    private Registry view(RegistryEntry r) {
        return new Registry(r.name, registryArn(r.name), r.description, r.tags);
    }

    private RegistryEntry registry(String name) {
        RegistryEntry r = registries.get(name);
        if (r == null) {
            throw SchemaException.notFound("Registry " + name + " does not exist.");
        }
        return r;
    }

    /**
     * The registry a listing reads: ListSchemas and SearchSchemas have no {@code NotFoundException} in their model
     * (SCHEMAS 4.1), so an unknown registry is a {@code BadRequestException} there, as for CreateSchema.
     */
    private RegistryEntry listedRegistry(String name) {
        RegistryEntry r = registries.get(name);
        if (r == null) {
            throw SchemaException.badRequest("Registry " + name + " does not exist.");
        }
        return r;
    }

    private static boolean isAwsManaged(String name) {
        return AWS_EVENTS.equals(name) || DISCOVERED.equals(name);
    }

    // ---------------------------------------------------------------- schemas

    /**
     * CreateSchema: version 1. Every refusal is {@code BadRequestException} (the model lists no 404/409 here),
     * except writes to the AWS-managed registries ({@code ForbiddenException}).
     */
    public Schema createSchema(String registryName, String schemaName, SchemaType type, String content,
                               String description, Map<String, String> tags) {
        checkSchemaName(schemaName);
        checkDescription(description);
        Objects.requireNonNull(type, "type");
        checkContent(type, content);
        List<PutEventsEntry> events = new ArrayList<>();
        Schema out;
        synchronized (lock) {
            if (isAwsManaged(registryName)) {
                throw SchemaException.forbidden("Registry " + registryName
                        + " is managed by AWS; schemas cannot be created in it.");
            }
            RegistryEntry r = registries.get(registryName);
            if (r == null) {
                throw SchemaException.badRequest("Registry " + registryName + " does not exist.");
            }
            if (r.schemas.containsKey(schemaName)) {
                throw SchemaException.badRequest("Schema " + schemaName + " already exists in registry "
                        + registryName + ".");
            }
            SchemaEntry s = new SchemaEntry(schemaName, description, tags == null ? Map.of() : tags);
            r.schemas.put(schemaName, s);
            SchemaVersion v = addVersion(r, s, type, content, events);
            out = view(r, s, v);
        }
        emit(events);
        return out;
    }

    /** DescribeSchema: the latest version, or {@code version}; {@code NotFoundException} when either is missing. */
    public Schema describeSchema(String registryName, String schemaName, String version) {
        synchronized (lock) {
            RegistryEntry r = registry(registryName);
            SchemaEntry s = schema(r, schemaName);
            return view(r, s, version(s, version));
        }
    }

    /**
     * UpdateSchema: a new version when {@code content} is given and differs from the latest version (or
     * {@code type} does); a description-only update keeps the version. {@code clientTokenId} makes a retry
     * return the first answer for 24 hours.
     */
    public Schema updateSchema(String registryName, String schemaName, SchemaType type, String content,
                               String description, String clientTokenId) {
        checkDescription(description);
        if (clientTokenId != null && clientTokenId.length() > 36) {
            throw SchemaException.badRequest("ClientTokenId: " + clientTokenId + " (expected: at most 36 characters)");
        }
        if (type != null && content == null) {
            throw SchemaException.badRequest("Content: null (expected: Content when Type is given)");
        }
        List<PutEventsEntry> events = new ArrayList<>();
        Schema out;
        synchronized (lock) {
            RegistryEntry r = registry(registryName);
            if (isAwsManaged(registryName)) {
                throw SchemaException.forbidden("Registry " + registryName + " is managed by AWS; its schemas "
                        + "cannot be updated.");
            }
            SchemaEntry s = schema(r, schemaName);
            Instant now = clock.instant();
            s.tokens.values().removeIf(t -> t.at().plus(TOKEN_TTL).isBefore(now));
            if (clientTokenId != null && s.tokens.containsKey(clientTokenId)) {
                return s.tokens.get(clientTokenId).result();
            }
            SchemaVersion latest = s.versions.lastEntry().getValue();
            SchemaVersion v = latest;
            if (content != null) {
                SchemaType t = type != null ? type : latest.type();
                checkContent(t, content);
                if (!content.equals(latest.content()) || t != latest.type()) {
                    v = addVersion(r, s, t, content, events);
                }
            }
            if (description != null) {
                s.description = description;
                s.lastModified = now;
            }
            out = view(r, s, v);
            if (clientTokenId != null) {
                s.tokens.put(clientTokenId, new TokenUse(out, now));
            }
        }
        emit(events);
        return out;
    }

    /** DeleteSchema, all versions; {@code ForbiddenException} in {@code aws.events}. */
    public void deleteSchema(String registryName, String schemaName) {
        synchronized (lock) {
            RegistryEntry r = registry(registryName);
            if (AWS_EVENTS.equals(registryName)) {
                throw SchemaException.forbidden("Registry aws.events is read-only.");
            }
            schema(r, schemaName);
            r.schemas.remove(schemaName);
        }
    }

    /** DeleteSchemaVersion; the only remaining version cannot be deleted ({@code BadRequestException}). */
    public void deleteSchemaVersion(String registryName, String schemaName, String version) {
        synchronized (lock) {
            RegistryEntry r = registry(registryName);
            if (AWS_EVENTS.equals(registryName)) {
                throw SchemaException.forbidden("Registry aws.events is read-only.");
            }
            SchemaEntry s = schema(r, schemaName);
            SchemaVersion v = version(s, version);
            if (s.versions.size() == 1) {
                throw SchemaException.badRequest("Version " + version + " is the only version of schema "
                        + schemaName + "; delete the schema instead.");
            }
            s.versions.remove(Integer.parseInt(v.version()));
        }
    }

    /** ListSchemas, by name, each with its latest version. */
    public Page<Schema> listSchemas(String registryName, String namePrefix, Integer limit, String nextToken) {
        List<Schema> all = new ArrayList<>();
        synchronized (lock) {
            RegistryEntry r = listedRegistry(registryName);
            for (SchemaEntry s : r.schemas.values()) {
                if (namePrefix == null || s.name.startsWith(namePrefix)) {
                    all.add(view(r, s, s.versions.lastEntry().getValue()));
                }
            }
        }
        return page(all, limit, nextToken);
    }

    /** ListSchemaVersions, newest first. */
    public Page<SchemaVersion> listSchemaVersions(String registryName, String schemaName, Integer limit,
                                                  String nextToken) {
        List<SchemaVersion> all;
        synchronized (lock) {
            all = new ArrayList<>(schema(registry(registryName), schemaName).versions.descendingMap().values());
        }
        return page(all, limit, nextToken);
    }

    /**
     * ExportSchema: the version converted to {@code type}, which must be {@code JSONSchemaDraft4}; content already of
     * that type is returned unchanged.
     */
    public Schema exportSchema(String registryName, String schemaName, String version, String type) {
        if (!SchemaType.JSONSchemaDraft4.name().equals(type)) {
            throw SchemaException.badRequest("type: " + type + " (expected: JSONSchemaDraft4)");
        }
        Schema s = describeSchema(registryName, schemaName, version);
        SchemaVersion v = s.version();
        String content = v.type() == SchemaType.JSONSchemaDraft4 ? v.content()
                : SchemaDocuments.toJsonSchemaDraft4(v.content());
        return new Schema(s.registryName(), s.name(), s.arn(), s.description(), s.lastModified(), s.versionCount(),
                s.tags(), new SchemaVersion(v.version(), SchemaType.JSONSchemaDraft4, content, v.createdDate()));
    }

    /**
     * SearchSchemas: schemas whose name or any version's content contains any of the whitespace-separated keywords,
     * case-insensitively, with the versions that matched (all of them when the name matched).
     */
    public Page<SchemaSearchHit> searchSchemas(String registryName, String keywords, Integer limit,
                                               String nextToken) {
        if (keywords == null || keywords.isBlank()) {
            throw SchemaException.badRequest("keywords: " + keywords + " (expected: one or more words)");
        }
        List<String> words = List.of(keywords.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        List<SchemaSearchHit> all = new ArrayList<>();
        synchronized (lock) {
            RegistryEntry r = listedRegistry(registryName);
            for (SchemaEntry s : r.schemas.values()) {
                boolean nameHit = contains(s.name, words);
                List<SchemaVersion> hits = new ArrayList<>();
                for (SchemaVersion v : s.versions.descendingMap().values()) {
                    if (nameHit || contains(v.content(), words)) {
                        hits.add(v);
                    }
                }
                if (!hits.isEmpty()) {
                    all.add(new SchemaSearchHit(r.name, s.name, schemaArn(r.name, s.name), hits));
                }
            }
        }
        return page(all, limit, nextToken);
    }

    private static boolean contains(String text, List<String> words) {
        String t = text.toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (t.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private SchemaVersion addVersion(RegistryEntry r, SchemaEntry s, SchemaType type, String content,
                                     List<PutEventsEntry> events) {
        Instant now = clock.instant();
        s.lastVersion++;
        SchemaVersion v = new SchemaVersion(Integer.toString(s.lastVersion), type, content, now);
        s.versions.put(s.lastVersion, v);
        s.lastModified = now;
        if (emitEvents) {
            ObjectNode detail = SchemaDocuments.MAPPER.createObjectNode();
            detail.put("SchemaName", s.name).put("SchemaType", type.name()).put("RegistryName", r.name)
                    .put("CreationDate", now.toString()).put("Version", v.version());
            String json = SchemaDocuments.compact(detail);
            List<String> resources = List.of(schemaArn(r.name, s.name));
            if (s.lastVersion == 1) {
                events.add(new PutEventsEntry("aws.schemas", "Schema Created", json, resources, now, null, null));
            }
            events.add(new PutEventsEntry("aws.schemas", "Schema Version Created", json, resources, now, null, null));
        }
        return v;
    }

    /** Sends the registry's events outside the lock; a full or closed bus loses them (they are notifications). */
    private void emit(List<PutEventsEntry> events) {
        if (!events.isEmpty() && !closed) {
            try {
                busbar.putEvents(events);
            } catch (BusbarException e) {
                // notifications only: a refused PutEvents does not undo the write
            }
        }
    }

    private Schema view(RegistryEntry r, SchemaEntry s, SchemaVersion v) {
        return new Schema(r.name, s.name, schemaArn(r.name, s.name), s.description, s.lastModified,
                s.versions.size(), s.tags, v);
    }

    private static SchemaEntry schema(RegistryEntry r, String name) {
        SchemaEntry s = r.schemas.get(name);
        if (s == null) {
            throw SchemaException.notFound("Schema " + name + " does not exist.");
        }
        return s;
    }

    private static SchemaVersion version(SchemaEntry s, String version) {
        if (version == null) {
            return s.versions.lastEntry().getValue();
        }
        SchemaVersion v = null;
        if (version.matches("[0-9]{1,9}")) {
            v = s.versions.get(Integer.parseInt(version));
        }
        if (v == null) {
            throw SchemaException.notFound("Version " + version + " of schema " + s.name + " does not exist.");
        }
        return v;
    }

    // ---------------------------------------------------------------- discoverers

    /**
     * CreateDiscoverer for an existing bus of this account and region, started; {@code ConflictException} when the
     * bus already has one. {@code crossAccount} null means true.
     */
    public Discoverer createDiscoverer(String sourceArn, String description, Boolean crossAccount,
                                       Map<String, String> tags) {
        checkDescription(description);
        if (sourceArn == null || sourceArn.length() < 20 || sourceArn.length() > 1600) {
            throw SchemaException.badRequest("SourceArn: " + sourceArn + " (expected: 20 to 1600 characters)");
        }
        String prefix = "arn:aws:events:" + busbar.region() + ":" + busbar.account() + ":event-bus/";
        if (!sourceArn.startsWith(prefix)) {
            throw SchemaException.badRequest("SourceArn: " + sourceArn + " (expected: an event bus ARN " + prefix
                    + "NAME)");
        }
        String bus = sourceArn.substring(prefix.length());
        try {
            busbar.describeEventBus(bus);
        } catch (BusbarException e) {
            throw SchemaException.badRequest("SourceArn: " + sourceArn + " (expected: an existing event bus)");
        }
        synchronized (lock) {
            dropDiscoverersOfDeletedBuses();
            String id = "events-event-bus-" + bus;
            if (discoverers.containsKey(id)) {
                throw new SchemaException(SchemaException.CONFLICT, "Discoverer for " + sourceArn
                        + " already exists.");
            }
            DiscovererEntry d = new DiscovererEntry(id, bus, sourceArn, crossAccount == null || crossAccount,
                    description, tags == null ? Map.of() : tags, queueCapacity);
            discoverers.put(id, d);
            byBus.put(bus, d);
            return view(d);
        }
    }

    public Discoverer describeDiscoverer(String id) {
        synchronized (lock) {
            return view(discoverer(id));
        }
    }

    /** UpdateDiscoverer: changes only what is given. */
    public Discoverer updateDiscoverer(String id, String description, Boolean crossAccount) {
        checkDescription(description);
        synchronized (lock) {
            DiscovererEntry d = discoverer(id);
            if (description != null) {
                d.description = description;
            }
            if (crossAccount != null) {
                d.crossAccount = crossAccount;
            }
            return view(d);
        }
    }

    /** StartDiscoverer, idempotent. */
    public Discoverer startDiscoverer(String id) {
        return setState(id, DiscovererState.STARTED);
    }

    /** StopDiscoverer, idempotent; events already queued are still inferred. */
    public Discoverer stopDiscoverer(String id) {
        return setState(id, DiscovererState.STOPPED);
    }

    private Discoverer setState(String id, DiscovererState state) {
        synchronized (lock) {
            DiscovererEntry d = discoverer(id);
            d.state = state;
            return view(d);
        }
    }

    /** DeleteDiscoverer; the schemas it discovered stay. */
    public void deleteDiscoverer(String id) {
        synchronized (lock) {
            DiscovererEntry d = discoverer(id);
            discoverers.remove(id);
            byBus.remove(d.busName, d);
        }
    }

    public Page<Discoverer> listDiscoverers(String idPrefix, String sourceArnPrefix, Integer limit,
                                            String nextToken) {
        List<Discoverer> all = new ArrayList<>();
        synchronized (lock) {
            dropDiscoverersOfDeletedBuses();
            for (DiscovererEntry d : discoverers.values()) {
                if ((idPrefix == null || d.id.startsWith(idPrefix))
                        && (sourceArnPrefix == null || d.sourceArn.startsWith(sourceArnPrefix))) {
                    all.add(view(d));
                }
            }
        }
        return page(all, limit, nextToken);
    }

    /**
     * Drops the discoverers of buses deleted since (SCHEMAS 4.2: deleting the event bus deletes its discoverer), so
     * a deleted bus's discoverer is never shown and a bus made again under the name can have a new one. Looked at
     * when discoverers are, rather than told by the bus. Call holding the lock.
     */
    private void dropDiscoverersOfDeletedBuses() {
        discoverers.values().removeIf(d -> {
            try {
                busbar.describeEventBus(d.busName);
                return false;
            } catch (BusbarException gone) {
                byBus.remove(d.busName, d);
                return true;
            }
        });
    }

    private Discoverer view(DiscovererEntry d) {
        return new Discoverer(d.id, discovererArn(d.id), d.sourceArn, d.state, d.crossAccount, d.description, d.tags);
    }

    private DiscovererEntry discoverer(String id) {
        dropDiscoverersOfDeletedBuses();
        DiscovererEntry d = discoverers.get(id);
        if (d == null) {
            throw SchemaException.notFound("Discoverer " + id + " does not exist.");
        }
        return d;
    }

    // ---------------------------------------------------------------- discovery

    /** On the PutEvents thread: a non-blocking offer, or a count when the queue is full. */
    private void offer(String busName, String eventJson) {
        DiscovererEntry d = byBus.get(busName);
        if (d == null || d.state != DiscovererState.STARTED) {
            return;
        }
        if (!d.queue.offer(eventJson)) {
            dropped.incrementAndGet();
            return;
        }
        if (worker != null) {
            LockSupport.unpark(worker);
        }
    }

    /** Events not sampled because a discoverer's queue was full. */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Events waiting in the discoverers' queues. */
    public int queuedEvents() {
        int n = 0;
        for (DiscovererEntry d : byBus.values()) {
            n += d.queue.size();
        }
        return n;
    }

    /**
     * Infers the schemas of the queued events now, on the calling thread; for tests built with
     * {@code backgroundWorker(false)}.
     *
     * @return how many events were taken from the queues
     */
    public int drain() {
        int n = 0;
        for (DiscovererEntry d : byBus.values()) {
            String json;
            while ((json = d.queue.poll()) != null) {
                n++;
                discover(d, json);
            }
        }
        return n;
    }

    private void work() {
        while (!closed) {
            try {
                if (drain() == 0) {
                    LockSupport.parkNanos(100_000_000L);
                }
            } catch (RuntimeException e) {
                System.getLogger(SchemaRegistry.class.getName()).log(System.Logger.Level.WARNING,
                        "Schema discovery failed on an event", e);
            }
        }
    }

    private void discover(DiscovererEntry d, String json) {
        JsonNode event;
        try {
            event = SchemaDocuments.MAPPER.readTree(json);
        } catch (Exception e) {
            return;
        }
        if (!SchemaInferrer.isEnvelope(event)) {
            return;
        }
        if (!d.crossAccount && !busbar.account().equals(event.path("account").asText())) {
            return;
        }
        SchemaInferrer inferrer = SchemaInferrer.create().add(event);
        String name = inferrer.schemaName();
        String content = inferrer.openApi();
        List<PutEventsEntry> events = new ArrayList<>();
        synchronized (lock) {
            RegistryEntry r = registries.get(DISCOVERED);
            SchemaEntry s = r.schemas.get(name);
            if (s == null) {
                s = new SchemaEntry(name, null, Map.of());
                r.schemas.put(name, s);
                addVersion(r, s, SchemaType.OpenApi3, content, events);
            } else if (!SchemaDocuments.sameShape(s.versions.lastEntry().getValue().content(), content)) {
                addVersion(r, s, SchemaType.OpenApi3, content, events);
            }
        }
        emit(events);
    }

    /** Stops discovery: the listener is removed and the worker ends; queued events are not inferred. */
    @Override
    public void close() {
        closed = true;
        busbar.removeAcceptedEventListener(listener);
        if (worker != null) {
            LockSupport.unpark(worker);
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- validation and paging

    private static void checkRegistryName(String name) {
        if (name == null || !REGISTRY_NAME.matcher(name).matches()) {
            throw SchemaException.badRequest("RegistryName: " + name + " (expected: 1 to 64 of [.-_A-Za-z0-9])");
        }
    }

    private static void checkSchemaName(String name) {
        if (name == null || !SCHEMA_NAME.matcher(name).matches()) {
            throw SchemaException.badRequest("SchemaName: " + name + " (expected: 1 to 385 of [.-_A-Za-z0-9@])");
        }
    }

    private static void checkDescription(String description) {
        if (description != null && description.length() > 256) {
            throw SchemaException.badRequest("Description: " + description.length()
                    + " characters (expected: at most 256)");
        }
    }

    private static void checkContent(SchemaType type, String content) {
        if (content == null || content.isEmpty() || content.length() > 100_000) {
            throw SchemaException.badRequest("Content: " + (content == null ? "null" : content.length()
                    + " characters") + " (expected: 1 to 100000 characters)");
        }
        JsonNode doc = SchemaDocuments.parse(content);
        if (type == SchemaType.OpenApi3 && !doc.path("openapi").asText("").startsWith("3.")) {
            throw SchemaException.badRequest("Content: an OpenApi3 schema without \"openapi\": \"3.x\"");
        }
        if (!doc.isObject()) {
            throw SchemaException.badRequest("Content: not a JSON object");
        }
    }

    private static <T> Page<T> page(List<T> all, Integer limit, String nextToken) {
        int size = limit == null ? 100 : limit;
        if (size < 1) {
            throw SchemaException.badRequest("limit: " + limit + " (expected: at least 1)");
        }
        size = Math.min(size, 100);
        int from = 0;
        if (nextToken != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw SchemaException.badRequest("nextToken: " + nextToken + " (expected: a token from a listing)");
            }
            if (from < 0 || from > all.size()) {
                throw SchemaException.badRequest("nextToken: " + nextToken + " (expected: a token from a listing)");
            }
        }
        int to = Math.min(all.size(), from + size);
        String next = to < all.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(to)
                .getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(from, to), next);
    }

    /** Configuration, frozen by {@link #build()}. */
    public static final class Builder {
        private final Busbar busbar;
        private int queueCapacity = 1000;
        private boolean backgroundWorker = true;
        private boolean emitEvents = true;

        private Builder(Busbar busbar) {
            this.busbar = Objects.requireNonNull(busbar, "busbar");
        }

        /** Events each discoverer holds before it stops sampling until the worker catches up (default 1000). */
        public Builder queueCapacity(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("queueCapacity: " + value + " (expected: at least 1)");
            }
            this.queueCapacity = value;
            return this;
        }

        /** Whether a daemon thread drains the queues (default true); tests turn it off and call {@code drain()}. */
        public Builder backgroundWorker(boolean value) {
            this.backgroundWorker = value;
            return this;
        }

        /** Whether schema writes send {@code aws.schemas} events to the default bus (default true, spec 1.4). */
        public Builder emitEvents(boolean value) {
            this.emitEvents = value;
            return this;
        }

        public SchemaRegistry build() {
            return new SchemaRegistry(this);
        }
    }
}
