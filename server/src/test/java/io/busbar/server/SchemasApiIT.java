package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.PutEventsEntry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Schemas REST-JSON API on the wire (paths, status codes, members, {@code X-Amzn-ErrorType}). The AWS SDK's
 * {@code SchemasClient} (software.amazon.awssdk:schemas) could not be resolved on the build machine, so this test
 * speaks HTTP as the SDK would; {@link AwsCliSchemasIT} drives the same API with the real aws CLI.
 */
@Timeout(60)
class SchemasApiIT {
    static final String OPENAPI = "{\"openapi\":\"3.0.0\",\"info\":{\"version\":\"1.0.0\",\"title\":\"Event\"},"
            + "\"paths\":{},\"components\":{\"schemas\":{\"Event\":{\"type\":\"object\",\"properties\":{\"name\":"
            + "{\"type\":\"string\"}}}}}}";
    private static ServerFixture fixture;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        fixture = new ServerFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private record Answer(int status, String errorType, JsonNode body) {
    }

    private static Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.endpoint() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
        if (r.statusCode() >= 300) {
            assertEquals(r.headers().firstValue("X-Amzn-ErrorType").orElse(null), json.get("Code").asText());
            assertTrue(json.get("Message").isTextual());
        }
        assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent());
        return new Answer(r.statusCode(), r.headers().firstValue("X-Amzn-ErrorType").orElse(null), json);
    }

    private static String str(String s) {
        return Json.compact(Json.NODES.textNode(s));
    }

    @Test
    void registriesAndSchemas() throws Exception {
        Answer reg = call("POST", "/v1/registries/name/wire-registry",
                "{\"Description\":\"d\",\"tags\":{\"a\":\"b\"}}");
        assertEquals(201, reg.status());
        assertEquals("{\"RegistryArn\":\"arn:aws:schemas:us-east-1:123456789012:registry/wire-registry\","
                + "\"RegistryName\":\"wire-registry\",\"Description\":\"d\",\"tags\":{\"a\":\"b\"}}", reg.body().toString());
        assertEquals("ConflictException", call("POST", "/v1/registries/name/wire-registry", "{}").errorType());
        assertEquals(403, call("POST", "/v1/registries/name/aws.events", null).status());
        assertEquals("wire-registry", call("GET", "/v1/registries?scope=Local", null).body()
                .at("/Registries/0/RegistryName").asText());
        assertEquals(2, call("GET", "/v1/registries?scope=AWS", null).body().get("Registries").size());

        String schemaPath = "/v1/registries/name/wire-registry/schemas/name/com.example%40OrderPlaced";
        Answer created = call("POST", schemaPath, "{\"Type\":\"OpenApi3\",\"Description\":\"x\",\"Content\":"
                + str(OPENAPI) + "}");
        assertEquals(201, created.status());
        assertEquals("1", created.body().get("SchemaVersion").asText());
        assertEquals("arn:aws:schemas:us-east-1:123456789012:schema/wire-registry/com.example@OrderPlaced",
                created.body().get("SchemaArn").asText());
        String createdDate = created.body().get("VersionCreatedDate").asText();
        assertTrue(createdDate.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"), createdDate);
        assertEquals("BadRequestException", call("POST", "/v1/registries/name/nope/schemas/name/s",
                "{\"Type\":\"OpenApi3\",\"Content\":" + str(OPENAPI) + "}").errorType());
        assertEquals("BadRequestException", call("GET", "/v1/registries/name/nope/schemas", null).errorType());

        // a registry's resource policy: stored, revisioned, not evaluated (SCHEMAS 4.10)
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        Answer put = call("PUT", "/v1/policy?registryName=wire-registry", "{\"Policy\":" + str(policy) + "}");
        assertEquals(200, put.status());
        assertEquals(policy, put.body().get("Policy").asText());
        String revision = put.body().get("RevisionId").asText();
        assertEquals(revision, call("GET", "/v1/policy?registryName=wire-registry", null).body().get("RevisionId")
                .asText());
        Answer stale = call("PUT", "/v1/policy?registryName=wire-registry", "{\"Policy\":" + policy
                + ",\"RevisionId\":\"not-" + revision + "\"}");
        assertEquals(412, stale.status());
        assertEquals("PreconditionFailedException", stale.errorType());
        Answer asObject = call("PUT", "/v1/policy?registryName=wire-registry", "{\"Policy\":" + policy
                + ",\"RevisionId\":\"" + revision + "\"}");
        assertEquals(policy, asObject.body().get("Policy").asText(), "an object policy is answered as a string");
        assertEquals("BadRequestException", call("GET", "/v1/policy", null).errorType());
        assertEquals(204, call("DELETE", "/v1/policy?registryName=wire-registry", null).status());
        assertEquals("NotFoundException", call("GET", "/v1/policy?registryName=wire-registry", null).errorType());

        // tags by ARN, percent-encoded in one path segment (SCHEMAS 4.9)
        String tagsPath = "/tags/" + java.net.URLEncoder.encode(created.body().get("SchemaArn").asText(),
                StandardCharsets.UTF_8);
        assertEquals(204, call("POST", tagsPath, "{\"tags\":{\"team\":\"orders\",\"env\":\"test\"}}").status());
        assertEquals("{\"env\":\"test\",\"team\":\"orders\"}", call("GET", tagsPath, null).body().get("tags")
                .toString());
        assertEquals(204, call("DELETE", tagsPath + "?tagKeys=env", null).status());
        assertEquals("{\"team\":\"orders\"}", call("GET", tagsPath, null).body().get("tags").toString());
        assertEquals("NotFoundException", call("GET", "/tags/" + java.net.URLEncoder.encode(
                "arn:aws:schemas:us-east-1:123456789012:registry/none", StandardCharsets.UTF_8), null).errorType());

        Answer updated = call("PUT", schemaPath, "{\"Type\":\"OpenApi3\",\"ClientTokenId\":\"t-1\",\"Content\":"
                + str(OPENAPI.replace("string", "integer")) + "}");
        assertEquals("2", updated.body().get("SchemaVersion").asText());
        assertEquals(OPENAPI, call("GET", schemaPath + "?schemaVersion=1", null).body().get("Content").asText());
        assertEquals("NotFoundException", call("GET", schemaPath + "?schemaVersion=7", null).errorType());
        JsonNode versions = call("GET", schemaPath + "/versions", null).body();
        assertEquals("2", versions.at("/SchemaVersions/0/SchemaVersion").asText());
        assertEquals("arn:aws:schemas:us-east-1:123456789012:schema/wire-registry/com.example@OrderPlaced",
                versions.at("/SchemaVersions/1/SchemaArn").asText());
        assertEquals(2, call("GET", "/v1/registries/name/wire-registry/schemas", null).body()
                .at("/Schemas/0/VersionCount").asInt());
        JsonNode found = call("GET", "/v1/registries/name/wire-registry/schemas/search?keywords=nothing+orderplaced",
                null).body();
        assertEquals(2, found.at("/Schemas/0/SchemaVersions").size());

        JsonNode exported = call("GET", schemaPath + "/export?type=JSONSchemaDraft4&schemaVersion=1", null).body();
        assertTrue(exported.get("Content").asText().startsWith("{\"$schema\":\"http://json-schema.org/draft-04/schema#\""));
        assertEquals("JSONSchemaDraft4", exported.get("Type").asText());
        assertEquals("BadRequestException", call("GET", schemaPath + "/export?type=OpenApi3", null).errorType());

        assertEquals(204, call("DELETE", schemaPath + "/version/2", null).status());
        assertEquals(204, call("DELETE", schemaPath, null).status());
        assertEquals("NotFoundException", call("GET", schemaPath, null).errorType());
        assertEquals(204, call("DELETE", "/v1/registries/name/wire-registry", null).status());
        Answer missing = call("GET", "/v1/registries/name/wire-registry", null);
        assertEquals(404, missing.status());
        assertEquals("{\"Code\":\"NotFoundException\",\"Message\":\"Registry wire-registry does not exist.\"}",
                missing.body().toString());
        assertEquals("BadRequestException", call("POST", "/v1/registries/name/x", "{bad").errorType());
    }

    @Test
    void discoverersAndDiscovery() throws Exception {
        fixture.busbar.createEventBus("wire-bus", null);
        String busArn = fixture.busbar.busArn("wire-bus");
        Answer d = call("POST", "/v1/discoverers", "{\"SourceArn\":\"" + busArn + "\",\"CrossAccount\":false,"
                + "\"tags\":{\"env\":\"dev\"}}");
        assertEquals(201, d.status());
        assertEquals("{\"DiscovererArn\":\"arn:aws:schemas:us-east-1:123456789012:discoverer/events-event-bus-wire-bus\","
                + "\"DiscovererId\":\"events-event-bus-wire-bus\",\"SourceArn\":\"" + busArn + "\",\"State\":\"STARTED\","
                + "\"CrossAccount\":false,\"tags\":{\"env\":\"dev\"}}", d.body().toString());
        assertEquals("ConflictException", call("POST", "/v1/discoverers", "{\"SourceArn\":\"" + busArn + "\"}")
                .errorType());
        assertEquals("BadRequestException", call("POST", "/v1/discoverers", "{\"SourceArn\":\""
                + fixture.busbar.busArn("missing-bus") + "\"}").errorType());
        String id = "/v1/discoverers/id/events-event-bus-wire-bus";
        assertEquals("{\"DiscovererId\":\"events-event-bus-wire-bus\",\"State\":\"STOPPED\"}",
                call("POST", id + "/stop", null).body().toString());
        assertEquals("STARTED", call("POST", id + "/start", null).body().get("State").asText());
        assertEquals(1, call("GET", "/v1/discoverers?sourceArnPrefix=" + busArn, null).body().get("Discoverers")
                .size());

        fixture.busbar.putEvents(List.of(PutEventsEntry.of("users", "userCreated", "{\"data\":{\"id\":\"u-1\"}}")
                .onBus("wire-bus")));
        String path = "/v1/registries/name/discovered-schemas/schemas/name/users%40UserCreated";
        Answer s = call("GET", path, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            s = call("GET", path, null);
        }
        assertEquals(200, s.status());
        assertEquals("1", s.body().get("SchemaVersion").asText());
        assertTrue(s.body().get("Content").asText().contains("\"x-amazon-events-source\":\"users\""));
        assertEquals("ForbiddenException", call("PUT", path, "{\"Content\":" + str(OPENAPI) + "}").errorType());

        assertEquals(204, call("DELETE", id, null).status());
        assertEquals("NotFoundException", call("GET", id, null).errorType());
    }

    @Test
    void getDiscoveredSchemaIsStateless() throws Exception {
        String event = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"userCreated\",\"source\":\"users\","
                + "\"account\":\"123456789012\",\"time\":\"2022-01-20T06:58:30Z\",\"region\":\"us-west-1\","
                + "\"resources\":[],\"detail\":{\"data\":{\"id\":\"u-1\"}}}";
        Answer a = call("POST", "/v1/discover", "{\"Type\":\"OpenApi3\",\"Events\":[" + str(event) + "]}");
        assertEquals(200, a.status());
        assertTrue(a.body().get("Content").asText().startsWith("{\"openapi\":\"3.0.0\",\"info\":{\"version\":\"1.0.0\","
                + "\"title\":\"UserCreated\"}"));
        assertEquals("BadRequestException", call("POST", "/v1/discover", "{\"Type\":\"OpenApi3\",\"Events\":[]}")
                .errorType());
    }
}
