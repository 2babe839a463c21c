package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
    private static AwsCli cli;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(AwsCli.AWS != null, AwsCli.SKIP_MESSAGE);
        fixture = new ServerFixture(Map.of(KEY_ID, SECRET));
        cli = new AwsCli("scheduler", fixture.endpoint(), KEY_ID, SECRET, home);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void schedulesAndGroupsWithTheAwsCli() throws Exception {
        JsonNode group = cli.call("create-schedule-group", "--name", "cli-group", "--tags", "Key=env,Value=test");
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule-group/cli-group",
                group.get("ScheduleGroupArn").asText());
        JsonNode created = cli.call("create-schedule", "--name", "cli-nightly", "--group-name", "cli-group",
                "--schedule-expression", "cron(0 2 * * ? *)", "--schedule-expression-timezone", "Europe/Berlin",
                "--flexible-time-window", "{\"Mode\":\"OFF\"}", "--start-date", "2030-01-01T00:00:00Z",
                "--target", "{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:cli-q\","
                        + "\"RoleArn\":\"arn:aws:iam::123456789012:role/scheduler-role\",\"Input\":\"hi\"}");
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule/cli-group/cli-nightly",
                created.get("ScheduleArn").asText());
        JsonNode got = cli.call("get-schedule", "--name", "cli-nightly", "--group-name", "cli-group");
        assertEquals("Europe/Berlin", got.get("ScheduleExpressionTimezone").asText());
        assertEquals("ENABLED", got.get("State").asText());
        JsonNode startDate = got.get("StartDate"); // CLI v2 prints ISO text, v1 the wire's epoch seconds
        assertTrue(startDate.isNumber() ? startDate.asLong() == 1893456000L
                : startDate.asText().startsWith("2030-01-01T00:00:00"), got.toString());
        assertEquals(185, got.at("/Target/RetryPolicy/MaximumRetryAttempts").asInt());

        cli.call("update-schedule", "--name", "cli-nightly", "--group-name", "cli-group",
                "--schedule-expression", "rate(5 minutes)", "--state", "DISABLED",
                "--flexible-time-window", "{\"Mode\":\"FLEXIBLE\",\"MaximumWindowInMinutes\":5}",
                "--target", "{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:cli-q\","
                        + "\"RoleArn\":\"arn:aws:iam::123456789012:role/scheduler-role\"}");
        JsonNode list = cli.call("list-schedules", "--group-name", "cli-group");
        assertEquals("cli-nightly", list.at("/Schedules/0/Name").asText());
        assertEquals("DISABLED", list.at("/Schedules/0/State").asText());
        assertEquals("cli-group", cli.call("get-schedule-group", "--name", "cli-group").get("Name").asText());
        assertTrue(cli.call("list-schedule-groups").get("ScheduleGroups").size() >= 2);

        cli.call("delete-schedule", "--name", "cli-nightly", "--group-name", "cli-group");
        cli.call("delete-schedule-group", "--name", "cli-group");
        AwsCli.Result missing = cli.run("get-schedule-group", "--name", "cli-group");
        assertTrue(missing.exit() != 0);
        assertTrue(missing.err().contains("(ResourceNotFoundException)")
                && missing.err().contains("Schedule group cli-group does not exist."), missing.err());
        AwsCli.Result bad = cli.run("create-schedule", "--name", "bad", "--schedule-expression", "rate(0 minutes)",
                "--flexible-time-window", "{\"Mode\":\"OFF\"}", "--target",
                "{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:q\",\"RoleArn\":\"arn:aws:iam::123456789012:role/r\"}");
        assertTrue(bad.err().contains("(ValidationException)") && bad.err().contains("Parameter ScheduleExpression is "
                + "not valid."), bad.err());
    }
}
