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
            List<List<FlatLeaf>> satisfying = new ArrayList<>();
            for (Condition c : alt.conditions()) {
                List<FlatLeaf> present = byPath.getOrDefault(c.path(), List.of());
                List<FlatLeaf> hits = new ArrayList<>();
                for (FlatLeaf leaf : present) {
                    if (c.test(leaf.leaf())) {
                        hits.add(leaf);
                    }
                }
                List<String> actual = present.stream().map(l -> l.leaf().toJson()).toList();
                if (!hits.isEmpty()) {
                    satisfying.add(hits);
                } else if (present.isEmpty() && c.matchesAbsent()) {
                    satisfying.add(null); // satisfied by absence
                } else if (present.isEmpty()) {
                    failures.add(new MatchExplanation.Failure(c.path(), c.sourceJson(), actual,
                            "the event has no value here; the pattern needs one of " + c.sourceJson()));
                } else {
                    failures.add(new MatchExplanation.Failure(c.path(), c.sourceJson(), actual,
                            (actual.size() == 1 ? "value " + actual.get(0) : "values " + actual)
                                    + " match none of " + c.sourceJson()));
                }
            }
            if (failures.isEmpty() && !consistent(satisfying, 0, new ArrayList<>())) {
                failures.add(new MatchExplanation.Failure(
                        alt.conditions().stream().map(Condition::path).reduce((a, b) -> a + ", " + b).orElse(""),
                        "", List.of(), "each condition holds, but only in different elements of the same array"));
            }
            matched |= failures.isEmpty();
            results.add(new MatchExplanation.AlternativeResult(failures));
        }
        return new MatchExplanation(ruleName, matched, results);
    }

    private static boolean consistent(List<List<FlatLeaf>> satisfying, int i, List<FlatLeaf> chosen) {
        if (i == satisfying.size()) {
            return true;
        }
        List<FlatLeaf> options = satisfying.get(i);
        if (options == null) {
            return consistent(satisfying, i + 1, chosen);
        }
        for (FlatLeaf option : options) {
            boolean ok = true;
            for (FlatLeaf c : chosen) {
                ok &= compatible(c, option);
            }
            if (ok) {
                chosen.add(option);
                boolean done = consistent(satisfying, i + 1, chosen);
                chosen.remove(chosen.size() - 1);
                if (done) {
                    return true;
                }
            }
        }
        return false;
    }
}
