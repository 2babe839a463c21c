package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.InMemoryQueue;
import io.busbar.core.QueueMessage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private static Path aws;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        aws = findOnPath("aws");
        Assumptions.assumeTrue(aws != null, "the aws CLI is not on the PATH (install it: apt-get install -y awscli); "
                + "skipping the end-to-end test with it");
        fixture = new ServerFixture(Map.of(KEY_ID, SECRET));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Path findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code aws events <args> --endpoint-url ...}; returns its standard output, failing on a non-zero exit. */
    private static JsonNode events(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit, "aws events " + String.join(" ", args) + " failed: " + r.err);
        return r.out.isBlank() ? Json.object() : Json.MAPPER.readTree(r.out);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(aws.toString(), "events"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", fixture.endpoint().toString(), "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_PAGER", "");
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
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
        Result r = run("describe-rule", "--name", "no-such-rule");
        assertTrue(r.exit != 0);
        assertTrue(r.err.contains("(ResourceNotFoundException)") && r.err.contains("Rule no-such-rule does not exist "
                + "on EventBus default."), r.err);
        r = run("put-rule", "--name", "bad", "--event-pattern", "{\"source\":\"x\"}");
        assertTrue(r.err.contains("(InvalidEventPatternException)"), r.err);
    }
}
