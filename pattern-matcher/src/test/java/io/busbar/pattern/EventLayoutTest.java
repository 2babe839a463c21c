package io.busbar.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.pattern.PatternGenerator.GeneratedPattern;
import io.busbar.pattern.PatternGenerator.JObj;
import io.busbar.pattern.PatternGenerator.Member;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@link RuleSet#match(byte[], int, EventLayout, int[])} against reading the whole event. */
class EventLayoutTest {

    /** An event written member by member, with where each member's value starts. */
    private record Written(byte[] bytes, List<String> names, int[] starts) {
    }

    private static Written write(JObj event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        int[] starts = new int[event.members().size()];
        out.write('{');
        for (int i = 0; i < event.members().size(); i++) {
            Member m = event.members().get(i);
            if (i > 0) {
                out.write(',');
            }
            StringBuilder key = new StringBuilder();
            PatternGenerator.writeString(m.key(), false, key);
            out.writeBytes(key.append(':').toString().getBytes(StandardCharsets.UTF_8));
            starts[i] = out.size();
            out.writeBytes(PatternGenerator.write(m.value()).getBytes(StandardCharsets.UTF_8));
            names.add(m.key());
        }
        out.write('}');
        return new Written(out.toByteArray(), names, starts);
    }

    /**
     * Generated rule sets and events, as in the differential test: for each event, a layout of its own members
     * with members it lacks put in between (start -1), and the same layout again for the next event that has the
     * same members, so the rule set's cached lookup is used as well as made.
     */
    @Test
    void agreesWithReadingTheWholeEvent() {
        PatternGenerator g = new PatternGenerator(0x1A7_0017L);
        Map<List<String>, EventLayout> layouts = new HashMap<>();
        int compared = 0;
        int matched = 0;
        for (int set = 0; set < 600; set++) {
            int ruleCount = 1 + g.random().nextInt(8);
            List<GeneratedPattern> generated = new ArrayList<>();
            Map<String, EventPattern> rules = new HashMap<>();
            while (generated.size() < ruleCount) {
                GeneratedPattern p = g.pattern();
                generated.add(p);
                rules.put("r" + rules.size(), EventPattern.compile(p.text()));
            }
            RuleSet rs = RuleSet.of(rules);
            Map<String, List<PatternGenerator.J>> hints = PatternGenerator.hints(generated);
            for (int e = 0; e < 30; e++) {
                Written w = write((JObj) g.event(hints));
                Set<String> whole = new TreeSet<>(rs.match(w.bytes()));
                List<String> names = new ArrayList<>();
                List<Integer> starts = new ArrayList<>();
                for (int i = 0; i < w.names().size(); i++) {
                    if (i % 2 == 0) {
                        names.add("absent-" + i);
                        starts.add(-1);
                    }
                    names.add(w.names().get(i));
                    starts.add(w.starts()[i]);
                }
                EventLayout layout = layouts.computeIfAbsent(names, n -> EventLayout.of(n.toArray(String[]::new)));
                int[] at = starts.stream().mapToInt(Integer::intValue).toArray();
                Set<String> known = new TreeSet<>(rs.match(w.bytes(), w.bytes().length, layout, at));
                assertEquals(whole, known, () -> "rules " + rules + "\nevent "
                        + new String(w.bytes(), StandardCharsets.UTF_8) + "\nlayout " + layout);
                compared++;
                matched += whole.isEmpty() ? 0 : 1;
            }
        }
        // the comparison means something only if the generator's events match often enough
        assertTrue(matched > compared / 10, "only " + matched + " of " + compared + " events matched a rule");
    }

    /** The bus's case: one layout, its envelope members, and events that lack some of them. */
    @Test
    void envelopeMembersWithSomeAbsent() {
        EventLayout layout = EventLayout.of("version", "id", "detail-type", "source", "time", "replay-name",
                "resources", "detail");
        RuleSet rs = RuleSet.of(Map.of(
                "by-source", EventPattern.compile("{\"source\":[\"shop\"]}"),
                "by-detail", EventPattern.compile("{\"detail\":{\"n\":[{\"numeric\":[\">\",5]}]}}"),
                "by-resource", EventPattern.compile("{\"resources\":[\"arn:a\"],\"source\":[\"shop\"]}"),
                "no-replay", EventPattern.compile("{\"replay-name\":[{\"exists\":false}],\"source\":[\"shop\"]}"),
                "dotted", EventPattern.compile("{\"detail.n\":[7]}")));
        String event = "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"t\",\"source\":\"shop\","
                + "\"resources\":[\"arn:a\"],\"detail\":{\"n\":7}}";
        byte[] b = event.getBytes(StandardCharsets.UTF_8);
        int[] starts = {event.indexOf("\"0\""), event.indexOf("\"x\""), event.indexOf("\"t\""),
            event.indexOf("\"shop\""), -1, -1, event.indexOf("[\"arn"), event.indexOf("{\"n\"")};
        Set<String> expected = Set.of("by-source", "by-detail", "by-resource", "no-replay", "dotted");
        assertEquals(expected, new TreeSet<>(rs.match(b)));
        assertEquals(expected, new TreeSet<>(rs.match(b, b.length, layout, starts)));
        // a replayed event has the member, so the rule that wants none stops matching
        String replayed = event.replace("\"resources\"", "\"replay-name\":\"r\",\"resources\"");
        byte[] rb = replayed.getBytes(StandardCharsets.UTF_8);
        int[] replayedStarts = {replayed.indexOf("\"0\""), replayed.indexOf("\"x\""), replayed.indexOf("\"t\""),
            replayed.indexOf("\"shop\""), -1, replayed.indexOf("\"r\""), replayed.indexOf("[\"arn"),
            replayed.indexOf("{\"n\"")};
        Set<String> withoutReplay = Set.of("by-source", "by-detail", "by-resource", "dotted");
        assertEquals(withoutReplay, new TreeSet<>(rs.match(rb)));
        assertEquals(withoutReplay, new TreeSet<>(rs.match(rb, rb.length, layout, replayedStarts)));
    }

    @Test
    void membersNoRuleReadsAreNotRead() {
        EventLayout layout = EventLayout.of("id", "source");
        RuleSet rs = RuleSet.of(Map.of("a", EventPattern.compile("{\"source\":[\"shop\"]}")));
        // "id" holds bytes that are not JSON; no rule reads it, so they are never looked at
        byte[] b = "{\"id\":@@@,\"source\":\"shop\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a"), rs.match(b, b.length, layout, new int[] {6, 19}));
    }

    @Test
    void badArgumentsNameTheField() {
        RuleSet rs = RuleSet.of(Map.of("a", EventPattern.compile("{\"source\":[\"shop\"]}")));
        EventLayout layout = EventLayout.of("source");
        byte[] b = "{\"source\":\"shop\"}".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> rs.match(b, b.length, layout, new int[] {10, 11}));
        assertTrue(count.getMessage().startsWith("valueStarts: 2 entries (expected: 1"), count.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> rs.match(b, b.length, layout, new int[] {b.length}));
        assertTrue(outside.getMessage().startsWith("valueStarts[0]: " + b.length), outside.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> EventLayout.of("source", "id", "source"));
        assertEquals("memberNames: \"source\" is given twice", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventLayout.of(""));
        assertEquals(1, EventLayout.of("id", "source").indexOf("source"));
    }
}
