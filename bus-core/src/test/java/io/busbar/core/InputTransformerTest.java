package io.busbar.core;

import static io.busbar.core.TestEvents.EC2_STATE_CHANGE;
import static io.busbar.core.TestEvents.UPDATE_ACCOUNT;
import static io.busbar.core.TestEvents.context;
import static io.busbar.core.TestEvents.withDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rendering of InputTransformer templates: every example of spec 5.3, then the edges. */
class InputTransformerTest {

    private static final Map<String, String> UPDATE_ACCOUNT_PATHS = Map.of(
            "detail-type", "$.detail-type", "timestamp", "$.time", "command", "$.detail.command");
    private static final Map<String, String> UPDATE_ACCOUNT_PATHS_MISSING = Map.of(
            "detail-type", "$.detail-type", "timestamp", "$.time", "command", "$.detail.notinmessage");
    /** The user guide's InputPathsMap for the EC2 event. */
    private static final Map<String, String> EC2_PATHS = Map.of(
            "timestamp", "$.time", "instance", "$.detail.instance-id", "state", "$.detail.state",
            "status", "$.detail.state");

    /** A detail with every kind of value, for the value-rendering rules. */
    private static final String ALL_KINDS = withDetail("{\"userId\":\"0a787ecb-4015\","
            + "\"payload\":{\"acc_id\":\"0a787ecb-4015\",\"sf_id\":\"baz\"},"
            + "\"statuses\":[\"ACTIVE\",\"INACTIVE\"],\"severity\":[\"HIGH\"],\"flag\":true,\"count\":1.50,"
            + "\"big\":123456789012345678901234567890,\"nothing\":null,\"numbers\":[1,2],"
            + "\"quote\":\"say \\\"hi\\\"\",\"multiline\":\"line1\\nline2\","
            + "\"items\":[{\"name\":\"first\"},{\"name\":\"second\"}],\"matrix\":[[1,2],[3,4]],"
            + "\"unicode\":\"Zoë ✓ 😀 東京\"}");
    private static final Map<String, String> ALL_KINDS_PATHS = Map.ofEntries(
            Map.entry("userId", "$.detail.userId"), Map.entry("payload", "$.detail.payload"),
            Map.entry("statuses", "$.detail.statuses"), Map.entry("severity", "$.detail.severity"),
            Map.entry("flag", "$.detail.flag"), Map.entry("count", "$.detail.count"),
            Map.entry("big", "$.detail.big"), Map.entry("nothing", "$.detail.nothing"),
            Map.entry("numbers", "$.detail.numbers"), Map.entry("quote", "$.detail.quote"),
            Map.entry("multiline", "$.detail.multiline"), Map.entry("missing", "$.detail.absent"),
            Map.entry("unicode", "$.detail.unicode"));

    private static Optional<String> render(Map<String, String> paths, String template, String event) {
        return TargetInput.transformed(new InputTransformer(paths, template)).render(context(event));
    }

    private static String rendered(Map<String, String> paths, String template, String event) {
        return render(paths, template, event).orElseThrow(() -> new AssertionError("invocation dropped"));
    }

    // --- AWS-recorded outputs (spec source S9) ---

    @Test
    void stringTemplateInsertsStringValuesRaw() {
        assertEquals("\"Event of core.update-account-command type, at time 2024-05-13T12:27:07Z, "
                        + "info extracted from detail update-account\"",
                rendered(UPDATE_ACCOUNT_PATHS, "\"Event of <detail-type> type, at time <timestamp>, "
                        + "info extracted from detail <command>\"", UPDATE_ACCOUNT));
    }

    @Test
    void stringTemplateRendersMissingPathAsNothing() {
        assertEquals("\"Event of core.update-account-command type, at time 2024-05-13T12:27:07Z, "
                        + "info extracted from detail \"",
                rendered(UPDATE_ACCOUNT_PATHS_MISSING, "\"Event of <detail-type> type, at time <timestamp>, "
                        + "info extracted from detail <command>\"", UPDATE_ACCOUNT));
    }

    @Test
    void stringTemplateWithBracesInsideIsStillAString() {
        String template = "\"{[/Check with special starting characters for event of <detail-type> type\"";
        String expected = "\"{[/Check with special starting characters for event of core.update-account-command"
                + " type\"";
        assertEquals(expected, rendered(UPDATE_ACCOUNT_PATHS, template, UPDATE_ACCOUNT));
        assertEquals(expected, rendered(UPDATE_ACCOUNT_PATHS_MISSING, template, UPDATE_ACCOUNT));
    }

