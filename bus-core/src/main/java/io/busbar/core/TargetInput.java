package io.busbar.core;

import io.busbar.core.spi.EventPath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a target receives for a matched event (spec 5.1, 5.3, 5.4): the whole event (the default), a constant
 * {@code Input}, the part of the event an {@code InputPath} selects, or the output of an {@code InputTransformer}.
 *
 * <p>Instances are validated when made and immutable; {@link #render} is thread-safe and never fails for a
 * well-formed event. Build one from a PutTargets entry with {@link #of}, which enforces that at most one of the
 * three members is set.
 */
public sealed interface TargetInput
        permits TargetInput.EntireEvent, TargetInput.Constant, TargetInput.Path, TargetInput.Transformed {

    /**
     * The input of a target whose PutTargets entry had these members (each null when absent): the whole event
     * when all three are null.
     *
     * @throws TargetValidationException if more than one is set
     *     ({@code Only one of Input, InputPath, or InputTransformer must be provided for target <id>.}) or the one
     *     set is invalid
     */
    static TargetInput of(String targetId, String input, String inputPath, InputTransformer transformer) {
        Objects.requireNonNull(targetId, "targetId");
        int set = (input != null ? 1 : 0) + (inputPath != null ? 1 : 0) + (transformer != null ? 1 : 0);
        if (set > 1) {
            throw TargetValidationException.onlyOneInput(targetId);
        }
        if (input != null) {
            return constant(input);
        }
        if (inputPath != null) {
            return path(inputPath);
        }
        return transformer != null ? transformed(transformer) : entireEvent();
    }

    /** The default: the event exactly as the bus holds it. */
    static TargetInput entireEvent() {
        return EntireEvent.INSTANCE;
    }

    /**
     * A constant payload; nothing from the event is passed.
     *
     * @throws TargetValidationException unless {@code input} is valid JSON text of at most 8192 characters
     */
    static TargetInput constant(String input) {
        return new Constant(input);
    }

    /**
     * The JSON serialization of the value a path selects ({@code $.detail}, {@code $.detail.state},
     * {@code $.resources[0]}).
     *
     * @throws TargetValidationException unless the path has at most 256 characters and is in dot notation
     */
    static TargetInput path(String inputPath) {
        return new Path(inputPath);
    }

    /** The transformer's template, filled in from the event. */
    static TargetInput transformed(InputTransformer transformer) {
        return new Transformed(transformer);
    }

    /**
     * The payload for the target, or empty when EventBridge silently drops the invocation: a JSON template whose
     * output is not valid JSON (an object placed inside quotes, a value holding a quote), or an input path that
     * selects nothing.
     *
     * @throws IllegalArgumentException if the event must be read and is not a JSON object
     */
    Optional<String> render(RenderContext context);

    /** The whole event, passed on unchanged. */
    final class EntireEvent implements TargetInput {
        private static final EntireEvent INSTANCE = new EntireEvent();

        private EntireEvent() {
        }

        @Override
        public Optional<String> render(RenderContext context) {
            return Optional.of(context.eventJson());
        }

        @Override
        public String toString() {
            return "EntireEvent";
        }
    }

    /** A target's {@code Input}: a constant JSON text. */
    final class Constant implements TargetInput {
        static final int MAX_LENGTH = 8192;

        private final String input;

        private Constant(String input) {
            Objects.requireNonNull(input, "input");
            if (input.length() > MAX_LENGTH) {
                throw TargetValidationException.invalid("Input: " + input.length()
                        + " characters (expected: at most " + MAX_LENGTH + ")");
            }
            if (!JsonText.isValid(input)) {
                String shown = input.length() <= 64 ? input : input.substring(0, 64) + "...";
                throw TargetValidationException.invalid("Input: " + shown + " (expected: valid JSON text)");
            }
            this.input = input;
        }

        /** The JSON text, as given. */
        public String input() {
            return input;
        }

        @Override
        public Optional<String> render(RenderContext context) {
            return Optional.of(input);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Constant && ((Constant) o).input.equals(input);
        }

        @Override
        public int hashCode() {
            return input.hashCode();
        }

        @Override
        public String toString() {
            return "Input " + input;
        }
    }

    /** A target's {@code InputPath}. */
    final class Path implements TargetInput {
        private final EventPath path;

        private Path(String inputPath) {
            this.path = TargetValidationException.path("InputPath", inputPath);
        }

        /** The path, as given. */
        public String inputPath() {
            return path.toString();
        }

        /** A selected string arrives with its quotes ({@code "baz"}), an object as compact JSON (spec 5.4). */
        @Override
        public Optional<String> render(RenderContext context) {
            JsonNode value = path.select(JsonText.parseEvent(context.eventJson()));
            // Nothing selected: no payload. EventBridge's behaviour here is not recorded; dropping is the choice
            // that never delivers something the target did not ask for.
            return value == null ? Optional.empty() : Optional.of(JsonText.compact(value));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Path && ((Path) o).inputPath().equals(inputPath());
        }

        @Override
        public int hashCode() {
            return inputPath().hashCode();
        }

        @Override
        public String toString() {
            return "InputPath " + path;
        }
    }

    /** A target's {@code InputTransformer}, its template compiled once. */
    final class Transformed implements TargetInput {
        private final InputTransformer transformer;
        private final InputTemplate template;

        private Transformed(InputTransformer transformer) {
            this.transformer = Objects.requireNonNull(transformer, "transformer");
            this.template = InputTemplate.compile(transformer.inputPathsMap(), transformer.inputTemplate());
        }

        /** The configuration, as given. */
        public InputTransformer transformer() {
            return transformer;
        }

        @Override
        public Optional<String> render(RenderContext context) {
            return template.render(context);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Transformed && ((Transformed) o).transformer.equals(transformer);
        }

        @Override
        public int hashCode() {
            return transformer.hashCode();
        }

        @Override
        public String toString() {
            return transformer.toString();
        }
    }
}
