package io.busbar.benchmarks;

import io.busbar.pattern.EventPattern;
import io.busbar.pattern.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.Patterns;

/**
 * A rule-matching engine under test, holding one set of named rules: busbar's {@link RuleSet} or event-ruler's
 * {@link Machine}. The benchmarks' {@code @Param engine} picks one by {@link #BUSBAR} or {@link #EVENT_RULER}.
 */
interface Engine {
    String BUSBAR = "busbar";
    String EVENT_RULER = "event-ruler";

    /** {@link #BUSBAR} or {@link #EVENT_RULER}. */
    String name();

    /**
     * The names of the rules the event matches, each once. Busbar reads {@code utf8}, event-ruler reads
     * {@code text}: each gets the event in the form its API takes, prepared before measuring (see {@link Events}).
     */
    List<String> match(byte[] utf8, String text);

    /**
     * Prepares adding one rule, compiled up front so that the returned operation measures the change to the matcher
     * alone, and leaves the engine as it was after each call (see each engine for how). The operation's result is
     * for a Blackhole.
     */
    Supplier<Object> addOneRule(String ruleName, String patternJson);

    /**
     * Builds {@code engine} ({@link #BUSBAR} or {@link #EVENT_RULER}) with the rules given as name to pattern JSON.
     *
     * @throws IllegalArgumentException for another engine name, or a pattern the engine rejects
     */
    static Engine build(String engine, Map<String, String> rules) {
        return switch (engine) {
            case BUSBAR -> Busbar.build(rules);
            case EVENT_RULER -> EventRuler.build(rules);
            default -> throw new IllegalArgumentException(
                    "engine: \"" + engine + "\" (expected: \"" + BUSBAR + "\" or \"" + EVENT_RULER + "\")");
        };
    }

    /** The other engine of the pair, to cross-check counts against. */
    static String comparatorOf(String engine) {
        return BUSBAR.equals(engine) ? EVENT_RULER : BUSBAR;
    }

    /** Busbar's immutable {@link RuleSet}. */
    final class Busbar implements Engine {
        private final RuleSet rules;

        private Busbar(RuleSet rules) {
            this.rules = rules;
        }

        /** Compiles every pattern, then builds the set in one pass with {@link RuleSet#of}, as a bus loads rules. */
        static Busbar build(Map<String, String> patterns) {
            Map<String, EventPattern> compiled = new LinkedHashMap<>();
            patterns.forEach((name, json) -> compiled.put(name, EventPattern.compile(json)));
            return new Busbar(RuleSet.of(compiled));
        }

        @Override
        public String name() {
            return BUSBAR;
        }

        @Override
        public List<String> match(byte[] utf8, String text) {
            return rules.match(utf8);
        }

        /** The set is immutable: each call builds the next set beside this one, which stays as it was. */
        @Override
        public Supplier<Object> addOneRule(String ruleName, String patternJson) {
            EventPattern pattern = EventPattern.compile(patternJson);
            RuleSet base = rules;
            return () -> base.with(ruleName, pattern);
        }
    }

    /** Event-ruler's {@link Machine}, default configuration, matched with its array-consistent finder. */
    final class EventRuler implements Engine {
        private final Machine machine;

        private EventRuler(Machine machine) {
            this.machine = machine;
        }

        static EventRuler build(Map<String, String> patterns) {
            Machine machine = Machine.builder().build();
            for (Map.Entry<String, String> rule : patterns.entrySet()) {
                try {
                    machine.addRule(rule.getKey(), rule.getValue());
                } catch (IOException e) {
                    throw new IllegalArgumentException("pattern of rule " + rule.getKey() + ": " + e.getMessage(), e);
                }
            }
            return new EventRuler(machine);
        }

        @Override
        public String name() {
            return EVENT_RULER;
        }

        @Override
        public List<String> match(byte[] utf8, String text) {
            try {
                return machine.rulesForJSONEvent(text);
            } catch (Exception e) {
                // The benchmark events are well-formed: an exception here is a broken data set, not a result.
                throw new IllegalStateException("event-ruler failed on an event: " + e, e);
            }
        }

        /**
         * The machine is mutated in place, so each call adds the rule and deletes it again: the figure is an upper
         * bound on an add (it includes the delete), comparable to busbar's add because neither includes parsing.
         */
        @Override
        public Supplier<Object> addOneRule(String ruleName, String patternJson) {
            List<Map<String, List<Patterns>>> compiled;
            try {
                compiled = JsonRuleCompiler.compile(patternJson);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return () -> {
                for (Map<String, List<Patterns>> subRule : compiled) {
                    machine.addPatternRule(ruleName, subRule);
                }
                for (Map<String, List<Patterns>> subRule : compiled) {
                    machine.deletePatternRule(ruleName, subRule);
                }
                return machine;
            };
        }
    }
}
