package io.busbar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What PutTargets rejects in an InputTransformer, with the exact messages. */
class InputTransformerValidationTest {

    private static final String KEY_EXPECTED = "(expected: 1 to 256 characters of A-Z a-z 0-9 _ -)";
    private static final String PATH_EXPECTED =
            "(expected: a JSONPath in dot notation such as $.detail.state, with [n] for an array element)";

    private static String rejection(Map<String, String> paths, String template) {
        return assertThrows(TargetValidationException.class, () -> new InputTransformer(paths, template))
                .getMessage();
    }

    @Test
    void unknownPlaceholderIsRejectedWithEventBridgesTextForTheTarget() {
        // AWS-recorded (spec source S9, test_put_events_with_input_transformer_missing_keys).
        Map<String, String> paths = Map.of("detail-type", "$.detail-type", "timestamp", "$.time",
                "command", "$.detail.command");
        TargetValidationException e = assertThrows(TargetValidationException.class,
                () -> InputTransformer.forTarget("target-1a2b", paths,
                        "\"Event of <detail-type> type, with not defined key <notdefinedkey>\""));
        assertEquals("InputTemplate for target target-1a2b contains invalid placeholder notdefinedkey.",
                e.getMessage());
        assertEquals("ValidationException", e.errorCode());
    }

    @Test
    void unknownPlaceholderWithoutATargetLeavesTheTargetOut() {
        assertEquals("InputTemplate contains invalid placeholder notdefinedkey.",
                rejection(Map.of(), "{\"a\": <notdefinedkey>}"));
    }

    @Test
    void unknownPlaceholderInsideAStringOrPlainTextIsRejectedToo() {
        assertEquals("InputTemplate contains invalid placeholder b.",
                rejection(Map.of("a", "$.a"), "{\"x\": \"<b>\"}"));
        assertEquals("InputTemplate contains invalid placeholder b.", rejection(Map.of("a", "$.a"), "<a> and <b>"));
    }

    @Test
    void anUndefinedAwsEventsNameIsNotAReservedVariable() {
        assertEquals("InputTemplate contains invalid placeholder aws.events.rule.",
                rejection(null, "\"<aws.events.rule>\""));
    }

    @Test
    void reservedVariablesNeedNoPathsMap() {
        InputTransformer transformer = new InputTransformer(null, "{\"a\": <aws.events.rule-arn>, "
                + "\"b\": <aws.events.rule-name>, \"c\": <aws.events.event>, \"d\": <aws.events.event.json>, "
                + "\"e\": <aws.events.event.ingestion-time>}");
        assertEquals(Map.of(), transformer.inputPathsMap());
    }

    @Test
    void otherRejectionsKeepTheirMessageForATarget() {
        TargetValidationException e = assertThrows(TargetValidationException.class,
                () -> InputTransformer.forTarget("t1", Map.of("AWS.x", "$.a"), "<AWS.x>"));
        assertEquals("InputPathsMap key: AWS.x (expected: not starting with AWS.)", e.getMessage());
    }

