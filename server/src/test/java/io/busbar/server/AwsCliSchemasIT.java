package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    private static AwsCli cli;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws java.io.IOException {
        Assumptions.assumeTrue(AwsCli.AWS != null, AwsCli.SKIP_MESSAGE);
        fixture = new ServerFixture(Map.of(KEY_ID, SECRET));
        cli = new AwsCli("schemas", fixture.endpoint(), KEY_ID, SECRET, home);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void schemasWithTheAwsCli() throws Exception {
        cli.call("create-registry", "--registry-name", "cli-registry", "--description", "from the cli");
        Path content = home.resolve("schema.json");
        Files.writeString(content, SchemasApiIT.OPENAPI);
        JsonNode created = cli.call("create-schema", "--registry-name", "cli-registry", "--schema-name",
                "cli.example@Thing", "--type", "OpenApi3", "--content", "file://" + content);
        assertEquals("1", created.get("SchemaVersion").asText());
        JsonNode described = cli.call("describe-schema", "--registry-name", "cli-registry", "--schema-name",
                "cli.example@Thing");
        assertEquals(SchemasApiIT.OPENAPI, described.get("Content").asText());
        JsonNode exported = cli.call("export-schema", "--registry-name", "cli-registry", "--schema-name",
                "cli.example@Thing", "--type", "JSONSchemaDraft4");
        assertTrue(exported.get("Content").asText().contains("draft-04"));
        assertEquals("cli.example@Thing", cli.call("search-schemas", "--registry-name", "cli-registry", "--keywords",
                "thing").at("/Schemas/0/SchemaName").asText());

        JsonNode d = cli.call("create-discoverer", "--source-arn", fixture.busbar.busArn("default"));
        assertEquals("events-event-bus-default", d.get("DiscovererId").asText());
        assertEquals("STOPPED", cli.call("stop-discoverer", "--discoverer-id", "events-event-bus-default")
                .get("State").asText());
        assertEquals(1, cli.call("list-discoverers").get("Discoverers").size());

        AwsCli.Result missing = cli.run("describe-registry", "--registry-name", "nope");
        assertTrue(missing.exit() != 0, missing.err());
        assertTrue(missing.err().contains("NotFoundException"), missing.err());
        AwsCli.Result forbidden = cli.run("delete-registry", "--registry-name", "aws.events");
        assertTrue(forbidden.err().contains("ForbiddenException"), forbidden.err());

        cli.call("delete-discoverer", "--discoverer-id", "events-event-bus-default");
        cli.call("delete-schema", "--registry-name", "cli-registry", "--schema-name", "cli.example@Thing");
        cli.call("delete-registry", "--registry-name", "cli-registry");
    }
}