    @Test
    void jsonTemplateInsertsStringsAsJsonStringsAndIsMinified() {
        assertEquals("{\"detailType\":\"core.update-account-command\",\"time\":\"2024-05-13T12:27:07Z\","
                        + "\"command\":\"update-account\"}",
                rendered(UPDATE_ACCOUNT_PATHS,
                        "{\"detailType\": <detail-type>,  \"time\": <timestamp>, \"command\": <command>}",
                        UPDATE_ACCOUNT));
    }

    @Test
    void jsonTemplateRendersMissingPathAsEmptyString() {
        assertEquals("{\"detailType\":\"core.update-account-command\",\"time\":\"2024-05-13T12:27:07Z\","
                        + "\"command\":\"\"}",
                rendered(UPDATE_ACCOUNT_PATHS_MISSING,
                        "{\"detailType\": <detail-type>,  \"time\": <timestamp>, \"command\": <command>}",
                        UPDATE_ACCOUNT));
    }

    @Test
    void reservedVariablesInAString() {
        assertEquals("\"Message containing all pre defined variables "
                        + "arn:aws:events:us-east-1:111111111111:rule/test-bus/test-rule test-rule "
                        + "2024-05-13T12:27:08Z\"",
                rendered(null, "\"Message containing all pre defined variables <aws.events.rule-arn> "
                        + "<aws.events.rule-name> <aws.events.event.ingestion-time>\"", UPDATE_ACCOUNT));
    }

    @Test
    void reservedEventVariablesAsJsonValues() {
        assertEquals("{\"originalEvent\":{\"id\":\"1b6c3a4e-8f0e-4c1b-9a7d-2f3e4d5c6b7a\","
                        + "\"account\":\"111111111111\",\"detailType\":\"core.update-account-command\","
                        + "\"time\":\"2024-05-13T12:27:07Z\",\"source\":\"core.update-account-command\","
                        + "\"region\":\"us-east-1\",\"resources\":[],\"version\":\"0\"},"
                        + "\"originalEventJson\":" + UPDATE_ACCOUNT + "}",
                rendered(Map.of(), "{\"originalEvent\": <aws.events.event>, "
                        + "\"originalEventJson\": <aws.events.event.json>}", UPDATE_ACCOUNT));
    }

    // --- spec 5.3 value rules ---

    @Test
    void unquotedPlaceholderInsertsStringWithQuotes() {
        assertEquals("{\"id\":\"0a787ecb-4015\"}", rendered(ALL_KINDS_PATHS, "{\"id\": <userId>}", ALL_KINDS));
    }

    @Test
    void quotedPlaceholderInsertsRawString() {
        assertEquals("{\"path\":\"users/0a787ecb-4015\"}",
                rendered(ALL_KINDS_PATHS, "{\"path\":\"users/<userId>\"}", ALL_KINDS));
    }

    @Test
    void unquotedPlaceholderInsertsEveryOtherValueAsJson() {
        assertEquals("{\"p\":{\"acc_id\":\"0a787ecb-4015\",\"sf_id\":\"baz\"},\"s\":[\"ACTIVE\",\"INACTIVE\"],"
                        + "\"b\":true,\"n\":1.50,\"big\":123456789012345678901234567890,\"z\":null}",
                rendered(ALL_KINDS_PATHS, "{\"p\": <payload>, \"s\": <statuses>, \"b\": <flag>, \"n\": <count>,"
                        + " \"big\": <big>, \"z\": <nothing>}", ALL_KINDS));
    }

    @Test
    void quotedPlaceholderInsertsOtherScalarsAsText() {
        assertEquals("{\"a\":\"true 1.50 null\"}",
                rendered(ALL_KINDS_PATHS, "{\"a\": \"<flag> <count> <nothing>\"}", ALL_KINDS));
    }

    @Test
    void objectInsideQuotesMakesInvalidJsonAndDropsTheInvocation() {
        assertEquals(Optional.empty(),
                render(ALL_KINDS_PATHS, "{\"p\": \"payload is <payload>\"}", ALL_KINDS));
    }