    @Test
    void atMostOneHundredPaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            paths.put("k" + i, "$.detail.k" + i);
        }
        assertEquals(100, new InputTransformer(paths, "<k99>").inputPathsMap().size());
        paths.put("k100", "$.detail.k100");
        assertEquals("InputPathsMap: 101 entries (expected: at most 100)", rejection(paths, "<k0>"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "aws.events.rule-arn | InputPathsMap key: aws.events.rule-arn (expected: not a reserved variable name)",
        "aws.events.event | InputPathsMap key: aws.events.event (expected: not a reserved variable name)",
        "aws.events.custom | InputPathsMap key: aws.events.custom (expected: not a reserved variable name)",
        "AWS.instance | InputPathsMap key: AWS.instance (expected: not starting with AWS.)",
        "a.b | InputPathsMap key: a.b " + KEY_EXPECTED,
        "a b | InputPathsMap key: a b " + KEY_EXPECTED,
        "état | InputPathsMap key: état " + KEY_EXPECTED,
        "'' | InputPathsMap key: empty " + KEY_EXPECTED,
    })
    void badKeys(String key, String message) {
        assertEquals(message, rejection(Map.of(key, "$.detail"), "\"x\""));
    }

    @Test
    void keyLength() {
        String longest = "k".repeat(256);
        assertEquals(longest, new InputTransformer(Map.of(longest, "$.a"), "<" + longest + ">")
                .inputPathsMap().keySet().iterator().next());
        assertEquals("InputPathsMap key: 257 characters " + KEY_EXPECTED,
                rejection(Map.of("k".repeat(257), "$.a"), "\"x\""));
    }

    @Test
    void nullKeyOrPath() {
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "$.a");
        assertEquals("InputPathsMap key: null " + KEY_EXPECTED, rejection(nullKey, "\"x\""));
        Map<String, String> nullPath = new HashMap<>();
        nullPath.put("a", null);
        assertEquals("InputPathsMap value for key a: null " + PATH_EXPECTED, rejection(nullPath, "\"x\""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "detail.state", "$detail", "$.", "$.a..b", "$.a.", "$.a[x]", "$.a[-1]", "$.a[1", "$.a[]",
        "$['a']", "$.a.*", "$.a[*]", "$..a", "$.a b", "$.a[1234567890]",
    })
    void badPaths(String path) {
        assertEquals("InputPathsMap value for key v: " + path + " " + PATH_EXPECTED,
                rejection(Map.of("v", path), "<v>"));
    }

    @Test
    void pathLength() {
        String longest = "$." + "a".repeat(254);
        new InputTransformer(Map.of("v", longest), "<v>");
        assertEquals("InputPathsMap value for key v: 257 characters (expected: at most 256)",
                rejection(Map.of("v", longest + "a"), "<v>"));
    }

    @Test
    void pathsWithDashesUnderscoresAndIndexesAreAccepted() {
        new InputTransformer(Map.of("a", "$.detail-type", "b", "$.detail.acc_id", "c", "$.resources[0]",
                "d", "$.detail.m[10][2].x", "e", "$"), "<a><b><c><d><e>");
    }

    @Test
    void templateIsRequiredAndAtMost8192Characters() {
        assertEquals("InputTemplate: null (expected: 1 to 8192 characters)", rejection(null, null));
        assertEquals("InputTemplate: empty (expected: 1 to 8192 characters)", rejection(null, ""));
        assertEquals("InputTemplate: 8193 characters (expected: 1 to 8192)", rejection(null, "x".repeat(8193)));
        assertEquals(8192, new InputTransformer(null, "x".repeat(8192)).inputTemplate().length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{<k>: 1}",
        "{\"a\": 1, <k> : 2}",
        "{\"<k>\": 1}",
        "{\"a\": {\"prefix-<k>\"\t : 1}}",
        "[{\"<k>\":1}]",
    })
    void placeholderCannotBeAnObjectKey(String template) {
        assertEquals("InputTemplate: placeholder <k> used as an object key (expected: placeholders only in values)",
                rejection(Map.of("k", "$.detail.k"), template));
    }

    @Test
    void colonsElsewhereDoNotMakeAKey() {
        Map<String, String> paths = Map.of("k", "$.detail.k");
        new InputTransformer(paths, "{\"a\": \"<k>: value\", \"b\": \"x\\\"<k>\\\":\"}");
        new InputTransformer(paths, "\"<k>\": not JSON, a string template");
        new InputTransformer(paths, "<k>: plain text");
    }

    @Test
    void pathsMapIsCopiedAndUnmodifiable() {
        Map<String, String> paths = new HashMap<>(Map.of("a", "$.a"));
        InputTransformer transformer = new InputTransformer(paths, "<a>");
        paths.put("b", "$.b");
        assertEquals(Map.of("a", "$.a"), transformer.inputPathsMap());
        assertThrows(UnsupportedOperationException.class, () -> transformer.inputPathsMap().put("c", "$.c"));
    }

    @Test
    void equalConfigurationsAreEqual() {
        assertEquals(new InputTransformer(Map.of("a", "$.a"), "<a>"),
                new InputTransformer(new HashMap<>(Map.of("a", "$.a")), "<a>"));
        assertEquals(new InputTransformer(null, "\"x\""), new InputTransformer(Map.of(), "\"x\""));
    }
}
