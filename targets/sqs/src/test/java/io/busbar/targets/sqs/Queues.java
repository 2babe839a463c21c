package io.busbar.targets.sqs;

import io.busbar.targets.testing.TestEnvironment;

/** Queue ARNs in the test environment's account and region. */
final class Queues {
    private Queues() {
    }

    static String arn(String name) {
        return "arn:aws:sqs:" + TestEnvironment.REGION + ":" + TestEnvironment.ACCOUNT + ":" + name;
    }
}