    @Test
    void arrayOfStringsInsideQuotesDropsTheInvocation() {
        assertEquals(Optional.empty(), render(ALL_KINDS_PATHS, "{\"s\": \"<statuses>\"}", ALL_KINDS));
    }

    @Test
    void stringTemplateStripsTheQuotesOfObjectsAndArrays() {
        assertEquals("\"account {acc_id:0a787ecb-4015,sf_id:baz} statuses [ACTIVE,INACTIVE] severity [HIGH] "
                        + "flag true numbers [1,2]\"",
                rendered(ALL_KINDS_PATHS, "\"account <payload> statuses <statuses> severity <severity> "
                        + "flag <flag> numbers <numbers>\"", ALL_KINDS));
    }

    @Test
    void stringTemplateKeepsEscapedQuotes() {
        assertEquals("\"instance \\\"i-0123456789\\\" is in RUNNING\"",
                rendered(EC2_PATHS, "\"instance \\\"<instance>\\\" is in <state>\"", EC2_STATE_CHANGE));
    }

    @Test
    void plainTextTemplate() {
        assertEquals("i-0123456789 is in state RUNNING",
                rendered(EC2_PATHS, "<instance> is in state <status>", EC2_STATE_CHANGE));
    }

    @Test
    void plainTextTemplateStripsQuotesAndDropsMissingValues() {
        assertEquals("payload {acc_id:0a787ecb-4015,sf_id:baz}, missing [] flag true",
                rendered(ALL_KINDS_PATHS, "payload <payload>, missing [<missing>] flag <flag>", ALL_KINDS));
    }

    // --- the user guide's table (spec source S30) and the API reference's example (S31) ---

    @Test
    void userGuideSimpleString() {
        assertEquals("\"instance i-0123456789 is in RUNNING\"",
                rendered(EC2_PATHS, "\"instance <instance> is in <state>\"", EC2_STATE_CHANGE));
    }

    @Test
    void userGuideSimpleJson() {
        assertEquals("{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\"}",
                rendered(EC2_PATHS, "{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}", EC2_STATE_CHANGE));
    }

    @Test
    void userGuideJsonWithStringsAndVariables() {
        assertEquals("{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\","
                        + "\"instanceStatus\":\"instance \\\"i-0123456789\\\" is in RUNNING\"}",
                rendered(EC2_PATHS, "{\n \"instance\" : <instance>,\n \"state\": \"<state>\",\n"
                        + " \"instanceStatus\": \"instance \\\"<instance>\\\" is in <state>\"\n}", EC2_STATE_CHANGE));
    }

    @Test
    void userGuideJsonWithVariablesAndStaticValues() {
        assertEquals("{\"instance\":\"i-0123456789\",\"state\":[9,\"RUNNING\",true],\"Transformed\":\"Yes\"}",
                rendered(EC2_PATHS, "{\n  \"instance\" : <instance>,\n  \"state\": [ 9, <state>, true ],\n"
                        + "  \"Transformed\" : \"Yes\"\n}\n", EC2_STATE_CHANGE));
    }

