package io.busbar.targets.sqs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SQS queue ARN, {@code arn:<partition>:sqs:<region>:<account>:<queue>}, with the queue name checked against
 * SQS's rules: 1 to 80 characters {@code [A-Za-z0-9_-]}, a FIFO queue's name ending in {@code .fifo}.
 *
 * @param region  the ARN's region (may be empty)
 * @param account the ARN's account (may be empty)
 * @param name    the queue name
 */
record QueueArn(String region, String account, String name) {
    /** The shape the bus's built-in provider also recognises; the name is checked separately. */
    private static final Pattern ARN = Pattern.compile("arn:aws[\\w-]*:sqs:([^:]*):([^:]*):([^:/]+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo|[A-Za-z0-9_-]{1,80}");

    static boolean isQueueArn(String arn) {
        return ARN.matcher(arn).matches();
    }

    /**
     * @throws IllegalArgumentException naming {@code target.arn} when the queue name breaks SQS's rules
     */
    static QueueArn parse(String arn) {
        Matcher m = ARN.matcher(arn);
        if (!m.matches() || !NAME.matcher(m.group(3)).matches()) {
            throw new IllegalArgumentException("target.arn: " + arn + " (expected: arn:aws:sqs:<region>:<account>:"
                    + "<queue>, the queue name 1 to 80 characters of A-Z a-z 0-9 _ -, ending in .fifo for a FIFO "
                    + "queue)");
        }
        return new QueueArn(m.group(1), m.group(2), m.group(3));
    }

    boolean fifo() {
        return name.endsWith(".fifo");
    }
}
