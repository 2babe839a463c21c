package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.ConnectionAuth;
import io.busbar.core.QueueMessage;
import io.busbar.core.spi.Delivery;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.ConnectionHeaderParameter;
import software.amazon.awssdk.services.eventbridge.model.CreateApiDestinationResponse;
import software.amazon.awssdk.services.eventbridge.model.CreateConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.CreateEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DeleteConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeApiDestinationResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.LimitExceededException;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Tag;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** Every operation through the AWS SDK for Java v2, including the mapping of errors to the SDK's exceptions. */
@Timeout(60)
class EventBridgeApiIT {
    private static final String ACCOUNT = "123456789012";
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

    private static String pattern(String source) {
        return "{\"source\":[\"" + source + "\"]}";
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }

    // ---------------------------------------------------------------- PutEvents

    @Test
    void putEventsAnswersPerEntryAndDeliversToQueuesAndFunctions() throws Exception {
        String queueArn = fixture.busbar.queue("pe-queue").arn();
        List<Delivery> calls = new CopyOnWriteArrayList<>();
        String fnArn = fixture.busbar.registerFunction("pe-fn", calls::add);
        eb.putRule(r -> r.name("pe-rule").eventPattern("{\"source\":[\"pe.shop\"],\"detail\":{\"total\":"
                + "[{\"numeric\":[\">\",100]}]}}"));
        PutTargetsResponse put = eb.putTargets(r -> r.rule("pe-rule").targets(
                Target.builder().id("q").arn(queueArn).build(),
                Target.builder().id("fn").arn(fnArn).inputPath("$.detail").build()));
        assertEquals(0, put.failedEntryCount());

        PutEventsResponse res = eb.putEvents(r -> r.entries(
                PutEventsRequestEntry.builder().source("pe.shop").detailType("Order").detail("{\"total\":150}")
                        .resources("arn:aws:s3:::b").time(Instant.parse("2026-01-01T00:00:00Z")).build(),
                PutEventsRequestEntry.builder().detailType("Order").detail("{}").build(),
                PutEventsRequestEntry.builder().source("pe.shop").detailType("Order").detail("not json").build(),
                PutEventsRequestEntry.builder().source("pe.shop").detailType("Order").detail("{\"total\":5}").build()));
        assertEquals(2, res.failedEntryCount());
        assertEquals(4, res.entries().size());
        String id = res.entries().get(0).eventId();
        assertNotNull(id);
        assertEquals("InvalidArgument", res.entries().get(1).errorCode());
        assertEquals("Parameter Source is not valid. Reason: Source is a required argument.",
                res.entries().get(1).errorMessage());
        assertNull(res.entries().get(1).eventId());
        assertEquals("MalformedDetail", res.entries().get(2).errorCode());
        assertEquals("Detail is malformed.", res.entries().get(2).errorMessage());
        assertNotNull(res.entries().get(3).eventId());

        await(() -> fixture.busbar.queue("pe-queue").size() == 1 && calls.size() == 1);
        QueueMessage m = fixture.busbar.queue("pe-queue").receive(10).get(0);
        JsonNode event = Json.MAPPER.readTree(m.body());
        assertEquals(id, event.get("id").asText());
        assertEquals("2026-01-01T00:00:00Z", event.get("time").asText());
        assertEquals("arn:aws:s3:::b", event.at("/resources/0").asText());
        assertEquals(150, event.at("/detail/total").asInt());
        assertEquals("{\"total\":150}", calls.get(0).payload());
    }

