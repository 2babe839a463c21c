package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.InMemoryQueue;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.GetScheduleGroupResponse;
import software.amazon.awssdk.services.scheduler.model.ListSchedulesResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Tag;
import software.amazon.awssdk.services.scheduler.model.ValidationException;

/** Every Scheduler operation and its errors through the AWS SDK for Java v2 {@code SchedulerClient}, signed. */
@Timeout(60)
class SchedulerApiIT {
    private static final String ROLE = "arn:aws:iam::123456789012:role/scheduler-role";
    private static ServerFixture fixture;
    private static UrlConnectionHttpClient http;
    private static SchedulerClient client;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(java.util.Map.of("AKIDSCHED", "sched-secret"));
        http = (UrlConnectionHttpClient) UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10))
                .build();
        client = SchedulerClient.builder()
                .endpointOverride(fixture.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSCHED", "sched-secret")))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fixture.close();
    }

    private static CreateScheduleRequest.Builder create(String name, String targetArn) {
        return CreateScheduleRequest.builder().name(name).scheduleExpression("rate(1 minute)")
                .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                .target(t -> t.arn(targetArn).roleArn(ROLE).input("{\"at\":\"<aws.scheduler.scheduled-time>\"}"));
    }

    @Test
    void createGetUpdateListAndDeleteASchedule() throws Exception {
        InMemoryQueue q = fixture.busbar.queue("sdk-sched");
        String arn = client.createSchedule(create("sdk-one", q.arn())
                .description("first").startDate(Instant.parse("2030-01-01T00:00:00Z")).build()).scheduleArn();
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule/default/sdk-one", arn);

        GetScheduleResponse got = client.getSchedule(r -> r.name("sdk-one"));
        assertEquals("default", got.groupName());
        assertEquals("UTC", got.scheduleExpressionTimezone());
        assertEquals(ScheduleState.ENABLED, got.state());
        assertEquals(ActionAfterCompletion.NONE, got.actionAfterCompletion());
        assertEquals(185, got.target().retryPolicy().maximumRetryAttempts());
        assertEquals(86400, got.target().retryPolicy().maximumEventAgeInSeconds());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), got.startDate());
        assertEquals(FlexibleTimeWindowMode.OFF, got.flexibleTimeWindow().mode());
        assertNotNull(got.creationDate());
        assertEquals("first", got.description());

        client.updateSchedule(r -> r.name("sdk-one").scheduleExpression("cron(0 12 * * ? *)")
                .scheduleExpressionTimezone("Europe/Berlin").state(ScheduleState.DISABLED)
                .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.FLEXIBLE).maximumWindowInMinutes(15))
                .target(t -> t.arn(q.arn()).roleArn(ROLE).retryPolicy(p -> p.maximumRetryAttempts(3))
                        .deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:123456789012:dlq"))));
        GetScheduleResponse updated = client.getSchedule(r -> r.name("sdk-one").groupName("default"));
        assertEquals("cron(0 12 * * ? *)", updated.scheduleExpression());
        assertEquals("Europe/Berlin", updated.scheduleExpressionTimezone());
        assertEquals(ScheduleState.DISABLED, updated.state());
        assertEquals(15, updated.flexibleTimeWindow().maximumWindowInMinutes());
        assertEquals(3, updated.target().retryPolicy().maximumRetryAttempts());
        assertEquals("arn:aws:sqs:us-east-1:123456789012:dlq", updated.target().deadLetterConfig().arn());
        assertNull(updated.description(), "an update replaces the whole definition");
        assertNull(updated.startDate());
        assertEquals(got.creationDate(), updated.creationDate());

        client.createSchedule(create("sdk-two", q.arn()).build());
        ListSchedulesResponse page = client.listSchedules(r -> r.namePrefix("sdk-").maxResults(1));
        assertEquals(1, page.schedules().size());
        assertEquals("sdk-one", page.schedules().get(0).name());
        assertEquals(q.arn(), page.schedules().get(0).target().arn());
        assertNotNull(page.nextToken());
        ListSchedulesResponse rest = client.listSchedules(r -> r.namePrefix("sdk-").nextToken(page.nextToken()));
        assertEquals(List.of("sdk-two"), rest.schedules().stream().map(s -> s.name()).toList());
        assertNull(rest.nextToken());
        assertEquals(List.of("sdk-one"), client.listSchedules(r -> r.namePrefix("sdk-").state(ScheduleState.DISABLED))
                .schedules().stream().map(s -> s.name()).toList());

        client.deleteSchedule(r -> r.name("sdk-one"));
        client.deleteSchedule(r -> r.name("sdk-two").groupName("default"));
        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> client.getSchedule(r -> r.name("sdk-one")));
        assertEquals("Schedule sdk-one does not exist.", gone.awsErrorDetails().errorMessage());
        assertEquals(404, gone.statusCode());
    }

    @Test
    void aScheduleFiresAndItsTargetGetsTheInput() throws Exception {
        InMemoryQueue q = fixture.busbar.queue("sdk-fire");
        client.createSchedule(create("sdk-fire", q.arn()).scheduleExpression("at(2020-01-01T00:00:00)")
                .actionAfterCompletion(ActionAfterCompletion.DELETE).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (q.size() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("{\"at\":\"2020-01-01T00:00:00Z\"}", q.receive(1).get(0).body());
    }

    @Test
    void scheduleGroupsAndTheirErrors() {
        String arn = client.createScheduleGroup(r -> r.name("sdk-group").tags(Tag.builder().key("env").value("test")
                .build())).scheduleGroupArn();
        assertEquals("arn:aws:scheduler:us-east-1:123456789012:schedule-group/sdk-group", arn);
        GetScheduleGroupResponse g = client.getScheduleGroup(r -> r.name("sdk-group"));
        assertEquals("ACTIVE", g.stateAsString());
        assertNotNull(g.creationDate());
        assertTrue(client.listScheduleGroups(r -> r.namePrefix("sdk-")).scheduleGroups().stream()
                .anyMatch(s -> s.name().equals("sdk-group")));
        assertEquals("default", client.getScheduleGroup(r -> r.name("default")).name());

        // tags, by the group's ARN (SCHEDULER 5.3); a schedule is not taggable
        assertEquals(List.of(Tag.builder().key("env").value("test").build()),
                client.listTagsForResource(r -> r.resourceArn(arn)).tags());
        client.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("team").value("ops").build(),
                Tag.builder().key("env").value("prod").build()));
        assertEquals(List.of(Tag.builder().key("env").value("prod").build(), Tag.builder().key("team").value("ops")
                .build()), client.listTagsForResource(r -> r.resourceArn(arn)).tags());
        client.untagResource(r -> r.resourceArn(arn).tagKeys("env", "absent"));
        assertEquals(List.of(Tag.builder().key("team").value("ops").build()),
                client.listTagsForResource(r -> r.resourceArn(arn)).tags());
        assertThrows(ResourceNotFoundException.class, () -> client.listTagsForResource(r -> r.resourceArn(
                "arn:aws:scheduler:us-east-1:123456789012:schedule-group/none")));

        ConflictException dup = assertThrows(ConflictException.class,
                () -> client.createScheduleGroup(r -> r.name("sdk-group")));
        assertEquals(409, dup.statusCode());

        client.createSchedule(create("in-group", "arn:aws:sqs:us-east-1:123456789012:x").groupName("sdk-group")
                .build());
        assertThrows(ConflictException.class, () -> client.createSchedule(create("in-group",
                "arn:aws:sqs:us-east-1:123456789012:x").groupName("sdk-group").build()));
        client.deleteScheduleGroup(r -> r.name("sdk-group"));
        assertThrows(ResourceNotFoundException.class, () -> client.getScheduleGroup(r -> r.name("sdk-group")));
        assertThrows(ResourceNotFoundException.class,
                () -> client.getSchedule(r -> r.name("in-group").groupName("sdk-group")));
        assertThrows(ResourceNotFoundException.class, () -> client.deleteScheduleGroup(r -> r.name("sdk-group")));
        assertThrows(ValidationException.class, () -> client.deleteScheduleGroup(r -> r.name("default")));
        assertThrows(ResourceNotFoundException.class, () -> client.createSchedule(create("x",
                "arn:aws:sqs:us-east-1:123456789012:x").groupName("no-such-group").build()));
    }

    @Test
    void validationErrorsCarryTheirMessage() {
        ValidationException bad = assertThrows(ValidationException.class,
                () -> client.createSchedule(create("bad", "arn:aws:sqs:us-east-1:123456789012:x")
                        .scheduleExpression("rate(0 minutes)").build()));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.awsErrorDetails().errorMessage().startsWith("Parameter ScheduleExpression is not valid."),
                bad.awsErrorDetails().errorMessage());
        assertThrows(ValidationException.class, () -> client.createSchedule(create("bad",
                "arn:aws:sqs:us-east-1:123456789012:x").scheduleExpressionTimezone("Mars/Olympus").build()));
        assertThrows(ValidationException.class, () -> client.createSchedule(create("bad",
                "arn:aws:sqs:us-east-1:123456789012:x").flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.FLEXIBLE))
                .build()));
        assertThrows(ValidationException.class, () -> client.createSchedule(create("bad",
                "arn:aws:sqs:us-east-1:123456789012:x").startDate(Instant.parse("2030-01-02T00:00:00Z"))
                .endDate(Instant.parse("2030-01-01T00:00:00Z")).build()));
        assertThrows(ResourceNotFoundException.class, () -> client.updateSchedule(r -> r.name("nope")
                .scheduleExpression("rate(1 hour)").flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                .target(t -> t.arn("arn:aws:sqs:us-east-1:123456789012:x").roleArn(ROLE))));
        assertThrows(ResourceNotFoundException.class, () -> client.deleteSchedule(r -> r.name("nope")));
        assertThrows(ResourceNotFoundException.class, () -> client.listSchedules(r -> r.groupName("nope")));
    }

    @Test
    void errorsHaveTheTypeHeaderAndAMessageMemberOnTheWire() throws Exception {
        try (ServerFixture open = new ServerFixture()) {
            HttpURLConnection c = (HttpURLConnection) URI.create(open.endpoint() + "/schedules/none?groupName=default")
                    .toURL().openConnection();
            assertEquals(404, c.getResponseCode());
            assertEquals("ResourceNotFoundException", c.getHeaderField("X-Amzn-ErrorType"));
            assertNotNull(c.getHeaderField("x-amzn-RequestId"));
            String body = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Schedule none does not exist.\"}",
                    body);
            HttpURLConnection list = (HttpURLConnection) URI.create(open.endpoint() + "/schedule-groups").toURL()
                    .openConnection();
            assertEquals(200, list.getResponseCode());
            assertEquals("application/json", list.getContentType());
            String groups = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(groups.matches("\\{\"ScheduleGroups\":\\[\\{\"Arn\":\"arn:aws:scheduler:us-east-1:123456789012:"
                    + "schedule-group/default\",\"CreationDate\":[0-9]+\\.[0-9]{3},.*"), groups);
        }
    }
    /** One raw request to the Scheduler API: status and body. */
    private static String[] call(ServerFixture server, String method, String path, String body) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new String[] {String.valueOf(r.statusCode()), r.body()};
    }

    /** SCHEDULER 5.4: a retry with the same ClientToken gets the first answer; other parameters are a conflict. */
    @Test
    void clientTokensMakeRetriesIdempotent() throws Exception {
        try (ServerFixture open = new ServerFixture()) {
            String body = "{\"ScheduleExpression\":\"rate(5 minutes)\",\"FlexibleTimeWindow\":{\"Mode\":\"OFF\"},"
                    + "\"Target\":{\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:q\",\"RoleArn\":\"" + ROLE + "\"},"
                    + "\"ClientToken\":\"token-1\"}";
            String[] first = call(open, "POST", "/schedules/idem", body);
            assertEquals("200", first[0], first[1]);
            String[] again = call(open, "POST", "/schedules/idem", body);
            assertEquals("200", again[0], again[1]);
            assertEquals(first[1], again[1]);
            String[] other = call(open, "POST", "/schedules/idem", body.replace("5 minutes", "6 minutes"));
            assertEquals("409", other[0], other[1]);
            assertTrue(other[1].contains("ConflictException"), other[1]);
            String[] fresh = call(open, "POST", "/schedules/idem", body.replace("token-1", "token-2"));
            assertEquals("409", fresh[0], "a new token creates anew, and the schedule exists: " + fresh[1]);

            assertEquals("200", call(open, "DELETE", "/schedules/idem?clientToken=del-1", null)[0]);
            assertEquals("200", call(open, "DELETE", "/schedules/idem?clientToken=del-1", null)[0],
                    "a retried delete succeeds again");
            assertEquals("404", call(open, "DELETE", "/schedules/idem?clientToken=del-2", null)[0]);

            String[] bad = call(open, "POST", "/schedules/bad", body.replace("token-1", "not a token!"));
            assertEquals("400", bad[0], bad[1]);
            assertTrue(bad[1].contains("ValidationException") && bad[1].contains("clientToken"), bad[1]);
            String[] group = call(open, "POST", "/schedule-groups/g1", "{\"ClientToken\":\"g-1\"}");
            assertEquals("200", group[0], group[1]);
            assertEquals(group[1], call(open, "POST", "/schedule-groups/g1", "{\"ClientToken\":\"g-1\"}")[1]);
        }
    }
}
