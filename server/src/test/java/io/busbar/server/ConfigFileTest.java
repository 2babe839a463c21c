package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.Busbar;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.Rule;
import io.busbar.core.Target;
import io.busbar.core.TargetInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files: what a valid one declares, and the file, line, path and reason of each kind of error. */
class ConfigFileTest {
    private final Busbar busbar = Busbar.builder().build();
    private final TagStore tags = new TagStore(busbar);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        busbar.close();
    }

    private void apply(String yaml) {
        ConfigFile.parse("config.yaml", yaml, false).applyTo(busbar, tags);
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> apply(yaml)).getMessage();
    }

    @Test
    void declaresBusesQueuesConnectionsDestinationsRulesAndTargets() {
        apply("""
                eventBuses:
                  - name: orders
                    description: all orders
                    tags: {team: payments}
                queues: [big-orders, dlq]
                connections:
                  - name: crm
                    authorizationType: API_KEY
                    authParameters:
                      apiKeyAuthParameters: {apiKeyName: x-api-key, apiKeyValue: secret}
                      invocationHttpParameters:
                        headerParameters: [{key: X-Env, value: test, isValueSecret: false}]
                apiDestinations:
                  - name: crm-orders
                    connection: crm
                    invocationEndpoint: https://crm.example.com/orders/*
                    httpMethod: POST
                    invocationRateLimitPerSecond: 10
                rules:
                  - name: big-orders
                    eventBusName: orders
                    description: orders over 100
                    eventPattern:
                      source: [com.example.orders]
                      detail: {total: [{numeric: [">", 100]}]}
                    tags: [{key: team, value: payments}]
                    targets:
                      - id: q
                        arn: arn:aws:sqs:us-east-1:123456789012:big-orders
                        inputTransformer:
                          inputPathsMap: {id: $.detail.id}
                          inputTemplate: '{"order": <id>}'
                        retryPolicy: {maximumRetryAttempts: 3}
                        deadLetterConfig: {arn: arn:aws:sqs:us-east-1:123456789012:dlq}
                      - id: api
                        arn: arn:aws:events:us-east-1:123456789012:api-destination/crm-orders
                        input: {constant: true}
                        httpParameters: {pathParameterValues: [$.detail.id], headerParameters: {X-Src: eb}}
                  - name: scheduled
                    scheduleExpression: rate(5 minutes)
                    state: DISABLED
                """);
        assertEquals("all orders", busbar.describeEventBus("orders").description());
        assertEquals(Map.of("team", "payments"), tags.get(busbar.busArn("orders")));
        assertEquals(0, busbar.queue("big-orders").size());
        assertEquals(ConnectionAuth.AuthorizationType.API_KEY, busbar.describeConnection("crm").auth().type());
        assertEquals(busbar.describeConnection("crm").arn(), busbar.describeApiDestination("crm-orders").connectionArn());
        Rule rule = busbar.describeRule("orders", "big-orders");
        assertEquals("{\"source\":[\"com.example.orders\"],\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}",
                rule.eventPattern());
        assertEquals(Map.of("team", "payments"), tags.get(rule.arn()));
        List<Target> targets = busbar.listTargetsByRule("orders", "big-orders");
        assertEquals(2, targets.size());
        assertTrue(targets.get(0).input() instanceof TargetInput.Transformed);
        assertEquals(3, targets.get(0).retryPolicy().maximumRetryAttempts());
        assertEquals("arn:aws:sqs:us-east-1:123456789012:dlq", targets.get(0).deadLetterConfig().arn());
        assertEquals("{\"constant\":true}", ((TargetInput.Constant) targets.get(1).input()).input());
        // named without its id, the destination resolves to the one the file declared
        assertEquals(busbar.describeApiDestination("crm-orders").arn(), targets.get(1).arn());
        assertEquals("{\"PathParameterValues\":[\"$.detail.id\"],\"HeaderParameters\":{\"X-Src\":\"eb\"}}",
                targets.get(1).parameters().get("HttpParameters"));
        assertEquals("rate(5 minutes)", busbar.describeRule(null, "scheduled").scheduleExpression());
    }

    @Test
    void jsonFilesAndAnyLetterCaseWork() throws IOException {
        Path f = Files.writeString(dir.resolve("busbar.json"), """
                {"Rules": [{"Name": "r", "EventPattern": "{\\"source\\": [\\"a\\"]}",
                            "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]}]}
                """);
        ConfigFile.load(f).applyTo(busbar, tags);
        assertEquals("{\"source\": [\"a\"]}", busbar.describeRule(null, "r").eventPattern());
    }

    @Test
    void anEmptyFileDeclaresNothing() {
        apply("");
        apply("# nothing yet\n");
        assertEquals(1, busbar.listEventBuses(null).size());
    }

    @Test
    void anInvalidPatternNamesTheLineThePathAndEventBridgesReason() {
        String m = error("""
                rules:
                  - name: ok
                    eventPattern: {source: [a]}
                  - name: bad
                    eventPattern: '{"source": "a"}'
                """);
        assertTrue(m.startsWith("config.yaml:5: rules[1].eventPattern: Event pattern is not valid. Reason: "
                + "\"source\" must be an object or an array"), m);
    }

    @Test
    void malformedYamlNamesTheLine() {
        String m = error("rules:\n  - name: a\n    eventPattern: {source: [a]\n");
        assertTrue(m.startsWith("config.yaml:"), m);
        assertTrue(m.contains("not well-formed YAML"), m);
    }

    @Test
    void malformedJsonNamesTheLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigFile.parse("c.json", "{\n  \"rules\": [\n  }\n", true));
        assertTrue(e.getMessage().startsWith("c.json:3: not well-formed JSON"), e.getMessage());
    }

    @Test
    void anUnknownMemberIsAnError() {
        String m = error("rules:\n  - name: a\n    eventPatern: {source: [a]}\n");
        assertTrue(m.startsWith("config.yaml:3: rules[0].eventPatern: unknown member (expected one of: name, "), m);
        assertTrue(error("rulez: []\n").startsWith("config.yaml:1: rulez: unknown member"));
    }

    @Test
    void aMissingOrInvalidNameIsAnError() {
        assertEquals("config.yaml:2: rules[0].name: Value null at 'rules[0].name' failed to satisfy constraint: "
                + "Member must not be null", error("rules:\n  - eventPattern: {source: [a]}\n"));
        String m = error("rules:\n  - name: 'a b'\n    eventPattern: {source: [a]}\n");
        assertTrue(m.startsWith("config.yaml:2: rules[0].name: Value 'a b' at 'rules[0].name' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern"), m);
    }

    @Test
    void aWrongTypeIsAnError() {
        assertEquals("config.yaml:1: rules: expected a list", error("rules: {name: a}\n"));
        assertEquals("config.yaml:4: rules[0].targets[0].retryPolicy.maximumRetryAttempts: expected an integer",
                error("""
                        rules:
                          - {name: a, eventPattern: {source: [a]}, targets: [{id: t, arn: 'arn:aws:sqs:us-east-1:1:q',
                            retryPolicy: {
                              maximumRetryAttempts: many}}]}
                        """));
    }

    @Test
    void anUnknownBusIsAnError() {
        assertEquals("config.yaml:3: rules[0].eventBusName: Event bus nope does not exist.",
                error("rules:\n  - name: a\n    eventBusName: nope\n    eventPattern: {source: [a]}\n"));
    }

    @Test
    void aBadTargetIsAnError() {
        String m = error("""
                rules:
                  - name: a
                    eventPattern: {source: [a]}
                    targets:
                      - id: t1
                        arn: arn:aws:sqs:us-east-1:123456789012:q
                        input: '{}'
                        inputPath: $.detail
                """);
        assertEquals("config.yaml:5: rules[0].targets[0]: Only one of Input, InputPath, or InputTransformer must be "
                + "provided for target t1.", m);
        m = error("""
                rules:
                  - name: a
                    eventPattern: {source: [a]}
                    targets:
                      - id: t1
                        arn: arn:aws:sqs:us-east-1:123456789012:q
                        inputTransformer: {inputTemplate: '"<nope>"'}
                """);
        assertEquals("config.yaml:5: rules[0].targets[0]: InputTemplate for target t1 contains invalid placeholder "
                + "nope.", m);
    }

    @Test
    void tooManyTargetsIsAnError() {
        StringBuilder y = new StringBuilder("rules:\n  - name: a\n    eventPattern: {source: [a]}\n    targets:\n");
        for (int i = 0; i < 6; i++) {
            y.append("      - {id: t").append(i).append(", arn: 'arn:aws:sqs:us-east-1:123456789012:q'}\n");
        }
        assertEquals("config.yaml:4: rules[0].targets: The requested resource exceeds the maximum number allowed.",
                error(y.toString()));
    }

    @Test
    void duplicatesAreErrors() {
        assertEquals("config.yaml:3: rules.0.name: duplicate key",
                error("rules:\n  - name: a\n    name: b\n"));
        String m = error("rules:\n  - {name: a, eventPattern: {source: [a]}}\n  - {name: a, eventPattern: {source: [b]}}\n");
        assertEquals("config.yaml:3: rules[1].name: rule a of event bus default is declared twice", m);
        assertEquals("config.yaml:3: eventBuses[1].name: Event bus x already exists.",
                error("eventBuses:\n  - {name: x}\n  - {name: x}\n"));
        assertEquals("config.yaml:3: rules[0].targets[1].id: target t is declared twice",
                error("rules:\n  - {name: a, eventPattern: {source: [a]}, targets: [{id: t, arn: 'arn:aws:sqs:us-east-1:"
                        + "123456789012:q'},\n      {id: t, arn: 'arn:aws:sqs:us-east-1:123456789012:r'}]}\n"));
        assertEquals("config.yaml:2: eventBuses[0].description: the default event bus takes no description",
                error("eventBuses:\n  - {name: default, description: mine}\n"));
        String connection = "{name: c, authorizationType: BASIC, authParameters: {basicAuthParameters: {username: u,"
                + " password: p}}}";
        assertEquals("config.yaml:3: connections[1].name: connection c is declared twice",
                error("connections:\n  - " + connection + "\n  - {name: c, authorizationType: NONSENSE}\n"));
        String destination = "{name: d, connection: c, invocationEndpoint: 'https://x.example.com', httpMethod: POST}";
        assertEquals("config.yaml:5: apiDestinations[1].name: API destination d is declared twice",
                error("connections:\n  - " + connection + "\napiDestinations:\n  - " + destination
                        + "\n  - {name: d, connection: nope}\n"));
    }

    @Test
    void aBadConnectionIsAnError() {
        String m = error("""
                connections:
                  - name: c
                    authorizationType: PASSWORD
                    authParameters: {basicAuthParameters: {username: u, password: p}}
                """);
        assertEquals("config.yaml:3: connections[0].authorizationType: Value 'PASSWORD' at "
                + "'connections[0].authorizationType' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]", m);
        m = error("""
                connections:
                  - name: c
                    authorizationType: BASIC
                    authParameters: {basicAuthParameters: {username: u}}
                """);
        assertTrue(m.startsWith("config.yaml:4: connections[0].authParameters: "), m);
        assertTrue(m.contains("Password"), m);
    }

    @Test
    void anApiDestinationOfAnUnknownConnectionIsAnError() {
        String m = error("""
                apiDestinations:
                  - {name: d, connection: nope, invocationEndpoint: 'https://x', httpMethod: POST}
                """);
        assertTrue(m.startsWith("config.yaml:2: apiDestinations[0].connection: Failed to describe the connection(s). "
                + "Connection 'nope' does not exist."), m);
        String endpoint = error("""
                connections:
                  - {name: c, authorizationType: BASIC, authParameters: {basicAuthParameters: {username: u, password: p}}}
                apiDestinations:
                  - {name: d, connection: c, invocationEndpoint: 'not a url', httpMethod: POST}
                """);
        assertTrue(endpoint.startsWith("config.yaml:4: apiDestinations[0].invocationEndpoint: "), endpoint);
    }

    @Test
    void theServerBuilderAppliesTheFileBeforeListening() {
        ConfigFile bad = ConfigFile.parse("config.yaml", "rules:\n  - {name: a}\n", false);
        ConfigException e = assertThrows(ConfigException.class,
                () -> BusbarServer.builder(busbar).port(0).config(bad).build());
        assertEquals("config.yaml:2: rules[0]: Parameter(s) EventPattern or ScheduleExpression must be specified.",
                e.getMessage());
    }
}
