package io.busbar.targets.lambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda function ARN, {@code arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]}, checked against
 * Lambda's own naming rules so that a typo fails when the target is made, not as a 404 at each delivery.
 *
 * @param name      1–64 of {@code [A-Za-z0-9_-]}
 * @param qualifier a version or alias (1–128 of {@code [A-Za-z0-9$_-]}), or null
 */
record FunctionArn(String name, String qualifier) {
    private static final Pattern SHAPE =
            Pattern.compile("arn:aws[\\w-]*:lambda:[^:]*:[^:]*:function:([^:]*)(?::(.*))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern QUALIFIER = Pattern.compile("[A-Za-z0-9$_-]{1,128}");

    /** Whether the ARN names a Lambda function at all (valid or not). */
    static boolean isFunctionArn(String arn) {
        return SHAPE.matcher(arn).matches();
    }

    /**
     * @throws IllegalArgumentException naming the ARN when the name or qualifier breaks Lambda's rules
     */
    static FunctionArn parse(String arn) {
        Matcher m = SHAPE.matcher(arn);
        if (!m.matches() || !NAME.matcher(m.group(1)).matches()
                || m.group(2) != null && !QUALIFIER.matcher(m.group(2)).matches()) {
            throw new IllegalArgumentException("Arn: " + arn + " (expected: arn:aws:lambda:<region>:<account>:"
                    + "function:<name>[:<version or alias>], the name 1-64 of [A-Za-z0-9_-])");
        }
        return new FunctionArn(m.group(1), m.group(2));
    }
}
