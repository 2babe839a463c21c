package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RuleSetTest {

    private static EventPattern p(String json) {
        return EventPattern.compile(json);
    }

    private static Set<String> names(RuleSet set, String event) {
        return new TreeSet<>(set.match(event));
    }

    @Test
    void withAndWithoutLeaveTheOriginalUntouched() {
        RuleSet empty = RuleSet.empty();
        RuleSet one = empty.with("a", p("{\"source\":[\"x\"]}"));
        RuleSet two = one.with("b", p("{\"source\":[{\"prefix\":\"x\"}]}"));
        String event = "{\"source\":\"x\"}";
        assertEquals(Set.of(), names(empty, event));
        assertEquals(Set.of("a"), names(one, event));
        assertEquals(Set.of("a", "b"), names(two, event));
        RuleSet back = two.without("a");
        assertEquals(Set.of("b"), names(back, event));
        assertEquals(Set.of("a", "b"), names(two, event));
        assertSame(back, back.without("nope"));
        assertEquals(1, back.size());
    }

    @Test
    void sameNameReplacesThePattern() {
        RuleSet set = RuleSet.empty().with("a", p("{\"source\":[\"x\"]}")).with("a", p("{\"source\":[\"y\"]}"));
        assertEquals(Set.of(), names(set, "{\"source\":\"x\"}"));
        assertEquals(Set.of("a"), names(set, "{\"source\":\"y\"}"));
        assertEquals(1, set.size());
    }

    @Test
    void aRuleMatchedByTwoAlternativesIsReportedOnce() {
        RuleSet set = RuleSet.empty().with("r", p("{\"$or\":[{\"a\":[\"1\"]},{\"b\":[\"2\"]}]}"));
        assertEquals(List.of("r"), set.match("{\"a\":\"1\",\"b\":\"2\"}"));
    }

    @Test
    void absenceOnlyRulesAreCheckedOnEveryEvent() {
        RuleSet set = RuleSet.empty().with("missing", p("{\"detail\":{\"x\":[{\"exists\":false}]}}"));
        assertEquals(Set.of("missing"), names(set, "{\"detail\":{}}"));
        assertEquals(Set.of("missing"), names(set, "{\"other\":1}"));
        assertEquals(Set.of(), names(set, "{\"detail\":{\"x\":null}}"));
    }

    @Test
    void escapedKeysAndValuesAreDecoded() {
        RuleSet set = RuleSet.empty().with("r", p("{\"ab\":[\"x\\\"y\\u00e9\\ud83d\\ude80\"]}"));
        assertEquals(Set.of("r"), names(set, "{\"a\\u0062\":\"x\\\"y\\u00e9\\ud83d\\ude80\"}"));
        assertEquals(Set.of("r"), names(set, "{\"ab\":\"x\\\"yé🚀\"}"));
    }

    @Test
    void byteSliceAndStringFormsAgree() {
        RuleSet set = RuleSet.empty().with("r", p("{\"a\":[{\"numeric\":[\">\",1]}]}"));
        byte[] framed = "xx{\"a\":2}yy".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("r"), set.match(framed, 2, framed.length - 4));
        assertEquals(List.of("r"), set.match("{\"a\":2}"));
    }

    @Test
    void malformedEventsFailWithTheDocumentedException() {
        RuleSet set = RuleSet.empty().with("r", p("{\"a\":[\"x\"],\"b\":{\"c\":[1]}}"));
        for (String bad : List.of("", "   ", "[]", "\"a\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":\"x}",
                "{\"a\":tru}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"b\":{\"c\":[1,}}", "{\"a\":\"\\q\"}",
                "{\"z\":[1,2}", "{\"a\":\"x\"} trailing", "{\"b\":{\"c\":[1]}} x")) {
            assertThrows(InvalidEventException.class, () -> set.match(bad), bad);
        }
    }

    @Test
    void readingStopsOnceEveryTopLevelKeyTheRulesNameWasSeen() {
        // Documented: the tail of an event after the last top-level key the rules read is not read at all.
        RuleSet set = RuleSet.empty().with("r", p("{\"a\":[\"x\"]}"));
        assertEquals(List.of("r"), set.match("{\"a\":\"x\",\"zzz\":[not json"));
    }

    @Test
    void explanationNamesTheFailedFieldAndValues() {
        RuleSet set = RuleSet.empty().with("r", p("{\"source\":[\"a\"],\"detail\":{\"state\":[\"running\"]}}"));
        MatchExplanation why = set.explain("r", "{\"source\":\"a\",\"detail\":{\"state\":\"stopped\"}}");
        assertFalse(why.matched());
        MatchExplanation.Failure f = why.alternatives().get(0).failures().get(0);
        assertEquals("detail.state", f.field());
        assertEquals(List.of("\"stopped\""), f.actual());
        assertEquals("value \"stopped\" matches none of [\"running\"]", f.reason());
        MatchExplanation.Failure two = set.explain("r", "{\"source\":\"a\",\"detail\":{\"state\":[\"x\",\"y\"]}}")
                .alternatives().get(0).failures().get(0);
        assertEquals("values [\"x\", \"y\"] match none of [\"running\"]", two.reason());
        assertTrue(why.describe().contains("detail.state"), why.describe());
        MatchExplanation missing = set.explain("r", "{\"source\":\"a\"}");
        assertTrue(missing.alternatives().get(0).failures().get(0).reason().contains("no value"));
        assertThrows(IllegalArgumentException.class, () -> set.explain("nope", "{}"));
        // a field that must be absent is reported as itself, with the other failures
        RuleSet absent = RuleSet.empty().with("a", p("{\"b\":[{\"exists\":false}],\"c\":[\"y\"]}"));
        List<String> fields = absent.explain("a", "{\"b\":1,\"c\":\"x\"}").alternatives().get(0).failures()
                .stream().map(MatchExplanation.Failure::field).toList();
        assertEquals(List.of("c", "b"), fields);
        MatchExplanation.Failure onlyB = absent.explain("a", "{\"b\":1,\"c\":\"y\"}").alternatives().get(0)
                .failures().get(0);
        assertEquals("b", onlyB.field());
        assertEquals("the pattern needs no value here ([{\"exists\":false}]), and the event has 1", onlyB.reason());
        // inside an array of objects it is judged per element, and named alone
        RuleSet inArray = RuleSet.empty().with("e", p("{\"items\":{\"b\":[{\"exists\":false}],\"c\":[\"y\"]}}"));
        MatchExplanation.Failure element = inArray.explain("e", "{\"items\":[{\"b\":1,\"c\":\"y\"},{\"c\":\"z\"}]}")
                .alternatives().get(0).failures().get(0);
        assertEquals("items.b", element.field());
        assertTrue(inArray.explain("e", "{\"items\":[{\"b\":1,\"c\":\"z\"},{\"c\":\"y\"}]}").matched());
    }

    @Test
    void explanationSaysWhenOnlyDifferentArrayElementsSatisfyTheConditions() {
        RuleSet set = RuleSet.empty().with("r", p("{\"e\":{\"f\":[\"Anna\"],\"l\":[\"Jones\"]}}"));
        String event = "{\"e\":[{\"f\":\"Anna\",\"l\":\"Smith\"},{\"f\":\"Peter\",\"l\":\"Jones\"}]}";
        MatchExplanation why = set.explain("r", event);
        assertFalse(why.matched());
        assertTrue(why.describe().contains("different elements"), why.describe());
        assertEquals(List.of(), set.match(event));
    }

    @Test
    void bulkBuildAndIncrementalUpdatesAgree() {
        SplittableRandom random = new SplittableRandom(42);
        String[] fields = {"a", "b", "c.d", "c.e"};
        String[] values = {"x", "y", "xy", "yx", "1", "2"};
        Map<String, EventPattern> patterns = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            String f = fields[random.nextInt(fields.length)];
            String v = values[random.nextInt(values.length)];
            String matcher = switch (random.nextInt(5)) {
                case 0 -> "\"" + v + "\"";
                case 1 -> "{\"prefix\":\"" + v + "\"}";
                case 2 -> "{\"anything-but\":\"" + v + "\"}";
                case 3 -> "{\"numeric\":[\">\"," + random.nextInt(3) + "]}";
                default -> "{\"exists\":" + random.nextBoolean() + "}";
            };
            String path = f.contains(".") ? "{\"c\":{\"" + f.substring(2) + "\":[" + matcher + "]}}"
                    : "{\"" + f + "\":[" + matcher + "]}";
            patterns.put("r" + i, p(path));
        }
        RuleSet bulk = RuleSet.of(patterns);
        RuleSet incremental = RuleSet.empty();
        List<String> order = new ArrayList<>(patterns.keySet());
        for (String name : order) {
            incremental = incremental.with(name, patterns.get(name));
            if (random.nextInt(4) == 0) {
                String victim = order.get(random.nextInt(order.size()));
                incremental = incremental.without(victim).with(victim, patterns.get(victim));
            }
        }
        for (int i = 0; i < 500; i++) {
            StringBuilder event = new StringBuilder("{");
            event.append("\"a\":\"").append(values[random.nextInt(values.length)]).append("\",");
            event.append("\"b\":").append(random.nextInt(3)).append(',');
            event.append("\"c\":{\"d\":\"").append(values[random.nextInt(values.length)]).append("\"}}");
            String e = event.toString();
            Set<String> expected = new HashSet<>();
            for (Map.Entry<String, EventPattern> r : patterns.entrySet()) {
                if (bulk.explain(r.getKey(), e).matched()) {
                    expected.add(r.getKey());
                }
            }
            assertEquals(expected, new HashSet<>(bulk.match(e)), e);
            assertEquals(expected, new HashSet<>(incremental.match(e)), e);
        }
    }

    /**
     * Rule sets large enough that composite indexes grow past the size at which their tables get a filter: every
     * event matches exactly the rules its values name, in flat events and through arrays, after bulk builds and
     * incremental changes alike.
     */
    @Test
    void largeCompositeIndexesMatchExactlyTheirRules() {
        Map<String, EventPattern> patterns = new LinkedHashMap<>();
        int n = 12_000;
        for (int i = 0; i < n; i++) {
            String pattern = switch (i % 3) {
                case 0 -> "{\"source\":[\"s" + i + "\"],\"detail\":{\"state\":[\"on\"]}}";
                case 1 -> "{\"source\":[\"s" + i + "\"],\"detail\":{\"name\":[{\"prefix\":\"n" + i + "-\"}]}}";
                default -> "{\"source\":[\"s" + i + "\"],\"detail\":{\"state\":[\"on\"],"
                        + "\"region\":[{\"anything-but\":\"r" + i + "\"}]}}";
            };
            patterns.put("r" + i, p(pattern));
        }
        RuleSet bulk = RuleSet.of(patterns);
        RuleSet changed = bulk.without("r0").with("r0", patterns.get("r0"))
                .with("extra", p("{\"source\":[\"s3\"],\"detail\":{\"state\":[\"on\"]}}"));
        for (int i = 0; i < n; i += 7) {
            String flat = "{\"source\":\"s" + i + "\",\"detail\":{\"state\":\"on\",\"name\":\"n" + i
                    + "-x\",\"region\":\"elsewhere\"}}";
            Set<String> expected = Set.of("r" + i);
            assertEquals(expected, names(bulk, flat), flat);
            assertEquals(i == 3 ? Set.of("r3", "extra") : expected, names(changed, flat), flat);
            String excluded = flat.replace("elsewhere", "r" + i);
            assertEquals(i % 3 == 2 ? Set.of() : expected, names(bulk, excluded), excluded);
            // Conditions met in different elements of one array of objects do not hold together (kind 2: state
            // and region); one met outside the array (source) goes with either element.
            String split = "{\"source\":\"s" + i + "\",\"detail\":[{\"state\":\"on\"},{\"name\":\"n" + i
                    + "-x\",\"region\":\"elsewhere\"}]}";
            assertEquals(i % 3 == 2 ? Set.of() : expected, names(bulk, split), split);
            assertEquals(Set.of(), names(bulk, flat.replace("\"s" + i + "\"", "\"s" + (n + i) + "\"")));
        }
    }

    @Test
    void manyRemovalsCompactIdsWithoutChangingResults() {
        RuleSet set = RuleSet.empty().with("keep", p("{\"a\":[\"x\"]}"));
        for (int i = 0; i < 3000; i++) {
            set = set.with("t" + i, p("{\"a\":[\"x\"],\"n\":[" + i + "]}")).without("t" + i);
        }
        assertEquals(List.of("keep"), set.match("{\"a\":\"x\",\"n\":5}"));
        assertEquals(1, set.size());
    }

    @Test
    @Timeout(30)
    void readersAlwaysSeeOneConsistentVersion() throws Exception {
        LiveRuleSet live = LiveRuleSet.create();
        byte[] event = "{\"source\":\"s\",\"n\":7}".getBytes(StandardCharsets.UTF_8);
        int rules = 400;
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread[] readers = new Thread[3];
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        for (int t = 0; t < readers.length; t++) {
            readers[t] = new Thread(() -> {
                try {
                    while (!done.get()) {
                        List<String> got = live.match(event);
                        // Rules are added in order r0, r1, ...: a consistent snapshot holds exactly a prefix.
                        Set<String> set = new HashSet<>(got);
                        assertEquals(got.size(), set.size(), "duplicate names");
                        for (int i = 0; i < set.size(); i++) {
                            assertTrue(set.contains("r" + i), "not a prefix: " + got);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            readers[t].start();
        }
        for (int i = 0; i < rules; i++) {
            live.put("r" + i, p(i % 2 == 0 ? "{\"source\":[\"s\"]}" : "{\"n\":[{\"numeric\":[\">\",1]}]}"));
        }
        done.set(true);
        for (Thread r : readers) {
            r.join();
        }
        assertEquals(List.of(), errors);
        assertEquals(rules, live.current().size());
        assertEquals(rules, live.match(event).size());
        assertNotSame(RuleSet.empty(), live.current());
    }

    @Test
    void invalidNamesAreRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RuleSet.empty().with("", p("{\"a\":[1]}")));
        assertTrue(e.getMessage().startsWith("ruleName"), e.getMessage());
    }
}
