package io.busbar.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The CityLots data set of {@code shared/data} (see its README): the events of {@code citylots2-synthetic.json.gz},
 * one JSON object per line, and the rule banks of {@code citylots2-rules.json}.
 *
 * <p>Files are found through system properties, else under {@code ../shared/data} or {@code ../../shared/data}
 * from the working directory (the repository root or {@code benchmarks/}):
 * <ul>
 *   <li>{@value #EVENTS_PROPERTY}: the events file;</li>
 *   <li>{@value #RULES_PROPERTY}: the rules file (default: {@value #RULES_FILE} beside the events file);</li>
 *   <li>{@value #LIMIT_PROPERTY}: load only the first N events (default: all), for smoke runs.</li>
 * </ul>
 */
final class CityLots {
    static final String EVENTS_FILE = "citylots2-synthetic.json.gz";
    static final String RULES_FILE = "citylots2-rules.json";
    static final String EVENTS_PROPERTY = "busbar.citylots";
    static final String RULES_PROPERTY = "busbar.citylots.rules";
    static final String LIMIT_PROPERTY = "busbar.citylots.limit";

    /** The combination banks of the rules file: each is the union of the banks it lists. */
    private static final String COMBOS = "_combos";
    private static final List<String> SHARED_DATA_DIRS = List.of("../shared/data", "../../shared/data");

    private CityLots() {
    }

    /** Reads the events (the first {@value #LIMIT_PROPERTY} of them, when set) into memory. */
    static Events loadEvents() {
        Path file = eventsFile();
        int limit = limit();
        List<String> lines = new ArrayList<>(Math.min(limit, 1 << 18));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            for (String line = in.readLine(); line != null && lines.size() < limit; line = in.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
        return new Events(lines);
    }

    /**
     * The rules of a bank as name to pattern JSON, in file order. A bank's rule {@code i} (0-based) is named
     * {@code r<i>}; a combination bank names it {@code <BANK>.r<i>}, so that equal names in different banks stay
     * distinct rules.
     *
     * @throws IllegalArgumentException if the file has no such bank
     */
    static Map<String, String> rules(String bank) {
        JsonNode banks = readRules();
        Map<String, String> rules = new LinkedHashMap<>();
        JsonNode combo = banks.path(COMBOS).get(bank);
        if (combo != null) {
            for (JsonNode member : combo) {
                addBank(banks, member.asText(), member.asText() + ".", rules);
            }
        } else {
            addBank(banks, bank, "", rules);
        }
        return rules;
    }

    private static void addBank(JsonNode banks, String bank, String prefix, Map<String, String> into) {
        JsonNode patterns = COMBOS.equals(bank) ? null : banks.path(bank).get("rules");
        if (patterns == null || !patterns.isArray()) {
            List<String> known = new ArrayList<>();
            banks.fieldNames().forEachRemaining(known::add);
            known.remove(COMBOS);
            banks.path(COMBOS).fieldNames().forEachRemaining(known::add);
            throw new IllegalArgumentException("bank: \"" + bank + "\" (expected one of " + known + ")");
        }
        Iterator<JsonNode> it = patterns.elements();
        for (int i = 0; it.hasNext(); i++) {
            // Jackson writes the tree back as compact JSON; both engines get the very same text.
            into.put(prefix + "r" + i, it.next().toString());
        }
    }

    private static JsonNode readRules() {
        Path file = rulesFile();
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static Path eventsFile() {
        String configured = System.getProperty(EVENTS_PROPERTY);
        return configured != null ? existing(EVENTS_PROPERTY, Path.of(configured)) : inSharedData(EVENTS_FILE);
    }

    private static Path rulesFile() {
        String configured = System.getProperty(RULES_PROPERTY);
        if (configured != null) {
            return existing(RULES_PROPERTY, Path.of(configured));
        }
        String events = System.getProperty(EVENTS_PROPERTY);
        if (events != null) {
            Path beside = Path.of(events).resolveSibling(RULES_FILE);
            if (Files.isRegularFile(beside)) {
                return beside;
            }
        }
        return inSharedData(RULES_FILE);
    }

    private static Path existing(String property, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(property + ": " + file + " (expected: an existing file)");
        }
        return file;
    }

    private static Path inSharedData(String fileName) {
        for (String dir : SHARED_DATA_DIRS) {
            Path candidate = Path.of(dir, fileName);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(fileName + " is in none of " + SHARED_DATA_DIRS + " from "
                + Path.of("").toAbsolutePath() + ": run from the repository root or benchmarks/, or set -D"
                + (fileName.equals(EVENTS_FILE) ? EVENTS_PROPERTY : RULES_PROPERTY) + "=PATH");
    }

    private static int limit() {
        String configured = System.getProperty(LIMIT_PROPERTY);
        if (configured == null) {
            return Integer.MAX_VALUE;
        }
        try {
            int limit = Integer.parseInt(configured.trim());
            if (limit > 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(LIMIT_PROPERTY + ": " + configured + " (expected: a positive integer)");
    }
}
