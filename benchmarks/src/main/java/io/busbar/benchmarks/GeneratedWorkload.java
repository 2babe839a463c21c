package io.busbar.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated rules and events for {@link RuleScalingBenchmark}, EventBridge-shaped, from a fixed seed: every run and
 * both engines see the same workload.
 *
 * <p>Events carry six fields that rules name ({@code source}, {@code detail-type}, {@code detail.state},
 * {@code detail.customer}, {@code detail.region}, {@code detail.amount}), drawn uniformly, and some that no rule
 * names ({@code id}, {@code time}, {@code detail.items}, ...), about 450 bytes in all. Rules come in four kinds,
 * in turn, each tied to one or two exact fields as real rules are to a source and a detail type:
 * <ol start="0">
 *   <li>exact: {@code source}, {@code detail-type} and {@code detail.state}, selectivity 1e-5;</li>
 *   <li>prefix: {@code source} and a prefix of {@code detail.customer} shared by 100 customers, 1e-5;</li>
 *   <li>numeric: {@code detail-type} and a range of width 5 over {@code detail.amount} in [0, 10000), 1e-5;</li>
 *   <li>anything-but: {@code source}, {@code detail-type} and {@code detail.region} other than one of 16 regions,
 *       about 1.9e-4 (the usual use: exclude one value, such as a test region).</li>
 * </ol>
 * With {@link #FIXED} value domains an event matches about 0.05 rules of 1,000 and 5 of 100,000: more rules, more
 * matches. {@link #scaledFor} widens the domains with the rule count instead (sources and the amount range grow by
 * {@code ruleCount / 1000}), so that an event matches about 0.05 rules at every count and the figures show what the
 * rules an event cannot match cost. At 1,000 rules both are the same workload.
 */
final class GeneratedWorkload {
    /** The value domains of 1,000 rules, whatever the rule count. */
    static final GeneratedWorkload FIXED = new GeneratedWorkload(1);

    private static final long SEED = 0x5EED_B05BA5L;

    private static final int SOURCES = 100;
    private static final int DETAIL_TYPES = 50;
    private static final int STATES = 20;
    private static final int CUSTOMERS = 100_000;
    private static final int AMOUNT_CENTS = 1_000_000;
    private static final List<String> REGIONS = List.of(
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
            "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
            "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2");

    /** How many times wider than at 1,000 rules the source and amount domains are. */
    private final int scale;

    private GeneratedWorkload(int scale) {
        this.scale = scale;
    }

    /** Value domains widened in step with {@code ruleCount}, so that matches per event stay about constant. */
    static GeneratedWorkload scaledFor(int ruleCount) {
        return new GeneratedWorkload(Math.max(1, ruleCount / 1000));
    }

    /** {@code count} events of the {@link #FIXED} workload. */
    static Events events(int count) {
        return FIXED.eventList(count);
    }

    /** Rules {@code 0 .. count-1} of the {@link #FIXED} workload. */
    static Map<String, String> rules(int count) {
        return FIXED.ruleMap(count);
    }

    /** {@code count} events, the same ones on every call. */
    Events eventList(int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(random, i));
        }
        return new Events(events);
    }

    /** Rules {@code 0 .. count-1} as name to pattern JSON, built afresh on each call (their size is measured). */
    Map<String, String> ruleMap(int count) {
        Map<String, String> rules = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            rules.put(ruleName(i), rule(i));
        }
        return rules;
    }

    static String ruleName(int index) {
        return String.format(Locale.ROOT, "rule-%06d", index);
    }

    /** Rule {@code index}, independent of how many rules are made around it. */
    String rule(int index) {
        // One generator per rule, so rule i is the same whatever the count, and rule(count) is a new one.
        SplittableRandom random = new SplittableRandom(SEED ^ (index * 0x9E3779B97F4A7C15L));
        return switch (index % 4) {
            case 0 -> "{\"source\":[\"" + source(random) + "\"],\"detail-type\":[\"" + detailType(random)
                    + "\"],\"detail\":{\"state\":[\"" + state(random) + "\"]}}";
            case 1 -> "{\"source\":[\"" + source(random) + "\"],\"detail\":{\"customer\":[{\"prefix\":\""
                    + String.format(Locale.ROOT, "cust-%03d", random.nextInt(CUSTOMERS / 100)) + "\"}]}}";
            case 2 -> {
                int low = random.nextInt(AMOUNT_CENTS / 100 * scale - 5);
                yield "{\"detail-type\":[\"" + detailType(random) + "\"],\"detail\":{\"amount\":[{\"numeric\":"
                        + "[\">=\"," + low + ",\"<\"," + (low + 5) + "]}]}}";
            }
            default -> "{\"source\":[\"" + source(random) + "\"],\"detail-type\":[\"" + detailType(random)
                    + "\"],\"detail\":{\"region\":[{\"anything-but\":[\""
                    + REGIONS.get(random.nextInt(REGIONS.size())) + "\"]}]}}";
        };
    }

    private String event(SplittableRandom random, int index) {
        int cents = random.nextInt(AMOUNT_CENTS * scale);
        return "{\"version\":\"0\",\"id\":\"" + Long.toHexString(random.nextLong()) + "-" + index
                + "\",\"detail-type\":\"" + detailType(random) + "\",\"source\":\"" + source(random)
                + "\",\"account\":\"123456789012\",\"time\":\"2025-11-26T14:" + two(index / 60 % 60) + ":"
                + two(index % 60) + "Z\",\"region\":\"us-east-1\",\"resources\":[\"arn:aws:orders:us-east-1:"
                + "123456789012:order/" + index + "\"],\"detail\":{\"state\":\"" + state(random)
                + "\",\"customer\":\"" + String.format(Locale.ROOT, "cust-%05d", random.nextInt(CUSTOMERS))
                + "\",\"region\":\"" + REGIONS.get(random.nextInt(REGIONS.size()))
                + "\",\"amount\":" + cents / 100 + "." + two(cents % 100)
                + ",\"items\":[{\"sku\":\"sku-" + random.nextInt(10_000) + "\",\"quantity\":" + (1 + random.nextInt(9))
                + "},{\"sku\":\"sku-" + random.nextInt(10_000) + "\",\"quantity\":" + (1 + random.nextInt(9))
                + "}],\"note\":\"generated by GeneratedWorkload for RuleScalingBenchmark\"}}";
    }

    private String source(SplittableRandom random) {
        return "svc-" + two(random.nextInt(SOURCES * scale));
    }

    private static String detailType(SplittableRandom random) {
        return "type-" + two(random.nextInt(DETAIL_TYPES));
    }

    private static String state(SplittableRandom random) {
        return "state-" + two(random.nextInt(STATES));
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
