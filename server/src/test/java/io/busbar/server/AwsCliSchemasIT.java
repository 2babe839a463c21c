package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
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
 * {@code aws schemas ...} against the server (signed, with keys the server checks). Skipped where {@code aws} is not
 * on the PATH (Debian: {@code apt-get install awscli}).
 */
@Timeout(180)
class AwsCliSchemasIT {
    private static final String KEY_ID = "AKIDSCHEMAS";
    private static final String SECRET = "schemas-secret";
    private static ServerFixture fixture;
    private static Path aws;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "aws");
            if (aws == null && Files.isExecutable(p)) {
                aws = p;
            }
        }
        Assumptions.assumeTrue(aws != null, "the aws CLI is not on the PATH; skipping the aws schemas test");
        fixture = new ServerFixture(Map.of(KEY_ID, SECRET));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(aws.toString(), "schemas"));
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
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws schemas " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static JsonNode ok(String... args) throws Exception {
        Result r = run(args);
        assertEquals(0, r.exit(), "aws schemas " + String.join(" ", args) + " failed: " + r.err());
        return r.out().isBlank() ? Json.object() : Json.MAPPER.readTree(r.out());
    }

    @Test
    void schemasWithTheAwsCli() throws Exception {
        ok("create-registry", "--registry-name", "cli-registry", "--description", "from the cli");
        Path content = home.resolve("schema.json");
        Files.writeString(content, SchemasApiIT.OPENAPI);
        JsonNode created = ok("create-schema", "--registry-name", "cli-registry", "--schema-name",
                "cli.example@Thing", "--type", "OpenApi3", "--content", "file://" + content);
        assertEquals("1", created.get("SchemaVersion").asText());
        JsonNode described = ok("describe-schema", "--registry-name", "cli-registry", "--schema-name",
                "cli.example@Thing");
        assertEquals(SchemasApiIT.OPENAPI, described.get("Content").asText());
        JsonNode exported = ok("export-schema", "--registry-name", "cli-registry", "--schema-name",
                "cli.example@Thing", "--type", "JSONSchemaDraft4");
        assertTrue(exported.get("Content").asText().contains("draft-04"));
        assertEquals("cli.example@Thing", ok("search-schemas", "--registry-name", "cli-registry", "--keywords",
                "thing").at("/Schemas/0/SchemaName").asText());

        JsonNode d = ok("create-discoverer", "--source-arn", fixture.busbar.busArn("default"));
        assertEquals("events-event-bus-default", d.get("DiscovererId").asText());
        assertEquals("STOPPED", ok("stop-discoverer", "--discoverer-id", "events-event-bus-default")
                .get("State").asText());
        assertEquals(1, ok("list-discoverers").get("Discoverers").size());

        Result missing = run("describe-registry", "--registry-name", "nope");
        assertTrue(missing.exit() != 0, missing.err());
        assertTrue(missing.err().contains("NotFoundException"), missing.err());
        Result forbidden = run("delete-registry", "--registry-name", "aws.events");
        assertTrue(forbidden.err().contains("ForbiddenException"), forbidden.err());

        ok("delete-discoverer", "--discoverer-id", "events-event-bus-default");
        ok("delete-schema", "--registry-name", "cli-registry", "--schema-name", "cli.example@Thing");
        ok("delete-registry", "--registry-name", "cli-registry");
    }
}