    @Test
    void userGuideReservedVariablesInJson() {
        RenderContext example = new RenderContext(EC2_STATE_CHANGE,
                "arn:aws:events:us-east-2:123456789012:rule/example", "example", TestEvents.INGESTED);
        InputTransformer transformer = new InputTransformer(EC2_PATHS, "{\n  \"instance\" : <instance>,\n"
                + "  \"state\": <state>,\n  \"ruleArn\" : <aws.events.rule-arn>,\n"
                + "  \"ruleName\" : <aws.events.rule-name>,\n  \"originalEvent\" : <aws.events.event>\n}");
        assertEquals(Optional.of("{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\","
                        + "\"ruleArn\":\"arn:aws:events:us-east-2:123456789012:rule/example\","
                        + "\"ruleName\":\"example\",\"originalEvent\":{\"id\":\"7bf73129-1428-4cd3-a780-95db273d1602\","
                        + "\"account\":\"123456789012\","
                        + "\"detailType\":\"EC2 Instance State-change Notification\",\"time\":\"2015-11-11T21:29:54Z\","
                        + "\"source\":\"aws.ec2\",\"region\":\"us-east-1\","
                        + "\"resources\":[\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"],"
                        + "\"version\":\"0\"}}"),
                TargetInput.transformed(transformer).render(example));
    }

    @Test
    void userGuideReservedVariableInString() {
        RenderContext example = new RenderContext(EC2_STATE_CHANGE,
                "arn:aws:events:us-east-2:123456789012:rule/example", "example", TestEvents.INGESTED);
        assertEquals(Optional.of("\"example triggered\""), TargetInput.transformed(
                new InputTransformer(null, "\"<aws.events.rule-name> triggered\"")).render(example));
    }

    @Test
    void apiReferenceJsonWithVariablesInAndOutOfQuotes() {
        assertEquals("{\"myInstance\":\"i-0123456789\",\"myStatus\":\"i-0123456789 is in state \\\"RUNNING\\\"\"}",
                rendered(EC2_PATHS, "{\"myInstance\": <instance>,\"myStatus\": \"<instance> is in state "
                        + "\\\"<status>\\\"\"}", EC2_STATE_CHANGE));
    }

    // --- values are not escaped ---

    @Test
    void stringHoldingAQuoteBreaksAJsonTemplate() {
        assertEquals(Optional.empty(), render(ALL_KINDS_PATHS, "{\"q\": <quote>}", ALL_KINDS));
        assertEquals(Optional.empty(), render(ALL_KINDS_PATHS, "{\"q\": \"<quote>\"}", ALL_KINDS));
    }

    @Test
    void stringHoldingAQuoteIsCopiedRawIntoAStringTemplate() {
        assertEquals("\"q say \"hi\"\"", rendered(ALL_KINDS_PATHS, "\"q <quote>\"", ALL_KINDS));
    }

    @Test
    void newlineInsideAJsonStringDropsTheInvocationButNotPlainText() {
        assertEquals(Optional.empty(), render(ALL_KINDS_PATHS, "{\"m\": \"<multiline>\"}", ALL_KINDS));
        assertEquals("m=line1\nline2", rendered(ALL_KINDS_PATHS, "m=<multiline>", ALL_KINDS));
    }

    // --- missing paths, nesting, indexes ---

    @Test
    void missingPathInsideAJsonStringIsNothing() {
        assertEquals("{\"a\":\"xy\",\"b\":\"\"}",
                rendered(ALL_KINDS_PATHS, "{\"a\": \"x<missing>y\", \"b\": <missing>}", ALL_KINDS));
    }

    @Test
    void nestedPathsAndArrayIndexes() {
        Map<String, String> paths = Map.of("first", "$.resources[0]", "second", "$.detail.items[1].name",
                "cell", "$.detail.matrix[1][0]", "beyond", "$.resources[5]", "indexOnObject", "$.detail[0]",
                "nameOnArray", "$.detail.items.name", "throughString", "$.detail.unicode.x");
        assertEquals("{\"first\":\"arn:aws:s3:::bucket-a\",\"second\":\"second\",\"cell\":3,\"beyond\":\"\","
                        + "\"indexOnObject\":\"\",\"nameOnArray\":\"\",\"throughString\":\"\"}",
                rendered(paths, "{\"first\": <first>, \"second\": <second>, \"cell\": <cell>, \"beyond\": <beyond>,"
                        + " \"indexOnObject\": <indexOnObject>, \"nameOnArray\": <nameOnArray>,"
                        + " \"throughString\": <throughString>}", ALL_KINDS));
    }

    @Test
    void wholeEventPath() {
        assertEquals("{\"all\":" + UPDATE_ACCOUNT + "}",
                rendered(Map.of("all", "$"), "{\"all\": <all>}", UPDATE_ACCOUNT));
    }

    @Test
    void unicodeIsCopiedUnchanged() {
        assertEquals("{\"greeting\":\"héllo Zoë ✓ 😀 東京\",\"raw\":\"Zoë ✓ 😀 東京\"}",
                rendered(ALL_KINDS_PATHS, "{\"greeting\": \"héllo <unicode>\", \"raw\": <unicode>}", ALL_KINDS));
        assertEquals("\"→ Zoë ✓ 😀 東京\"", rendered(ALL_KINDS_PATHS, "\"→ <unicode>\"", ALL_KINDS));
    }

    // --- template handling ---

    @Test
    void jsonArrayTemplate() {
        assertEquals("[\"RUNNING\",\"id i-0123456789\"]",
                rendered(EC2_PATHS, "[<state>, \"id <instance>\"]", EC2_STATE_CHANGE));
    }

    @Test
    void leadingWhitespaceDoesNotHideAJsonTemplate() {
        assertEquals("{\"s\":\"RUNNING\"}", rendered(EC2_PATHS, " \n {\"s\": <state>}", EC2_STATE_CHANGE));
    }

    @Test
    void minifyingKeepsWhitespaceAndEscapesInsideStrings() {
        assertEquals("{\"a\":\"x  y\\t\\\" }\",\"b\":[1,2],\"c\":\"RUNNING\"}",
                rendered(EC2_PATHS, "{ \"a\" : \"x  y\\t\\\" }\" ,\r\n\t\"b\" : [ 1 , 2 ], \"c\": <state> }",
                        EC2_STATE_CHANGE));
    }

    @Test
    void jsonTemplateThatIsNotValidJsonAfterFillingIsDropped() {
        assertEquals(Optional.empty(), render(EC2_PATHS, "{\"a\": <state> <state>}", EC2_STATE_CHANGE));
        assertEquals(Optional.empty(), render(EC2_PATHS, "{\"a\": <state>", EC2_STATE_CHANGE));
        assertEquals(Optional.empty(), render(EC2_PATHS, "{\"a\": <state>} trailing", EC2_STATE_CHANGE));
    }

    @Test
    void sameVariableMayAppearManyTimes() {
        assertEquals("\"RUNNING/RUNNING/RUNNING\"",
                rendered(EC2_PATHS, "\"<state>/<state>/<state>\"", EC2_STATE_CHANGE));
    }

    @Test
    void anglesThatAreNotPlaceholdersAreText() {
        assertEquals("\"1 < 2, <a b>, <>, <RUNNING>, RUNNING\"",
                rendered(EC2_PATHS, "\"1 < 2, <a b>, <>, <<state>>, <state>\"", EC2_STATE_CHANGE));
    }

    @Test
    void wholeEventAsJsonIsCopiedFromTheEventTextAndMinified() {
        String pretty = "{\n  \"version\": \"0\",\n  \"detail-type\": \"x\",\n  \"detail\": {\"n\": 1.0}\n}";
        assertEquals("{\"e\":{\"version\":\"0\",\"detail-type\":\"x\",\"detail\":{\"n\":1.0}}}",
                rendered(null, "{\"e\": <aws.events.event.json>}", pretty));
    }

    @Test
    void wholeEventInAStringTemplateHasItsQuotesStripped() {
        assertEquals("\"got {version:0,detail-type:x,detail:{n:1}}\"", rendered(null,
                "\"got <aws.events.event.json>\"", "{\"version\":\"0\",\"detail-type\":\"x\",\"detail\":{\"n\":1}}"));
    }

    @Test
    void eventWithoutDetailLeavesOutMembersTheEventLacks() {
        assertEquals("{\"e\":{\"id\":\"42\",\"detailType\":\"x\",\"version\":\"0\"}}",
                rendered(null, "{\"e\": <aws.events.event>}",
                        "{\"version\":\"0\",\"id\":\"42\",\"detail-type\":\"x\",\"detail\":{\"secret\":1}}"));
    }

    @Test
    void ingestionTimeIsRenderedInUtcToTheSecond() {
        RenderContext late = new RenderContext(UPDATE_ACCOUNT, "arn", "rule",
                Instant.parse("2025-12-31T23:59:59.999999999Z"));
        assertEquals(Optional.of("{\"t\":\"2025-12-31T23:59:59Z\"}"), TargetInput.transformed(
                new InputTransformer(null, "{\"t\": <aws.events.event.ingestion-time>}")).render(late));
    }

    @Test
    void eventIsNotReadWhenNoVariableNeedsIt() {
        assertEquals("\"test-rule\"", rendered(null, "\"<aws.events.rule-name>\"", "not json at all"));
        assertEquals("constant text", rendered(null, "constant text", "not json at all"));
    }

    @Test
    void malformedEventIsACallerBugWhenAPathMustBeRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> render(EC2_PATHS, "<state>", "{\"detail\":"));
        assertTrue(e.getMessage().startsWith("eventJson: malformed JSON"), e::getMessage);
        IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
                () -> render(EC2_PATHS, "<state>", "[1]"));
        assertEquals("eventJson: ARRAY (expected: an event object)", array.getMessage());
    }
}
