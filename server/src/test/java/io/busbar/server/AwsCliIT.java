package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.InMemoryQueue;
import io.busbar.core.QueueMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real aws CLI ({@code aws events ... --endpoint-url}), signing with keys the server checks.
 * Skipped, with a message, where {@code aws} is not on the PATH (Debian: {@code apt-get install awscli}).
 */
@Timeout(120)
class AwsCliIT {
    private static final String KEY_ID = "AKIDAWSCLI";
    private static final String SECRET = "cli-secret-key";
    private static ServerFixture fixture;
    private static AwsCli cli;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(AwsCli.AWS != null, AwsCli.SKIP_MESSAGE);
        fixture = new ServerFixture(Map.of(KEY_ID, SECRET));
        cli = new AwsCli(fixture.endpoint(), KEY_ID, SECRET, home);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static JsonNode events(String... args) throws IOException, InterruptedException {
        return cli.events(args);
    }

    private static AwsCli.Result run(String... args) throws IOException, InterruptedException {
        return cli.run(args);
    }

    @Test
    void putRuleTargetsAndEventsWithTheAwsCli() throws Exception {
        InMemoryQueue queue = fixture.busbar.queue("cli-queue");
        JsonNode rule = events("put-rule", "--name", "cli-orders",
                "--event-pattern", "{\"source\":[\"com.example.orders\"],\"detail\":{\"total\":[{\"numeric\":[\">\",100]}]}}");
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/cli-orders", rule.get("RuleArn").asText());

        JsonNode targets = events("put-targets", "--rule", "cli-orders", "--targets",
                "[{\"Id\":\"q\",\"Arn\":\"" + queue.arn() + "\",\"InputTransformer\":{\"InputPathsMap\":"
                        + "{\"id\":\"$.detail.id\"},\"InputTemplate\":\"{\\\"order\\\": <id>}\"}}]");
        assertEquals(0, targets.get("FailedEntryCount").asInt());

        JsonNode put = events("put-events", "--entries",
                "[{\"Source\":\"com.example.orders\",\"DetailType\":\"Order Placed\",\"Detail\":\"{\\\"id\\\":\\\"o-1\\\",\\\"total\\\":150}\"},"
                        + "{\"Source\":\"com.example.orders\",\"DetailType\":\"Order Placed\",\"Detail\":\"{\\\"id\\\":\\\"o-2\\\",\\\"total\\\":5}\"},"
                        + "{\"DetailType\":\"x\",\"Detail\":\"{}\"}]");
        assertEquals(1, put.get("FailedEntryCount").asInt());
        assertEquals("InvalidArgument", put.at("/Entries/2/ErrorCode").asText());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (queue.size() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<QueueMessage> messages = queue.receive(10);
        assertEquals(1, messages.size());
        assertEquals("o-1", Json.MAPPER.readTree(messages.get(0).body()).get("order").asText());

        JsonNode rules = events("list-rules", "--name-prefix", "cli-");
        assertEquals("cli-orders", rules.at("/Rules/0/Name").asText());
        assertEquals("ENABLED", rules.at("/Rules/0/State").asText());
        JsonNode listed = events("list-targets-by-rule", "--rule", "cli-orders");
        assertEquals(queue.arn(), listed.at("/Targets/0/Arn").asText());
    }

    @Test
    void errorsReachTheAwsCliWithTheirCodes() throws Exception {
        AwsCli.Result r = run("describe-rule", "--name", "no-such-rule");
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("(ResourceNotFoundException)") && r.err().contains("Rule no-such-rule does not exist "
                + "on EventBus default."), r.err());
        r = run("put-rule", "--name", "bad", "--event-pattern", "{\"source\":\"x\"}");
        assertTrue(r.err().contains("(InvalidEventPatternException)"), r.err());
    }
}
