package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * End to end with the real aws CLI ({@code aws scheduler ... --endpoint-url}), signing with keys the server checks.
 * Skipped, with a message, where {@code aws} is not on the PATH.
 */
@Timeout(180)
class SchedulerAwsCliIT {
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

    private record Result(int exit, String out, String err) {
    }

    private static JsonNode scheduler(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit, "aws scheduler " + String.join(" ", args) + " failed: " + r.err);
        return r.out.isBlank() ? Json.object() : Json.MAPPER.readTree(r.out);
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(aws.toString(), "scheduler"));
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
            throw new AssertionError("aws scheduler " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void schedulesAndGroupsWithTheAwsCli() throws Exception {
        JsonNode group = scheduler("create-schedule-group", "--name", "cli-group", "--tags", "Key=env,Value=test");
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule-group/cli-group",
                group.get("ScheduleGroupArn").asText());
        JsonNode created = scheduler("create-schedule", "--name", "cli-nightly", "--group-name", "cli-group",
                "--schedule-expression", "cron(0 2 * * ? *)", "--schedule-expression-timezone", "Europe/Berlin",
                "--flexible-time-window", "{\"Mode\":\"OFF\"}", "--start-date", "2030-01-01T00:00:00Z",
                "--target", "{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:cli-q\","
                        + "\"RoleArn\":\"arn:aws:iam::123456789012:role/scheduler-role\",\"Input\":\"hi\"}");
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule/cli-group/cli-nightly",
                created.get("ScheduleArn").asText());
        JsonNode got = scheduler("get-schedule", "--name", "cli-nightly", "--group-name", "cli-group");
        assertEquals("Europe/Berlin", got.get("ScheduleExpressionTimezone").asText());
        assertEquals("ENABLED", got.get("State").asText());
        JsonNode startDate = got.get("StartDate"); // CLI v2 prints ISO text, v1 the wire's epoch seconds
        assertTrue(startDate.isNumber() ? startDate.asLong() == 1893456000L
                : startDate.asText().startsWith("2030-01-01T00:00:00"), got.toString());
        assertEquals(185, got.at("/Target/RetryPolicy/MaximumRetryAttempts").asInt());

        scheduler("update-schedule", "--name", "cli-nightly", "--group-name", "cli-group",
                "--schedule-expression", "rate(5 minutes)", "--state", "DISABLED",
                "--flexible-time-window", "{\"Mode\":\"FLEXIBLE\",\"MaximumWindowInMinutes\":5}",
                "--target", "{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:cli-q\","
                        + "\"RoleArn\":\"arn:aws:iam::123456789012:role/scheduler-role\"}");
        JsonNode list = scheduler("list-schedules", "--group-name", "cli-group");
        assertEquals("cli-nightly", list.at("/Schedules/0/Name").asText());
        assertEquals("DISABLED", list.at("/Schedules/0/State").asText());
        assertEquals("cli-group", scheduler("get-schedule-group", "--name", "cli-group").get("Name").asText());
        assertTrue(scheduler("list-schedule-groups").get("ScheduleGroups").size() >= 2);

        scheduler("delete-schedule", "--name", "cli-nightly", "--group-name", "cli-group");
        scheduler("delete-schedule-group", "--name", "cli-group");
        Result missing = run("get-schedule-group", "--name", "cli-group");
        assertTrue(missing.exit != 0);
        assertTrue(missing.err.contains("(ResourceNotFoundException)")
                && missing.err.contains("Schedule group cli-group does not exist."), missing.err);
        Result bad = run("create-schedule", "--name", "bad", "--schedule-expression", "rate(0 minutes)",
                "--flexible-time-window", "{\"Mode\":\"OFF\"}", "--target",
                "{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:q\",\"RoleArn\":\"arn:aws:iam::123456789012:role/r\"}");
        assertTrue(bad.err.contains("(ValidationException)") && bad.err.contains("Parameter ScheduleExpression is "
                + "not valid."), bad.err);
    }
}
