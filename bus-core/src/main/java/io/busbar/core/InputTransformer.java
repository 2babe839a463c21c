package io.busbar.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A target's {@code InputTransformer}: variables taken from the event by JSONPath ({@code inputPathsMap}) and the
 * template they are written into ({@code inputTemplate}), validated with EventBridge's rules (spec 5.3):
 * <ul>
 *   <li>at most 100 paths; keys of 1 to 256 characters of {@code [A-Za-z0-9_-]}, not starting with {@code AWS.}
 *       and not redefining a reserved variable ({@code aws.events.rule-arn}, {@code aws.events.rule-name},
 *       {@code aws.events.event}, {@code aws.events.event.json}, {@code aws.events.event.ingestion-time});</li>
 *   <li>paths of at most 256 characters in dot notation ({@code $.detail.state}, {@code $.resources[0]});</li>
 *   <li>a template of 1 to 8192 characters whose every {@code <name>} placeholder is a key of the map or a
 *       reserved variable, and never an object key of a JSON template.</li>
 * </ul>
 * A null map is an empty one. The map is copied and unmodifiable; the record is immutable and thread-safe.
 * Rendering is done by the {@link TargetInput} made from it ({@link TargetInput#transformed(InputTransformer)}).
 *
 * @param inputPathsMap variable name to JSONPath in the event
 * @param inputTemplate the payload text with {@code <name>} placeholders
 */
public record InputTransformer(Map<String, String> inputPathsMap, String inputTemplate) {
    static final int MAX_PATHS = 100;
    static final int MAX_KEY_LENGTH = 256;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-]+");
    private static final String KEY_EXPECTED = "1 to " + MAX_KEY_LENGTH + " characters of A-Z a-z 0-9 _ -";

    /**
     * Validates and copies.
     *
     * @throws TargetValidationException if a rule is broken; for an unknown placeholder the message leaves the
     *     target out ({@code InputTemplate contains invalid placeholder x.}), {@link #forTarget} puts it in
     */
    public InputTransformer {
        inputPathsMap = validatedCopy(inputPathsMap);
        // Compiled only to validate: a record holds no derived state, so TargetInput compiles its own copy.
        InputTemplate.compile(inputPathsMap, inputTemplate);
    }

    /**
     * Validates as the constructor does, with EventBridge's message for the given target, e.g.
     * {@code InputTemplate for target t1 contains invalid placeholder notdefinedkey.}
     *
     * @throws TargetValidationException if a rule is broken
     */
    public static InputTransformer forTarget(String targetId, Map<String, String> inputPathsMap,
            String inputTemplate) {
        try {
            return new InputTransformer(inputPathsMap, inputTemplate);
        } catch (TargetValidationException e) {
            throw e.forTarget(targetId);
        }
    }

    private static Map<String, String> validatedCopy(Map<String, String> paths) {
        if (paths == null) {
            return Map.of();
        }
        if (paths.size() > MAX_PATHS) {
            throw TargetValidationException.invalid("InputPathsMap: " + paths.size()
                    + " entries (expected: at most " + MAX_PATHS + ")");
        }
        for (String key : paths.keySet()) {
            checkKey(key);
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(paths));
    }

    private static void checkKey(String key) {
        if (key == null) {
            throw TargetValidationException.invalid("InputPathsMap key: null (expected: " + KEY_EXPECTED + ")");
        }
        // Reserved names and AWS. are tested before the character set, which rules them out anyway, so that the
        // message says which rule was meant.
        if (InputTemplate.RESERVED.contains(key) || key.startsWith("aws.events.")) {
            throw TargetValidationException.invalid("InputPathsMap key: " + key
                    + " (expected: not a reserved variable name)");
        }
        if (key.startsWith("AWS.")) {
            throw TargetValidationException.invalid("InputPathsMap key: " + key
                    + " (expected: not starting with AWS.)");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw TargetValidationException.invalid("InputPathsMap key: " + key.length()
                    + " characters (expected: " + KEY_EXPECTED + ")");
        }
        if (!KEY.matcher(key).matches()) {
            throw TargetValidationException.invalid("InputPathsMap key: " + (key.isEmpty() ? "empty" : key)
                    + " (expected: " + KEY_EXPECTED + ")");
        }
    }
}
