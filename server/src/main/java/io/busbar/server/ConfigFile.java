package io.busbar.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.busbar.core.Busbar;
import io.busbar.core.BusbarException;
import io.busbar.core.EventBus;
import io.busbar.core.PutRuleRequest;
import io.busbar.core.Rule;
import io.busbar.core.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A configuration file (YAML, or JSON) that declares what a server starts with: event buses, in-memory queues,
 * connections, API destinations, and rules with their targets.
 *
 * <pre>{@code
 * eventBuses:
 *   - name: orders
 *     tags: {team: payments}
 * queues: [big-orders]                    # in-memory queues, targets as arn:aws:sqs:<region>:<account>:<name>
 * connections:
 *   - name: crm
 *     authorizationType: API_KEY
 *     authParameters: {apiKeyAuthParameters: {apiKeyName: x-api-key, apiKeyValue: secret}}
 * apiDestinations:
 *   - {name: crm, connection: crm, invocationEndpoint: "https://crm.example.com/*", httpMethod: POST}
 * rules:
 *   - name: big-orders
 *     eventBusName: orders
 *     eventPattern: {source: [com.example.orders], detail: {total: [{numeric: [">", 100]}]}}
 *     targets:
 *       - id: q
 *         arn: arn:aws:sqs:us-east-1:123456789012:big-orders
 *         inputTransformer: {inputPathsMap: {id: $.detail.id}, inputTemplate: '{"order": <id>}'}
 *       - id: api                        # the destination declared above, named without its id
 *         arn: arn:aws:events:us-east-1:123456789012:api-destination/crm
 * }</pre>
 *
 * Members are those of the matching API operations (CreateEventBus, CreateConnection, CreateApiDestination,
 * PutRule, PutTargets), written in lowerCamel (any letter case is accepted); an event pattern or a target's
 * {@code input} may be written as YAML/JSON structure or as JSON text; tags as a map or as a list of
 * {@code {key, value}}. Everything is checked as the API checks it, and more strictly: an unknown member, or a rule,
 * connection or API destination declared twice, is an error. The first error stops the load with the file, the line, the member's path and the
 * reason: {@code config.yaml:12: rules[1].eventPattern: Event pattern is not valid. Reason: ...}.
 *
 * <p>Immutable; {@link BusbarServer.Builder#config(ConfigFile)} applies it to the server's bus before the server
 * binds its port.
 */
public final class ConfigFile {
    private static final List<String> TOP = List.of("EventBuses", "Queues", "Connections", "ApiDestinations",
            "Rules");
    private static final List<String> RULE = List.of("Name", "EventBusName", "EventPattern", "ScheduleExpression",
            "State", "Description", "RoleArn", "Tags", "Targets");

    private final String fileName;
    private final LocatedTree tree;

    private ConfigFile(String fileName, LocatedTree tree) {
        this.fileName = fileName;
        this.tree = tree;
    }

    /**
     * Reads a file: JSON when its name ends in {@code .json}, YAML otherwise.
     *
     * @throws ConfigException if the file cannot be read or is not well-formed
     */
    public static ConfigFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file (" + e.getMessage() + ")", e);
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return parse(name, text, name.toLowerCase(Locale.ROOT).endsWith(".json"));
    }

    /**
     * Parses configuration text.
     *
     * @param fileName shown in messages
     * @param json     JSON when true, YAML otherwise
     * @throws ConfigException if the text is not well-formed
     */
    public static ConfigFile parse(String fileName, String text, boolean json) {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        try (JsonParser parser = factory.createParser(text)) {
            return new ConfigFile(fileName, LocatedTree.read(fileName, parser));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            throw new ConfigException(fileName + ":" + line + ": not well-formed " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(fileName + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Declares everything in the file on the bus, in order: buses, queues, connections, API destinations, rules and
     * their targets; tags go to {@code tags}. Buses, connections and API destinations that already exist (restored
     * from a data directory) are kept as they are; rules and targets are put again.
     *
     * @throws ConfigException at the first declaration the bus refuses
     */
    private static EventBus existingBus(Busbar busbar, String name) {
        return busbar.listEventBuses(null).stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    }

    void applyTo(Busbar busbar, TagStore tags) {
        Shape root = Shape.config(fileName, tree.root(), tree.lines());
        root.onlyMembers(TOP);
        Set<String> declaredBuses = new HashSet<>();
        for (Shape b : root.objects("EventBuses")) {
            b.onlyMembers(List.of("Name", "Description", "Tags"));
            String name = b.required("Name", 1, 256, Models.BUS_NAME);
            String description = b.string("Description", 0, 512, null);
            Map<String, String> busTags = tags(b);
            EventBus bus;
            try {
                // A bus restored from the data directory is kept as stored (a restart re-reads the same file).
                bus = declaredBuses.add(name) ? existingBus(busbar, name) : null;
                if (bus == null) {
                    bus = busbar.createEventBus(name, description);
                } else if (bus.name().equals("default") && description != null) {
                    // the default bus always exists, and a bus cannot be updated: the description would be lost
                    throw b.problem("Description", new ConfigException("the default event bus takes no description"));
                }
            } catch (BusbarException e) {
                throw b.problem("Name", e);
            }
            tags.put(bus.arn(), busTags);
        }
        List<String> queues = root.strings("Queues");
        if (queues != null) {
            for (int i = 0; i < queues.size(); i++) {
                try {
                    busbar.queue(queues.get(i));
                } catch (RuntimeException e) {
                    throw root.problem("Queues", new ConfigException("[" + i + "]: " + e.getMessage()));
                }
            }
        }
        Set<String> declaredConnections = new HashSet<>();
        for (Shape c : root.objects("Connections")) {
            c.onlyMembers(List.of("Name", "Description", "AuthorizationType", "AuthParameters"));
            String name = c.string("Name");
            if (name != null && !declaredConnections.add(name)) {
                throw c.problem("Name", new ConfigException("connection " + name + " is declared twice"));
            }
            if (!busbar.listConnections(null).stream().anyMatch(x -> x.name().equals(name))) {
                ConnectionOperations.create(busbar, c);
            }
        }
        Set<String> declaredDestinations = new HashSet<>();
        for (Shape d : root.objects("ApiDestinations")) {
            d.onlyMembers(List.of("Name", "Description", "ConnectionArn", "Connection", "InvocationEndpoint",
                    "HttpMethod", "InvocationRateLimitPerSecond"));
            String name = d.string("Name");
            if (name != null && !declaredDestinations.add(name)) {
                throw d.problem("Name", new ConfigException("API destination " + name + " is declared twice"));
            }
            if (!busbar.listApiDestinations(null, null).stream().anyMatch(x -> x.name().equals(name))) {
                ApiDestinationOperations.create(busbar, d);
            }
        }
        Set<String> declared = new HashSet<>();
        for (Shape r : root.objects("Rules")) {
            r.onlyMembers(RULE);
            PutRuleRequest request = RuleOperations.readPutRule(r);
            Map<String, String> ruleTags = tags(r);
            List<Supplier<Target>> targets = new ArrayList<>();
            Set<String> targetIds = new HashSet<>();
            for (Shape t : r.objects("Targets")) {
                String id = t.string("Id");
                if (id != null && !targetIds.add(id)) {
                    // PutTargets would keep the last silently; in a file it is a mistake
                    throw t.problem("Id", new ConfigException("target " + id + " is declared twice"));
                }
                targets.add(TargetMapping.read(t));
            }
            Rule rule;
            try {
                rule = busbar.putRule(request);
            } catch (BusbarException e) {
                throw r.problem(ruleMember(e), e);
            }
            if (!declared.add(rule.arn())) {
                throw r.problem("Name", new ConfigException("rule " + rule.name() + " of event bus "
                        + rule.eventBusName() + " is declared twice"));
            }
            tags.put(rule.arn(), ruleTags);
            if (!targets.isEmpty()) {
                List<Target> built = targets.stream().map(Supplier::get).map(t -> byDestinationName(busbar, t))
                        .toList();
                try {
                    busbar.putTargets(rule.eventBusName(), rule.name(), built);
                } catch (BusbarException e) {
                    throw r.problem("Targets", e);
                }
            }
        }
    }

    /**
     * A target whose ARN names an API destination without its id, {@code arn:aws:events:REGION:ACCOUNT:
     * api-destination/NAME}, goes to the destination of that name: its full ARN ends in an id made at creation,
     * which a file cannot know.
     */
    private static Target byDestinationName(Busbar busbar, Target t) {
        String prefix = "arn:aws:events:" + busbar.region() + ":" + busbar.account() + ":api-destination/";
        if (!t.arn().startsWith(prefix) || t.arn().indexOf('/', prefix.length()) >= 0) {
            return t;
        }
        String name = t.arn().substring(prefix.length());
        return busbar.listApiDestinations(null, null).stream().filter(d -> d.name().equals(name)).findFirst()
                .map(d -> new Target(t.id(), d.arn(), t.roleArn(), t.input(), t.retryPolicy(), t.deadLetterConfig(),
                        t.parameters()))
                .orElse(t);
    }

    private static String ruleMember(BusbarException e) {
        String m = e.getMessage();
        if (e.errorCode().equals(BusbarException.INVALID_EVENT_PATTERN) || m.contains("'eventPattern'")) {
            return "EventPattern";
        }
        if (m.startsWith("Parameter(s)")) {
            return null; // neither pattern nor schedule: the rule as a whole
        }
        if (m.contains("ScheduleExpression")) {
            return "ScheduleExpression";
        }
        if (m.startsWith("Event bus") || m.contains("'eventBusName'")) {
            return "EventBusName";
        }
        return "Name";
    }

    /** Tags as a map ({@code {team: payments}}) or as the API's list of {@code {key, value}}. */
    private static Map<String, String> tags(Shape s) {
        if (s.raw("Tags") != null && s.raw("Tags").isObject()) {
            return new LinkedHashMap<>(s.stringMap("Tags"));
        }
        return TagOperations.readTags(s, "Tags");
    }
}
