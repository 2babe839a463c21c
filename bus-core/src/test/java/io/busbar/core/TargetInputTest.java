package io.busbar.core;

import static io.busbar.core.TestEvents.UPDATE_ACCOUNT;
import static io.busbar.core.TestEvents.context;
import static io.busbar.core.TestEvents.withDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input, InputPath, InputTransformer: which one a target has, and what it receives (spec 5.1, 5.4). */
class TargetInputTest {

    private static final InputTransformer TRANSFORMER =
            new InputTransformer(Map.of("command", "$.detail.command"), "\"command <command>\"");

    private static String only(String targetId) {
        return "Only one of Input, InputPath, or InputTransformer must be provided for target " + targetId + ".";
    }

    private static Optional<String> render(TargetInput input, String event) {
        return input.render(context(event));
    }

    // --- mutual exclusion (AWS-recorded message, spec 5.1) ---

    @Test
    void inputPathAndTransformerTogetherAreRejected() {
        TargetValidationException e = assertThrows(TargetValidationException.class,
                () -> TargetInput.of("target-1", null, "$.detail", TRANSFORMER));
        assertEquals(only("target-1"), e.getMessage());
        assertEquals("ValidationException", e.errorCode());
    }

    @Test
    void everyOtherPairAndAllThreeAreRejected() {
        assertEquals(only("a"), assertThrows(TargetValidationException.class,
                () -> TargetInput.of("a", "{}", "$.detail", null)).getMessage());
        assertEquals(only("b"), assertThrows(TargetValidationException.class,
                () -> TargetInput.of("b", "{}", null, TRANSFORMER)).getMessage());
        assertEquals(only("c"), assertThrows(TargetValidationException.class,
                () -> TargetInput.of("c", "{}", "$.detail", TRANSFORMER)).getMessage());
    }

    @Test
    void exclusionIsCheckedBeforeTheMembersThemselves() {
        assertEquals(only("d"), assertThrows(TargetValidationException.class,
                () -> TargetInput.of("d", "not json", "no path", null)).getMessage());
    }

    @Test
    void eachMemberAloneSelectsItsKind() {
        assertInstanceOf(TargetInput.Constant.class, TargetInput.of("t", "{\"a\":1}", null, null));
        assertInstanceOf(TargetInput.Path.class, TargetInput.of("t", null, "$.detail", null));
        TargetInput transformed = TargetInput.of("t", null, null, TRANSFORMER);
        assertInstanceOf(TargetInput.Transformed.class, transformed);
        assertSame(TRANSFORMER, ((TargetInput.Transformed) transformed).transformer());
    }

    // --- the whole event (the default) ---

    @Test
    void withoutInputMembersTheWholeEventIsPassedUnchanged() {
        TargetInput input = TargetInput.of("t", null, null, null);
        assertSame(TargetInput.entireEvent(), input);
        assertEquals(Optional.of(UPDATE_ACCOUNT), render(input, UPDATE_ACCOUNT));
        String pretty = "{\n  \"version\": \"0\",\n  \"detail\": {}\n}";
        assertEquals(Optional.of(pretty), render(input, pretty));
    }

    // --- Input ---

