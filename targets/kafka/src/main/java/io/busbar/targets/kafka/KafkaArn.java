package io.busbar.targets.kafka;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka target ARN: Busbar's own {@code arn:busbar:kafka:<region>:<account>:<topic>} (region, account and topic
 * optional), or Amazon MSK's topic ARN {@code arn:aws:kafka:<region>:<account>:topic/<cluster>/<uuid>/<topic>} or
 * cluster ARN {@code arn:aws:kafka:<region>:<account>:cluster/<cluster>/<uuid>}.
 *
 * @param topic the topic the ARN names, or {@code null} when it names none (a cluster ARN, an empty topic)
 */
record KafkaArn(String topic) {
    private static final Pattern ANY = Pattern.compile("arn:(busbar|aws[\\w-]*):kafka:.*");
    private static final Pattern BUSBAR = Pattern.compile("arn:busbar:kafka:[^:]*:[^:]*:([^:/]*)");
    private static final Pattern MSK_TOPIC = Pattern.compile(
            "arn:aws[\\w-]*:kafka:[^:]+:[^:]+:topic/[^/]+/[^/]+/([^/]+)");
    private static final Pattern MSK_CLUSTER = Pattern.compile("arn:aws[\\w-]*:kafka:[^:]+:[^:]+:cluster/[^/]+/[^/]+");
    /** Kafka's rules for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    static boolean isKafkaArn(String arn) {
        return ANY.matcher(arn).matches();
    }

    /**
     * @throws IllegalArgumentException naming {@code target.arn} when the ARN is of no supported form or names an
     *                                  invalid topic
     */
    static KafkaArn parse(String arn) {
        Matcher m = BUSBAR.matcher(arn);
        if (m.matches()) {
            return new KafkaArn(m.group(1).isEmpty() ? null : checkTopic("target.arn", arn, m.group(1)));
        }
        m = MSK_TOPIC.matcher(arn);
        if (m.matches()) {
            return new KafkaArn(checkTopic("target.arn", arn, m.group(1)));
        }
        if (MSK_CLUSTER.matcher(arn).matches()) {
            return new KafkaArn(null);
        }
        throw new IllegalArgumentException("target.arn: " + arn + " (expected: arn:busbar:kafka:<region>:<account>:"
                + "<topic>, or an MSK topic or cluster ARN arn:aws:kafka:<region>:<account>:topic/<cluster>/<uuid>/"
                + "<topic> or ...:cluster/<cluster>/<uuid>)");
    }

    /** Returns the topic when it is a legal Kafka topic name; else throws naming {@code field}. */
    static String checkTopic(String field, String value, String topic) {
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: a topic name of 1 to 249 "
                    + "characters a-z A-Z 0-9 . _ -, other than . and ..)");
        }
        return topic;
    }
}
