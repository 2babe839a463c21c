package io.busbar.core;

import java.util.regex.Pattern;

/** EventBridge's name and ARN constraints, checked at the boundary with its messages. */
final class Names {
    static final Pattern NAME = Pattern.compile("[\\.\\-_A-Za-z0-9]+");
    static final Pattern BUS_NAME = Pattern.compile("[/\\.\\-_A-Za-z0-9]+");
    /** Groups: the region, the account, the name. */
    static final Pattern BUS_ARN = Pattern.compile(
            "arn:aws[\\w-]*:events:([a-z]+-[a-z]+-[\\w-]+):([0-9]{12}):event-bus/([/.\\-_A-Za-z0-9]+)");

    private Names() {
    }

    static String check(String member, String value, Pattern pattern, int min, int max) {
        String broken = broken(member, value, pattern, min, max);
        if (broken != null) {
            throw BusbarException.constraint(member, value, broken);
        }
        return value;
    }

    /**
     * As {@link #check} for a secret: a violation names the member and the constraint but not the value, as AWS
     * words it for sensitive members ({@code Value at 'x' failed to satisfy constraint: ...}).
     */
    static String checkSecret(String member, String value, Pattern pattern, int min, int max) {
        String broken = broken(member, value, pattern, min, max);
        if (broken != null) {
            throw BusbarException.validation("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: " + broken);
        }
        return value;
    }

    /** The model constraint {@code value} breaks, in AWS's words, or null; a null value is refused at once. */
    private static String broken(String member, String value, Pattern pattern, int min, int max) {
        if (value == null) {
            throw BusbarException.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value.length() < min ? "Member must have length greater than or equal to " + min
                : value.length() > max ? "Member must have length less than or equal to " + max
                : pattern != null && !pattern.matcher(value).matches()
                ? "Member must satisfy regular expression pattern: " + pattern.pattern() : null;
    }

    static String optional(String member, String value, int max) {
        if (value != null && value.length() > max) {
            throw BusbarException.constraint(member, value, "Member must have length less than or equal to " + max);
        }
        return value;
    }

    /** A bus given by name or ARN, as PutEvents, PutRule and friends accept it; {@code null} means default. */
    static String busName(String member, String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return "default";
        }
        if (nameOrArn.startsWith("arn:")) {
            return busArn(member, nameOrArn).group(3);
        }
        return check(member, nameOrArn, BUS_NAME, 1, 1600);
    }

    /**
     * As {@link #busName(String, String)}, for a bus of this account and region: null for the ARN of a bus in
     * another account or region, which no bus here can be (a bus of that name here is another bus).
     */
    static String localBusName(String member, String nameOrArn, String account, String region) {
        if (nameOrArn != null && nameOrArn.startsWith("arn:")) {
            java.util.regex.Matcher m = busArn(member, nameOrArn);
            return m.group(1).equals(region) && m.group(2).equals(account) ? m.group(3) : null;
        }
        return busName(member, nameOrArn);
    }

    /** The bus ARN matched ({@link #BUS_ARN}'s groups), or the model's constraint error on {@code member}. */
    private static java.util.regex.Matcher busArn(String member, String arn) {
        java.util.regex.Matcher m = BUS_ARN.matcher(arn);
        if (!m.matches()) {
            throw BusbarException.constraint(member, arn,
                    "Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+"
                            + ":[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+");
        }
        return m;
    }
}