    @Test
    void constantInputIsPassedInsteadOfTheEvent() {
        // Spec 5.4: a scheduled rule's target with Input receives the constant.
        String scheduled = "{\"version\":\"0\",\"id\":\"89fb5d8c-0d6e-4a1d-9ab8-6c1d1b1fb1a0\","
                + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"123456789012\","
                + "\"time\":\"2026-01-01T10:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[\"arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule\"],\"detail\":{}}";
        String constant = "{ \"action\" : \"nightly-report\", \"n\": 1.0 }";
        assertEquals(Optional.of(constant), render(TargetInput.of("t", constant, null, null), scheduled));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"just a string\"", "42", "null", "true", "[1,\"two\"]", " {} "})
    void anyJsonTextIsAValidInput(String json) {
        assertEquals(json, ((TargetInput.Constant) TargetInput.constant(json)).input());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "", "{", "{\"a\":1} {\"b\":2}", "{\"a\":1} x", "'single'", "{a:1}"})
    void inputMustBeValidJsonText(String notJson) {
        assertEquals("Input: " + notJson + " (expected: valid JSON text)", assertThrows(
                TargetValidationException.class, () -> TargetInput.constant(notJson)).getMessage());
    }

    @Test
    void inputIsAtMost8192Characters() {
        String longest = "\"" + "x".repeat(8190) + "\"";
        assertEquals(longest, ((TargetInput.Constant) TargetInput.constant(longest)).input());
        String tooLong = "\"" + "x".repeat(8191) + "\"";
        assertEquals("Input: 8193 characters (expected: at most 8192)", assertThrows(
                TargetValidationException.class, () -> TargetInput.constant(tooLong)).getMessage());
    }

    @Test
    void longInvalidInputIsShortenedInTheMessage() {
        String bad = "x".repeat(100);
        assertEquals("Input: " + "x".repeat(64) + "... (expected: valid JSON text)", assertThrows(
                TargetValidationException.class, () -> TargetInput.constant(bad)).getMessage());
    }

    // --- InputPath (AWS-recorded outputs, spec source S9) ---

    @Test
    void inputPathSendsTheSelectedObject() {
        assertEquals(Optional.of("{\"command\":\"update-account\",\"payload\":{\"acc_id\":\"0a787ecb-4015\","
                + "\"sf_id\":\"baz\"}}"), render(TargetInput.path("$.detail"), UPDATE_ACCOUNT));
    }

    @Test
    void inputPathSendsANestedObject() {
        assertEquals(Optional.of("{\"acc_id\":\"0a787ecb-4015\",\"sf_id\":\"baz\"}"),
                render(TargetInput.path("$.detail.payload"), UPDATE_ACCOUNT));
        String sameKeyNested = withDetail("{\"command\":\"update-account\",\"payload\":{\"acc_id\":\"0a787ecb-4015\","
                + "\"payload\":{\"message\":\"baz\",\"id\":\"123\"}}}");
        assertEquals(Optional.of("{\"acc_id\":\"0a787ecb-4015\",\"payload\":{\"message\":\"baz\",\"id\":\"123\"}}"),
                render(TargetInput.path("$.detail.payload"), sameKeyNested));
    }

    @Test
    void inputPathSendsAStringWithItsQuotes() {
        assertEquals(Optional.of("\"baz\""), render(TargetInput.path("$.detail.payload.sf_id"), UPDATE_ACCOUNT));
    }

    @Test
    void oneTargetWithInputPathAndOneWithout() {
        TargetInput first = TargetInput.of("target-1", null, "$.detail", null);
        TargetInput second = TargetInput.of("target-2", null, null, null);
        assertEquals(Optional.of("{\"command\":\"update-account\",\"payload\":{\"acc_id\":\"0a787ecb-4015\","
                + "\"sf_id\":\"baz\"}}"), render(first, UPDATE_ACCOUNT));
        assertEquals(Optional.of(UPDATE_ACCOUNT), render(second, UPDATE_ACCOUNT));
    }

    @Test
    void inputPathWithArrayIndexesAndOtherValues() {
        String event = withDetail("{\"n\":1.50,\"ok\":false,\"none\":null,\"list\":[[\"a\"],[\"b\",\"c\"]],"
                + "\"text\":\"Zoë \\\"q\\\" ✓\"}");
        assertEquals(Optional.of("\"arn:aws:s3:::bucket-b\""), render(TargetInput.path("$.resources[1]"), event));
        assertEquals(Optional.of("\"c\""), render(TargetInput.path("$.detail.list[1][1]"), event));
        assertEquals(Optional.of("[\"b\",\"c\"]"), render(TargetInput.path("$.detail.list[1]"), event));
        assertEquals(Optional.of("1.50"), render(TargetInput.path("$.detail.n"), event));
        assertEquals(Optional.of("false"), render(TargetInput.path("$.detail.ok"), event));
        assertEquals(Optional.of("null"), render(TargetInput.path("$.detail.none"), event));
        // Unlike a template, InputPath sends JSON: the selected string is escaped as JSON needs.
        assertEquals(Optional.of("\"Zoë \\\"q\\\" ✓\""), render(TargetInput.path("$.detail.text"), event));
    }

    @Test
    void inputPathDollarSendsTheWholeEventCompacted() {
        assertEquals(Optional.of("{\"version\":\"0\",\"detail\":{\"a\":[1,2]}}"),
                render(TargetInput.path("$"), "{ \"version\" : \"0\",\n \"detail\" : { \"a\" : [ 1, 2 ] } }"));
    }

    @Test
    void inputPathThatSelectsNothingDropsTheInvocation() {
        assertEquals(Optional.empty(), render(TargetInput.path("$.detail.absent"), UPDATE_ACCOUNT));
        assertEquals(Optional.empty(), render(TargetInput.path("$.resources[0]"), UPDATE_ACCOUNT));
    }

    @Test
    void inputPathMustBeDotNotationOfAtMost256Characters() {
        assertEquals("InputPath: detail (expected: a JSONPath in dot notation such as $.detail.state, with [n] "
                        + "for an array element)",
                assertThrows(TargetValidationException.class, () -> TargetInput.path("detail")).getMessage());
        String longest = "$." + "a".repeat(254);
        assertEquals(longest, ((TargetInput.Path) TargetInput.path(longest)).inputPath());
        assertEquals("InputPath: 257 characters (expected: at most 256)", assertThrows(
                TargetValidationException.class, () -> TargetInput.path(longest + "a")).getMessage());
    }

    // --- InputTransformer through TargetInput ---

    @Test
    void transformerRendersItsTemplate() {
        assertEquals(Optional.of("\"command update-account\""),
                render(TargetInput.of("t", null, null, TRANSFORMER), UPDATE_ACCOUNT));
    }

    // --- values ---

    @Test
    void inputsAreValues() {
        assertEquals(TargetInput.constant("{\"a\":1}"), TargetInput.constant("{\"a\":1}"));
        assertNotEquals(TargetInput.constant("{\"a\":1}"), TargetInput.constant("{\"a\": 1}"));
        assertEquals(TargetInput.path("$.detail"), TargetInput.path("$.detail"));
        assertNotEquals(TargetInput.path("$.detail"), TargetInput.path("$.detail.x"));
        assertEquals(TargetInput.transformed(TRANSFORMER),
                TargetInput.transformed(new InputTransformer(Map.of("command", "$.detail.command"),
                        "\"command <command>\"")));
        assertEquals(TargetInput.path("$.detail").hashCode(), TargetInput.path("$.detail").hashCode());
    }
}