    @Test
    void putEventsRefusesAWholeRequestOverTheLimits() {
        List<PutEventsRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(PutEventsRequestEntry.builder().source("s").detailType("t").detail("{}").build());
        }
        EventBridgeException e = assertThrows(EventBridgeException.class, () -> eb.putEvents(r -> r.entries(eleven)));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        String big = "{\"p\":\"" + "x".repeat(262_144) + "\"}";
        e = assertThrows(EventBridgeException.class, () -> eb.putEvents(r -> r.entries(
                PutEventsRequestEntry.builder().source("s").detailType("t").detail(big).build())));
        assertEquals("Total size of the entries in the request is over the limit.", e.awsErrorDetails().errorMessage());
    }

    // ---------------------------------------------------------------- rules

    @Test
    void ruleLifecycle() {
        String arn = eb.putRule(r -> r.name("lc-rule").eventPattern(pattern("lc")).description("d")
                .state(RuleState.DISABLED).roleArn("arn:aws:iam::123456789012:role/r")).ruleArn();
        assertEquals("arn:aws:events:us-east-1:" + ACCOUNT + ":rule/lc-rule", arn);
        DescribeRuleResponse d = eb.describeRule(r -> r.name("lc-rule"));
        assertEquals("lc-rule", d.name());
        assertEquals(arn, d.arn());
        assertEquals(pattern("lc"), d.eventPattern());
        assertEquals(RuleState.DISABLED, d.state());
        assertEquals("d", d.description());
        assertEquals("default", d.eventBusName());
        assertEquals(ACCOUNT, d.createdBy());
        assertNull(d.scheduleExpression());

        eb.enableRule(r -> r.name("lc-rule"));
        assertEquals(RuleState.ENABLED, eb.describeRule(r -> r.name("lc-rule")).state());
        eb.disableRule(r -> r.name("lc-rule"));
        assertEquals(RuleState.DISABLED, eb.describeRule(r -> r.name("lc-rule")).state());

        // PutRule replaces: members left out are cleared
        eb.putRule(r -> r.name("lc-rule").eventPattern(pattern("lc2")));
        d = eb.describeRule(r -> r.name("lc-rule"));
        assertNull(d.description());
        assertEquals(RuleState.ENABLED, d.state());

        eb.putTargets(r -> r.rule("lc-rule").targets(Target.builder().id("t").arn("arn:aws:sqs:us-east-1:"
                + ACCOUNT + ":lc").build()));
        EventBridgeException e = assertThrows(EventBridgeException.class, () -> eb.deleteRule(r -> r.name("lc-rule")));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Rule can't be deleted since it has targets.", e.awsErrorDetails().errorMessage());
        eb.removeTargets(r -> r.rule("lc-rule").ids("t"));
        eb.deleteRule(r -> r.name("lc-rule"));
        eb.deleteRule(r -> r.name("lc-rule")); // idempotent
        ResourceNotFoundException nf = assertThrows(ResourceNotFoundException.class,
                () -> eb.describeRule(r -> r.name("lc-rule")));
        assertEquals("Rule lc-rule does not exist on EventBus default.", nf.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> eb.enableRule(r -> r.name("lc-rule")));
        assertThrows(ResourceNotFoundException.class, () -> eb.disableRule(r -> r.name("lc-rule")));
    }

    @Test
    void listRulesPagesByPrefix() {
        eb.createEventBus(r -> r.name("pages"));
        for (int i = 0; i < 5; i++) {
            int n = i;
            eb.putRule(r -> r.name("page-" + n).eventBusName("pages").eventPattern(pattern("p" + n)));
        }
        eb.putRule(r -> r.name("other").eventBusName("pages").eventPattern(pattern("o")));
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListRulesResponse page = eb.listRules(r -> r.eventBusName("pages").namePrefix("page-").limit(2).nextToken(t));
            page.rules().forEach(rule -> names.add(rule.name()));
            assertTrue(page.rules().size() <= 2);
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(List.of("page-0", "page-1", "page-2", "page-3", "page-4"), names);
        assertEquals(3, pages);
        assertEquals("pages", eb.listRules(r -> r.eventBusName("pages").namePrefix("other")).rules().get(0)
                .eventBusName());
        EventBridgeException e = assertThrows(EventBridgeException.class,
                () -> eb.listRules(r -> r.eventBusName("pages").nextToken("garbage!")));
        assertEquals("InvalidToken", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("The NextToken is not valid.", e.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> eb.listRules(r -> r.eventBusName("no-such-bus")));
    }

    @Test
    void invalidPatternsAreInvalidEventPatternException() {
        InvalidEventPatternException e = assertThrows(InvalidEventPatternException.class,
                () -> eb.putRule(r -> r.name("bad").eventPattern("{\"source\":\"x\"}")));
        assertTrue(e.awsErrorDetails().errorMessage().startsWith(
                "Event pattern is not valid. Reason: \"source\" must be an object or an array"));
        EventBridgeException v = assertThrows(EventBridgeException.class, () -> eb.putRule(r -> r.name("bad name")
                .eventPattern(pattern("x"))));
        assertEquals("ValidationException", v.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member "
                + "must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+", v.awsErrorDetails().errorMessage());
        v = assertThrows(EventBridgeException.class, () -> eb.putRule(r -> r.name("neither")));
        assertEquals("Parameter(s) EventPattern or ScheduleExpression must be specified.",
                v.awsErrorDetails().errorMessage());
    }

    @Test
    void scheduledRulesOnlyOnTheDefaultBus() {
        eb.putRule(r -> r.name("every-5").scheduleExpression("rate(5 minutes)"));
        assertEquals("rate(5 minutes)", eb.describeRule(r -> r.name("every-5")).scheduleExpression());
        eb.createEventBus(r -> r.name("sched-bus"));
        EventBridgeException e = assertThrows(EventBridgeException.class, () -> eb.putRule(r -> r.name("s")
                .eventBusName("sched-bus").scheduleExpression("rate(5 minutes)")));
        assertEquals("ScheduleExpression is supported only on the default event bus.",
                e.awsErrorDetails().errorMessage());
        e = assertThrows(EventBridgeException.class, () -> eb.putRule(r -> r.name("s").scheduleExpression("rate(0 minutes)")));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Parameter ScheduleExpression is not valid.", e.awsErrorDetails().errorMessage());
    }

    @Test
    void listRuleNamesByTarget() {
        String arn = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":by-target";
        for (String name : List.of("bt-b", "bt-a", "bt-c")) {
            eb.putRule(r -> r.name(name).eventPattern(pattern(name)));
            if (!name.equals("bt-c")) {
                eb.putTargets(r -> r.rule(name).targets(Target.builder().id("t").arn(arn).build()));
            }
        }
        assertEquals(List.of("bt-a", "bt-b"), eb.listRuleNamesByTarget(r -> r.targetArn(arn)).ruleNames());
        var first = eb.listRuleNamesByTarget(r -> r.targetArn(arn).limit(1));
        assertEquals(List.of("bt-a"), first.ruleNames());
        assertEquals(List.of("bt-b"), eb.listRuleNamesByTarget(r -> r.targetArn(arn).nextToken(first.nextToken()))
                .ruleNames());
    }

    // ---------------------------------------------------------------- targets

    @Test
    void targetsRoundTripWithEveryMember() {
        eb.putRule(r -> r.name("tg-rule").eventPattern(pattern("tg")));
        String q = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":tg";
        PutTargetsResponse res = eb.putTargets(r -> r.rule("tg-rule").targets(
                Target.builder().id("const").arn(q).input("{\"fixed\":1}").build(),
                Target.builder().id("path").arn(q).inputPath("$.detail.id").build(),
                Target.builder().id("tr").arn(q).inputTransformer(t -> t
                                .inputPathsMap(java.util.Map.of("id", "$.detail.id"))
                                .inputTemplate("{\"order\": <id>}"))
                        .retryPolicy(p -> p.maximumRetryAttempts(3).maximumEventAgeInSeconds(120))
                        .deadLetterConfig(c -> c.arn(q + "-dlq"))
                        .sqsParameters(s -> s.messageGroupId("g"))
                        .build(),
                Target.builder().id("api").arn("arn:aws:events:us-east-1:" + ACCOUNT + ":api-destination/x/y")
                        .roleArn("arn:aws:iam::" + ACCOUNT + ":role/r")
                        .httpParameters(h -> h.pathParameterValues("$.detail.id")
                                .headerParameters(java.util.Map.of("X-Src", "eb"))
                                .queryStringParameters(java.util.Map.of("v", "1")))
                        .build()));
        assertEquals(0, res.failedEntryCount());
        assertTrue(res.failedEntries().isEmpty());
        List<Target> targets = eb.listTargetsByRule(r -> r.rule("tg-rule")).targets();
        assertEquals(List.of("const", "path", "tr", "api"), targets.stream().map(Target::id).toList());
        assertEquals("{\"fixed\":1}", targets.get(0).input());
        assertEquals("$.detail.id", targets.get(1).inputPath());
        Target tr = targets.get(2);
        assertEquals("{\"order\": <id>}", tr.inputTransformer().inputTemplate());
        assertEquals("$.detail.id", tr.inputTransformer().inputPathsMap().get("id"));
        assertEquals(3, tr.retryPolicy().maximumRetryAttempts());
        assertEquals(120, tr.retryPolicy().maximumEventAgeInSeconds());
        assertEquals(q + "-dlq", tr.deadLetterConfig().arn());
        assertEquals("g", tr.sqsParameters().messageGroupId());
        assertNull(targets.get(0).retryPolicy());
        Target api = targets.get(3);
        assertEquals(List.of("$.detail.id"), api.httpParameters().pathParameterValues());
        assertEquals("eb", api.httpParameters().headerParameters().get("X-Src"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/r", api.roleArn());

        // re-putting an id replaces it; a 6th distinct target is refused as a whole
        eb.putTargets(r -> r.rule("tg-rule").targets(Target.builder().id("const").arn(q).input("2").build()));
        assertEquals("2", eb.listTargetsByRule(r -> r.rule("tg-rule")).targets().get(0).input());
        eb.putTargets(r -> r.rule("tg-rule").targets(Target.builder().id("fifth").arn(q).build()));
        LimitExceededException limit = assertThrows(LimitExceededException.class, () -> eb.putTargets(r -> r
                .rule("tg-rule").targets(Target.builder().id("sixth").arn(q).build())));
        assertEquals("The requested resource exceeds the maximum number allowed.",
                limit.awsErrorDetails().errorMessage());
        var page = eb.listTargetsByRule(r -> r.rule("tg-rule").limit(3));
        assertEquals(3, page.targets().size());
        assertEquals(2, eb.listTargetsByRule(r -> r.rule("tg-rule").nextToken(page.nextToken())).targets().size());

        assertEquals(0, eb.removeTargets(r -> r.rule("tg-rule").ids("const", "path", "not-there")).failedEntryCount());
        assertEquals(3, eb.listTargetsByRule(r -> r.rule("tg-rule")).targets().size());
    }

    @Test
    void targetValidationErrors() throws Exception {
        eb.putRule(r -> r.name("tv-rule").eventPattern(pattern("tv")));
        String q = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":tv";
        // parameters the target's provider refuses are refused at PutTargets, not at every delivery
        String refused = rawCall("PutTargets", "{\"Rule\":\"tv-rule\",\"Targets\":[{\"Id\":\"h\",\"Arn\":"
                + "\"arn:aws:events:us-east-1:" + ACCOUNT + ":api-destination/d/1\",\"HttpParameters\":"
                + "{\"Bogus\":1}}]}");
        assertTrue(refused.contains("\"__type\":\"ValidationException\"")
                && refused.contains("Target h is not valid: HttpParameters.Bogus: unknown member"),
                refused);
        assertTrue(eb.listTargetsByRule(r -> r.rule("tv-rule")).targets().isEmpty());
        EventBridgeException e = assertThrows(EventBridgeException.class, () -> eb.putTargets(r -> r.rule("tv-rule")
                .targets(Target.builder().id("!@#$@!#$").arn(q).build())));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
                e.awsErrorDetails().errorMessage());
        e = assertThrows(EventBridgeException.class, () -> eb.putTargets(r -> r.rule("tv-rule")
                .targets(Target.builder().id("t1").arn(q).input("{}").inputPath("$.detail").build())));
        assertEquals("Only one of Input, InputPath, or InputTransformer must be provided for target t1.",
                e.awsErrorDetails().errorMessage());
        e = assertThrows(EventBridgeException.class, () -> eb.putTargets(r -> r.rule("tv-rule")
                .targets(Target.builder().id("t1").arn(q).inputTransformer(t -> t.inputTemplate("\"<x>\"")).build())));
        assertEquals("InputTemplate for target t1 contains invalid placeholder x.", e.awsErrorDetails().errorMessage());
        e = assertThrows(EventBridgeException.class, () -> eb.putTargets(r -> r.rule("tv-rule")
                .targets(Target.builder().id("t1").arn(q).retryPolicy(p -> p.maximumRetryAttempts(200)).build())));
        assertEquals("1 validation error detected: Value '200' at 'targets.1.member.retryPolicy.maximumRetryAttempts' "
                + "failed to satisfy constraint: Member must have value less than or equal to 185",
                e.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> eb.putTargets(r -> r.rule("no-such-rule")
                .targets(Target.builder().id("t").arn(q).build())));
        assertThrows(ResourceNotFoundException.class, () -> eb.listTargetsByRule(r -> r.rule("no-such-rule")));
    }

    // ---------------------------------------------------------------- TestEventPattern

    @Test
    void testEventPattern() {
        String event = "{\"id\":\"1\",\"source\":\"x\",\"detail-type\":\"t\",\"account\":\"" + ACCOUNT + "\","
                + "\"region\":\"us-east-1\",\"time\":\"2026-01-01T00:00:00Z\",\"resources\":[],"
                + "\"detail\":{\"total\":150}}";
        assertTrue(eb.testEventPattern(r -> r.eventPattern("{\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}")
                .event(event)).result());
        assertFalse(eb.testEventPattern(r -> r.eventPattern(pattern("y")).event(event)).result());
        assertThrows(InvalidEventPatternException.class,
                () -> eb.testEventPattern(r -> r.eventPattern("{\"source\":[]}").event(event)));
        EventBridgeException e = assertThrows(EventBridgeException.class,
                () -> eb.testEventPattern(r -> r.eventPattern(pattern("x")).event("{\"source\":\"x\"}")));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals("Parameter Event is not valid.", e.awsErrorDetails().errorMessage());
    }

    // ---------------------------------------------------------------- buses

    @Test
    void eventBusLifecycle() {
        String arn = eb.createEventBus(r -> r.name("orders").description("test bus")
                .tags(Tag.builder().key("team").value("payments").build())).eventBusArn();
        assertEquals("arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/orders", arn);
        ResourceAlreadyExistsException dup = assertThrows(ResourceAlreadyExistsException.class,
                () -> eb.createEventBus(r -> r.name("orders")));
        assertEquals("Event bus orders already exists.", dup.awsErrorDetails().errorMessage());
        DescribeEventBusResponse d = eb.describeEventBus(r -> r.name("orders"));
        assertEquals("orders", d.name());
        assertEquals(arn, d.arn());
        assertEquals("test bus", d.description());
        assertNotNull(d.creationTime());
        assertTrue(Math.abs(d.creationTime().getEpochSecond() - Instant.now().getEpochSecond()) < 60);
        assertEquals("orders", eb.describeEventBus(r -> r.name(arn)).name());
        assertEquals("default", eb.describeEventBus(r -> r.name(null)).name());
        assertEquals(List.of("orders"), eb.listEventBuses(r -> r.namePrefix("ord")).eventBuses().stream()
                .map(b -> b.name()).toList());
        assertEquals("payments", eb.listTagsForResource(r -> r.resourceARN(arn)).tags().get(0).value());

        eb.putRule(r -> r.name("on-orders").eventBusName("orders").eventPattern(pattern("o")));
        assertEquals("arn:aws:events:us-east-1:" + ACCOUNT + ":rule/orders/on-orders",
                eb.describeRule(r -> r.name("on-orders").eventBusName(arn)).arn());
        eb.deleteRule(r -> r.name("on-orders").eventBusName("orders"));
        eb.deleteEventBus(r -> r.name("orders"));
        ResourceNotFoundException nf = assertThrows(ResourceNotFoundException.class,
                () -> eb.describeEventBus(r -> r.name("orders")));
        assertEquals("Event bus orders does not exist.", nf.awsErrorDetails().errorMessage());
        EventBridgeException e = assertThrows(EventBridgeException.class,
                () -> eb.deleteEventBus(r -> r.name("default")));
        assertEquals("Cannot delete event bus default.", e.awsErrorDetails().errorMessage());
    }

    /** KmsKeyIdentifier, DeadLetterConfig and LogConfig are kept and described; a partner bus is refused. */
    @Test
    void eventBusOptionalSettings() throws Exception {
        String dlq = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":bus-dlq";
        CreateEventBusResponse c = eb.createEventBus(r -> r.name("settings").kmsKeyIdentifier("alias/orders")
                .deadLetterConfig(d -> d.arn(dlq)).logConfig(l -> l.includeDetail("FULL").level("INFO")));
        assertEquals("alias/orders", c.kmsKeyIdentifier());
        assertEquals(dlq, c.deadLetterConfig().arn());
        assertEquals("INFO", c.logConfig().levelAsString());
        DescribeEventBusResponse d = eb.describeEventBus(r -> r.name("settings"));
        assertEquals("alias/orders", d.kmsKeyIdentifier());
        assertEquals(dlq, d.deadLetterConfig().arn());
        assertEquals("FULL", d.logConfig().includeDetailAsString());
        assertEquals("INFO", d.logConfig().levelAsString());
        // ListEventBuses' items have no such members in the model
        assertFalse(rawCall("ListEventBuses", "{\"NamePrefix\":\"settings\"}").contains("alias/orders"));
        assertNull(eb.describeEventBus(r -> r.name("default")).logConfig());
        EventBridgeException level = assertThrows(EventBridgeException.class, () -> eb.createEventBus(r -> r
                .name("bad-level").logConfig(l -> l.level("BOGUS"))));
        assertEquals("1 validation error detected: Value 'BOGUS' at 'logConfig.level' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [OFF, ERROR, INFO, TRACE]", level.awsErrorDetails().errorMessage());
        EventBridgeException partner = assertThrows(EventBridgeException.class, () -> eb.createEventBus(r -> r
                .name("aws.partner/acme/orders").eventSourceName("aws.partner/acme/orders")));
        assertEquals("OperationDisabledException", partner.awsErrorDetails().errorCode());
        eb.deleteEventBus(r -> r.name("settings"));
    }

    // ---------------------------------------------------------------- connections and API destinations

    @Test
    void connectionsNeverShowTheirSecrets() throws Exception {
        CreateConnectionResponse c = eb.createConnection(r -> r.name("crm").description("CRM")
                .authorizationType(ConnectionAuthorizationType.API_KEY)
                .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("x-api-key").apiKeyValue("s3cret"))
                        .invocationHttpParameters(h -> h.headerParameters(
                                ConnectionHeaderParameter.builder().key("X-Token").value("hidden").isValueSecret(true)
                                        .build(),
                                ConnectionHeaderParameter.builder().key("X-Env").value("test").isValueSecret(false)
                                        .build()))));
        assertTrue(c.connectionArn().startsWith("arn:aws:events:us-east-1:" + ACCOUNT + ":connection/crm/"));
        assertEquals("AUTHORIZED", c.connectionStateAsString());
        assertNotNull(c.creationTime());
        DescribeConnectionResponse d = eb.describeConnection(r -> r.name("crm"));
        assertEquals("crm", d.name());
        assertEquals("CRM", d.description());
        assertEquals(ConnectionAuthorizationType.API_KEY, d.authorizationType());
        assertEquals("x-api-key", d.authParameters().apiKeyAuthParameters().apiKeyName());
        assertTrue(d.secretArn().startsWith("arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:events!connection/crm/"));
        var headers = d.authParameters().invocationHttpParameters().headerParameters();
        assertNull(headers.get(0).value());
        assertTrue(headers.get(0).isValueSecret());
        assertEquals("test", headers.get(1).value());
        String raw = rawCall("DescribeConnection", "{\"Name\":\"crm\"}");
        assertFalse(raw.contains("s3cret"), raw);
        assertFalse(raw.contains("hidden"), raw);

        eb.updateConnection(r -> r.name("crm").description("CRM v2")
                .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyValue("new-secret"))));
        assertEquals("new-secret", fixture.busbar.describeConnection("crm").auth().apiKey().apiKeyValue());
        assertEquals("x-api-key", fixture.busbar.describeConnection("crm").auth().apiKey().apiKeyName());
        assertEquals("CRM v2", eb.describeConnection(r -> r.name("crm")).description());

        eb.createConnection(r -> r.name("oauth").authorizationType(ConnectionAuthorizationType.OAUTH_CLIENT_CREDENTIALS)
                .authParameters(a -> a.oAuthParameters(o -> o.authorizationEndpoint("https://auth.example.com/token")
                        .httpMethod("POST").clientParameters(p -> p.clientID("id").clientSecret("cs")))));
        DescribeConnectionResponse o = eb.describeConnection(r -> r.name("oauth"));
        assertEquals("id", o.authParameters().oAuthParameters().clientParameters().clientID());
        assertEquals("AUTHORIZING", o.connectionStateAsString());
        assertEquals(List.of("crm", "oauth"), eb.listConnections(r -> r.limit(100)).connections().stream()
                .map(x -> x.name()).filter(n -> !n.startsWith("ad-")).toList());
        assertEquals(List.of("oauth"), eb.listConnections(r -> r.namePrefix("oa")).connections().stream()
                .map(x -> x.name()).toList());

        ResourceAlreadyExistsException dup = assertThrows(ResourceAlreadyExistsException.class, () -> eb
                .createConnection(r -> r.name("crm").authorizationType(ConnectionAuthorizationType.BASIC)
                        .authParameters(a -> a.basicAuthParameters(b -> b.username("u").password("p")))));
        assertNotNull(dup.awsErrorDetails().errorMessage());
        EventBridgeException bad = assertThrows(EventBridgeException.class, () -> eb.createConnection(r -> r
                .name("bad").authorizationType("INVALID_AUTH_TYPE")
                .authParameters(a -> a.basicAuthParameters(b -> b.username("u").password("p")))));
        assertEquals("1 validation error detected: Value 'INVALID_AUTH_TYPE' at 'authorizationType' failed to "
                + "satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]",
                bad.awsErrorDetails().errorMessage());

        // AuthParameters holds only its type's block, and header values exclude control characters and ':'
        EventBridgeException mixed = assertThrows(EventBridgeException.class, () -> eb.createConnection(r -> r
                .name("mixed").authorizationType(ConnectionAuthorizationType.BASIC)
                .authParameters(a -> a.basicAuthParameters(b -> b.username("u").password("p"))
                        .apiKeyAuthParameters(k -> k.apiKeyName("k").apiKeyValue("v")))));
        assertEquals("Parameter AuthParameters is not valid. Reason: ApiKeyAuthParameters cannot be used with "
                + "authorization type BASIC.", mixed.awsErrorDetails().errorMessage());
        EventBridgeException colon = assertThrows(EventBridgeException.class, () -> eb.createConnection(r -> r
                .name("colon").authorizationType(ConnectionAuthorizationType.BASIC)
                .authParameters(a -> a.basicAuthParameters(b -> b.username("a:b").password("p")))));
        assertEquals("1 validation error detected: Value 'a:b' at 'authParameters.basicAuthParameters.username' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + ConnectionAuth.AUTH_VALUE.pattern(), colon.awsErrorDetails().errorMessage());
        EventBridgeException injected = assertThrows(EventBridgeException.class, () -> eb.createConnection(r -> r
                .name("crlf").authorizationType(ConnectionAuthorizationType.API_KEY)
                .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("k")
                        .apiKeyValue("s3cret\r\nX-Injected: 1")))));
        assertEquals("1 validation error detected: Value at 'authParameters.apiKeyAuthParameters.apiKeyValue' "
                + "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + ConnectionAuth.AUTH_VALUE.pattern(), injected.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> eb.describeConnection(r -> r.name("crlf")));
        EventBridgeException header = assertThrows(EventBridgeException.class, () -> eb.createConnection(r -> r
                .name("header").authorizationType(ConnectionAuthorizationType.BASIC)
                .authParameters(a -> a.basicAuthParameters(b -> b.username("u").password("p"))
                        .invocationHttpParameters(h -> h.headerParameters(ConnectionHeaderParameter.builder()
                                .key("X-Token").value("t0p\r\nX-Injected: 1").isValueSecret(true).build())))));
        assertEquals("1 validation error detected: Value at "
                + "'authParameters.invocationHttpParameters.headerParameters.1.member.value' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: "
                + io.busbar.core.HttpParameter.HEADER_VALUE.pattern(), header.awsErrorDetails().errorMessage());

        Instant authorized = eb.describeConnection(r -> r.name("crm")).lastAuthorizedTime();
        assertNotNull(authorized);
        DeleteConnectionResponse gone = eb.deleteConnection(r -> r.name("crm"));
        assertEquals(authorized, gone.lastAuthorizedTime());
        assertEquals("DELETING", eb.deleteConnection(r -> r.name("oauth")).connectionStateAsString());
        ResourceNotFoundException nf = assertThrows(ResourceNotFoundException.class,
                () -> eb.describeConnection(r -> r.name("oauth")));
        assertEquals("Failed to describe the connection(s). Connection 'oauth' does not exist.",
                nf.awsErrorDetails().errorMessage());
    }

    @Test
    void apiDestinationLifecycle() {
        String conn = eb.createConnection(r -> r.name("ad-conn").authorizationType(ConnectionAuthorizationType.BASIC)
                .authParameters(a -> a.basicAuthParameters(b -> b.username("u").password("p")))).connectionArn();
        CreateApiDestinationResponse c = eb.createApiDestination(r -> r.name("ad").connectionArn(conn)
                .invocationEndpoint("https://api.example.com/orders/*").httpMethod(ApiDestinationHttpMethod.POST)
                .invocationRateLimitPerSecond(10));
        assertTrue(c.apiDestinationArn().startsWith("arn:aws:events:us-east-1:" + ACCOUNT + ":api-destination/ad/"));
        assertEquals("ACTIVE", c.apiDestinationStateAsString());
        DescribeApiDestinationResponse d = eb.describeApiDestination(r -> r.name("ad"));
        assertEquals(conn, d.connectionArn());
        assertEquals("https://api.example.com/orders/*", d.invocationEndpoint());
        assertEquals(ApiDestinationHttpMethod.POST, d.httpMethod());
        assertEquals(10, d.invocationRateLimitPerSecond());
        eb.updateApiDestination(r -> r.name("ad").httpMethod(ApiDestinationHttpMethod.PUT).description("put"));
        d = eb.describeApiDestination(r -> r.name("ad"));
        assertEquals(ApiDestinationHttpMethod.PUT, d.httpMethod());
        assertEquals("put", d.description());
        assertEquals(10, d.invocationRateLimitPerSecond());
        assertEquals(1, eb.listApiDestinations(r -> r.connectionArn(conn)).apiDestinations().size());
        assertThrows(ResourceNotFoundException.class, () -> eb.createApiDestination(r -> r.name("ad2")
                .connectionArn(conn + "x").invocationEndpoint("https://x").httpMethod(ApiDestinationHttpMethod.GET)));
        eb.deleteApiDestination(r -> r.name("ad"));
        ResourceNotFoundException nf = assertThrows(ResourceNotFoundException.class,
                () -> eb.describeApiDestination(r -> r.name("ad")));
        assertEquals("Failed to describe the api-destination(s). An api-destination 'ad' does not exist.",
                nf.awsErrorDetails().errorMessage());
        assertTrue(eb.listApiDestinations(r -> r.namePrefix("ad")).apiDestinations().isEmpty());
    }

    // ---------------------------------------------------------------- tags

    @Test
    void tagsOfRulesAndBuses() {
        String rule = eb.putRule(r -> r.name("tagged").eventPattern(pattern("t"))
                .tags(Tag.builder().key("a").value("1").build())).ruleArn();
        eb.tagResource(r -> r.resourceARN(rule).tags(Tag.builder().key("b").value("2").build(),
                Tag.builder().key("a").value("3").build()));
        assertEquals(List.of("a=3", "b=2"), eb.listTagsForResource(r -> r.resourceARN(rule)).tags().stream()
                .map(t -> t.key() + "=" + t.value()).toList());
        eb.untagResource(r -> r.resourceARN(rule).tagKeys("a"));
        assertEquals(List.of("b"), eb.listTagsForResource(r -> r.resourceARN(rule)).tags().stream()
                .map(Tag::key).toList());
        // PutRule on an existing rule ignores Tags
        eb.putRule(r -> r.name("tagged").eventPattern(pattern("t")).tags(Tag.builder().key("c").value("4").build()));
        assertEquals(1, eb.listTagsForResource(r -> r.resourceARN(rule)).tags().size());
        String bus = "arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/default";
        eb.tagResource(r -> r.resourceARN(bus).tags(Tag.builder().key("env").value("dev").build()));
        assertEquals("dev", eb.listTagsForResource(r -> r.resourceARN(bus)).tags().get(0).value());
        assertThrows(ResourceNotFoundException.class, () -> eb.listTagsForResource(r -> r.resourceARN(
                "arn:aws:events:us-east-1:" + ACCOUNT + ":rule/nope")));
        assertThrows(ResourceNotFoundException.class, () -> eb.tagResource(r -> r.resourceARN("arn:aws:sqs:x")
                .tags(Tag.builder().key("k").value("v").build())));
        eb.deleteRule(r -> r.name("tagged"));
        eb.putRule(r -> r.name("tagged").eventPattern(pattern("t")));
        assertTrue(eb.listTagsForResource(r -> r.resourceARN(rule)).tags().isEmpty());
    }

    // ---------------------------------------------------------------- observability

    @Test
    void healthAndMetricsOverHttp() throws Exception {
        assertEquals(io.netty.channel.epoll.Epoll.isAvailable(), fixture.server.nativeTransport());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(fixture.endpoint().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\"}", health.body());
        eb.listEventBuses(r -> r.limit(1));
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(fixture.endpoint().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("busbar_server_requests_seconds_count{operation=\"ListEventBuses\""),
                metrics.body());
    }

    /** The raw response body of an operation, for checks the SDK's typed view would hide. */
    private static String rawCall(String operation, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fixture.endpoint())
                .header("X-Amz-Target", "AWSEvents." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
