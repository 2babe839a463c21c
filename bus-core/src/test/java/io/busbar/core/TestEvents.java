package io.busbar.core;

import java.time.Instant;

/** Events and rule context shared by the target-input tests. */
final class TestEvents {
    private TestEvents() {
    }

    /** The event of LocalStack's AWS-validated input tests (spec source S9), with a fixed id and time. */
    static final String UPDATE_ACCOUNT = "{\"version\":\"0\",\"id\":\"1b6c3a4e-8f0e-4c1b-9a7d-2f3e4d5c6b7a\","
            + "\"detail-type\":\"core.update-account-command\",\"source\":\"core.update-account-command\","
            + "\"account\":\"111111111111\",\"time\":\"2024-05-13T12:27:07Z\",\"region\":\"us-east-1\","
            + "\"resources\":[],\"detail\":{\"command\":\"update-account\","
            + "\"payload\":{\"acc_id\":\"0a787ecb-4015\",\"sf_id\":\"baz\"}}}";

    /** The EC2 event of the user guide's input-transformer page (spec source S30). */
    static final String EC2_STATE_CHANGE = "{\"version\":\"0\",\"id\":\"7bf73129-1428-4cd3-a780-95db273d1602\","
            + "\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
            + "\"account\":\"123456789012\",\"time\":\"2015-11-11T21:29:54Z\",\"region\":\"us-east-1\","
            + "\"resources\":[\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"],"
            + "\"detail\":{\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\"}}";

    static final String RULE_ARN = "arn:aws:events:us-east-1:111111111111:rule/test-bus/test-rule";
    static final String RULE_NAME = "test-rule";
    /** Received a fraction after the event's time; rendered to the second. */
    static final Instant INGESTED = Instant.parse("2024-05-13T12:27:08.123Z");

    static RenderContext context(String eventJson) {
        return new RenderContext(eventJson, RULE_ARN, RULE_NAME, INGESTED);
    }

    /** An event in the envelope of spec 1.1 around the given detail object. */
    static String withDetail(String detailJson) {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":\"test\","
                + "\"source\":\"com.example\",\"account\":\"123456789012\",\"time\":\"2024-01-01T00:00:00Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[\"arn:aws:s3:::bucket-a\",\"arn:aws:s3:::bucket-b\"],"
                + "\"detail\":" + detailJson + "}";
    }
}
