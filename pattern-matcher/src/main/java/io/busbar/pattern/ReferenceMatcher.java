package io.busbar.pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pattern semantics of spec section 3.2, written as plainly as possible: flatten the whole event into
 * (path, leaf, array positions) triples, test each condition's matchers one by one, then search for leaves that
 * agree on shared arrays. Slow, and independent of the {@link Machine}'s indexes and reader, which makes it both
 * the explanation engine for people and an oracle for tests.
 */
final class ReferenceMatcher {
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).build())
            .build();

    private ReferenceMatcher() {
    }

    /** A leaf with the (array id, element index) pairs of the arrays it sits in, outermost first. */
    record FlatLeaf(String path, Leaf leaf, int[] arrays, int[] indexes) {
    }

    static List<FlatLeaf> flatten(String eventJson) {
        List<FlatLeaf> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(eventJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("the event must be a JSON object", 0);
            }
            new Object() {
                int arrays;

                void object(String path, int[] arr, int[] idx) throws IOException {
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        String name = p.currentName();
                        p.nextToken();
                        value(path.isEmpty() ? name : path + "." + name, arr, idx);
                    }
                }

                void array(String path, int[] arr, int[] idx) throws IOException {
                    int id = ++arrays;
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            i++;
                            value(path, arr, idx); // scalars and nested arrays: no element of their own
                            continue;
                        }
                        int[] a = java.util.Arrays.copyOf(arr, arr.length + 1);
                        int[] x = java.util.Arrays.copyOf(idx, idx.length + 1);
                        a[arr.length] = id;
                        x[idx.length] = i++;
                        value(path, a, x);
                    }
                }

                void value(String path, int[] arr, int[] idx) throws IOException {
                    switch (p.currentToken()) {
                        case START_OBJECT -> object(path, arr, idx);
                        case START_ARRAY -> array(path, arr, idx);
                        case VALUE_STRING -> out.add(new FlatLeaf(path, Leaf.of(Leaf.STRING, p.getText()), arr, idx));
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                                out.add(new FlatLeaf(path, Leaf.of(Leaf.NUMBER, p.getText()), arr, idx));
                        case VALUE_TRUE -> out.add(new FlatLeaf(path, Leaf.of(Leaf.TRUE, "true"), arr, idx));
                        case VALUE_FALSE -> out.add(new FlatLeaf(path, Leaf.of(Leaf.FALSE, "false"), arr, idx));
                        case VALUE_NULL -> out.add(new FlatLeaf(path, Leaf.of(Leaf.NULL, "null"), arr, idx));
                        default -> throw new InvalidEventException("unexpected token " + p.currentToken(),
                                (int) p.currentTokenLocation().getCharOffset());
                    }
                }
            }.object("", new int[0], new int[0]);
            if (p.nextToken() != null) {
                throw new InvalidEventException("unexpected content after the event object",
                        (int) p.currentTokenLocation().getCharOffset());
            }
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(e.getOriginalMessage(),
                    e.getLocation() == null ? 0 : (int) e.getLocation().getCharOffset());
        } catch (IOException e) {
            throw new InvalidEventException(String.valueOf(e.getMessage()), 0);
        }
        return out;
    }

    static boolean compatible(FlatLeaf a, FlatLeaf b) {
        int n = Math.min(a.arrays.length, b.arrays.length);
        for (int k = 0; k < n; k++) {
            if (a.arrays[k] != b.arrays[k]) {
                return true;
            }
            if (a.indexes[k] != b.indexes[k]) {
                return false;
            }
        }
        return true;
    }

    static MatchExplanation explain(String ruleName, EventPattern pattern, String eventJson) {
        List<FlatLeaf> leaves = flatten(eventJson);
        Map<String, List<FlatLeaf>> byPath = new HashMap<>();
        for (FlatLeaf leaf : leaves) {
            byPath.computeIfAbsent(leaf.path(), x -> new ArrayList<>()).add(leaf);
        }
        List<MatchExplanation.AlternativeResult> results = new ArrayList<>();
        boolean matched = false;
        for (Alternative alt : pattern.alternatives()) {
            List<MatchExplanation.Failure> failures = new ArrayList<>();
            // Required conditions first: an absence is judged against the leaves chosen for the others.
            List<Condition> ordered = new ArrayList<>();
            alt.conditions().stream().filter(c -> !c.matchesAbsent()).forEach(ordered::add);
            alt.conditions().stream().filter(Condition::matchesAbsent).forEach(ordered::add);
            List<List<FlatLeaf>> hits = new ArrayList<>();
            List<List<FlatLeaf>> present = new ArrayList<>();
            for (Condition c : ordered) {
                List<FlatLeaf> at = byPath.getOrDefault(c.path(), List.of());
                List<FlatLeaf> h = new ArrayList<>();
                for (FlatLeaf leaf : at) {
                    if (c.test(leaf.leaf())) {
                        h.add(leaf);
                    }
                }
                hits.add(h);
                present.add(at);
                List<String> actual = at.stream().map(l -> l.leaf().toJson()).toList();
                if (h.isEmpty() && !c.matchesAbsent()) {
                    failures.add(new MatchExplanation.Failure(c.path(), c.sourceJson(), actual, at.isEmpty()
                            ? "the event has no value here; the pattern needs one of " + c.sourceJson()
                            : (actual.size() == 1 ? "value " + actual.get(0) + " matches" : "values " + actual
                                    + " match") + " none of " + c.sourceJson()));
                } else if (h.isEmpty() && !at.isEmpty() && at.stream().allMatch(l -> l.indexes().length == 0)) {
                    // Outside any array of objects a field that must be absent fails on its own; inside one, it is
                    // judged per element below.
                    failures.add(new MatchExplanation.Failure(c.path(), c.sourceJson(), actual,
                            "the pattern needs no value here (" + c.sourceJson() + "), and the event has "
                                    + (actual.size() == 1 ? actual.get(0) : actual)));
                }
            }
            if (failures.isEmpty() && !consistent(ordered, hits, present, 0, new ArrayList<>())) {
                boolean absence = ordered.stream().anyMatch(Condition::matchesAbsent);
                // With a field that must be absent, that field is the one at fault; otherwise every field is.
                failures.add(new MatchExplanation.Failure(
                        ordered.stream().filter(c -> !absence || c.matchesAbsent()).map(Condition::path)
                                .reduce((x, y) -> x + ", " + y).orElse(""),
                        "", List.of(), absence
                                ? "a field that must be absent is present where the other conditions hold"
                                : "each condition holds, but only in different elements of the same array"));
            }
            matched |= failures.isEmpty();
            results.add(new MatchExplanation.AlternativeResult(failures));
        }
        return new MatchExplanation(ruleName, matched, results);
    }

    private static boolean consistent(List<Condition> conds, List<List<FlatLeaf>> hits, List<List<FlatLeaf>> present,
                                      int i, List<FlatLeaf> chosen) {
        if (i == conds.size()) {
            return true;
        }
        for (FlatLeaf option : hits.get(i)) {
            if (agrees(option, chosen)) {
                chosen.add(option);
                boolean done = consistent(conds, hits, present, i + 1, chosen);
                chosen.remove(chosen.size() - 1);
                if (done) {
                    return true;
                }
            }
        }
        if (!conds.get(i).matchesAbsent()) {
            return false;
        }
        for (FlatLeaf leaf : present.get(i)) {
            if (agrees(leaf, chosen)) {
                return false; // present where the others hold
            }
        }
        return consistent(conds, hits, present, i + 1, chosen);
    }

    private static boolean agrees(FlatLeaf leaf, List<FlatLeaf> chosen) {
        for (FlatLeaf c : chosen) {
            if (!compatible(c, leaf)) {
                return false;
            }
        }
        return true;
    }
}
