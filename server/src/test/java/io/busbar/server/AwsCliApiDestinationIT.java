package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of an API destination, driven by the real aws CLI: {@code create-connection} (API key),
 * {@code create-api-destination}, {@code put-rule}, {@code put-targets} (the destination's ARN with
 * {@code HttpParameters} and an {@code InputTransformer}) and {@code put-events} with good and bad entries; a local
 * HTTP server must receive exactly the good events, transformed, on their paths, with the key. The server finds the
 * HTTP target through the {@link java.util.ServiceLoader} (busbar-target-http is on the test class path). Skipped
 * where {@code aws} is not on the PATH.
 */
@Timeout(120)
class AwsCliApiDestinationIT {
    private static final String KEY_ID = "AKIDAPIDEST";
    private static final String SECRET = "api-destination-secret";
    private static final String API_KEY_NAME = "x-api-key";
    private static final String API_KEY_VALUE = "k-7f3a9c";

    private static ServerFixture fixture;
    private static AwsCli cli;
    private static HttpServer endpoint;
    private static final List<Received> received = new CopyOnWriteArrayList<>();

    @TempDir
    static Path home;

    /** One request the local endpoint received. */
    private record Received(String method, String path, String query, String apiKey, String contentType,
                            String body) {
    }

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(AwsCli.AWS != null, AwsCli.SKIP_MESSAGE);
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst(API_KEY_NAME),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        endpoint.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "api-destination-endpoint");
            t.setDaemon(true);
            return t;
        }));
        endpoint.start();
        fixture = new ServerFixture(Map.of(KEY_ID, SECRET));
        cli = new AwsCli(fixture.endpoint(), KEY_ID, SECRET, home);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
        if (endpoint != null) {
            endpoint.stop(0);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + "; received: " + received);
            Thread.sleep(10);
        }
    }

    private static String json(JsonNode node) {
        return Json.compact(node);
    }

    private static ObjectNode entry(String source, String detailType, String detail) {
        ObjectNode e = Json.object();
        if (source != null) {
            e.put("Source", source);
        }
        if (detailType != null) {
            e.put("DetailType", detailType);
        }
        e.put("Detail", detail);
        return e;
    }

    @Test
    void eventsPutWithTheCliReachTheApiDestinationTransformedOnTheirPaths() throws Exception {
        int port = endpoint.getAddress().getPort();

        ObjectNode auth = Json.object();
        auth.putObject("ApiKeyAuthParameters").put("ApiKeyName", API_KEY_NAME).put("ApiKeyValue", API_KEY_VALUE);
        JsonNode connection = cli.events("create-connection", "--name", "orders-api",
                "--authorization-type", "API_KEY", "--auth-parameters", json(auth));
        String connectionArn = connection.get("ConnectionArn").asText();
        assertTrue(connectionArn.startsWith("arn:aws:events:us-east-1:123456789012:connection/orders-api/"),
                connectionArn);
        assertEquals("AUTHORIZED", connection.get("ConnectionState").asText());
        JsonNode described = cli.events("describe-connection", "--name", "orders-api");
        assertEquals(API_KEY_NAME, described.at("/AuthParameters/ApiKeyAuthParameters/ApiKeyName").asText());
        assertFalse(described.toString().contains(API_KEY_VALUE), "the key must not come back: " + described);

        JsonNode destination = cli.events("create-api-destination", "--name", "orders-endpoint",
                "--connection-arn", connectionArn,
                "--invocation-endpoint", "http://127.0.0.1:" + port + "/orders/*",
                "--http-method", "POST");
        String destinationArn = destination.get("ApiDestinationArn").asText();
        assertTrue(destinationArn.startsWith("arn:aws:events:us-east-1:123456789012:api-destination/orders-endpoint/"),
                destinationArn);
        assertEquals("ACTIVE", destination.get("ApiDestinationState").asText());

        JsonNode rule = cli.events("put-rule", "--name", "orders-to-api",
                "--event-pattern", "{\"source\":[\"com.example.orders\"]}");
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/orders-to-api", rule.get("RuleArn").asText());

        ArrayNode targets = Json.NODES.arrayNode();
        ObjectNode target = targets.addObject();
        target.put("Id", "api");
        target.put("Arn", destinationArn);
        ObjectNode http = target.putObject("HttpParameters");
        http.putArray("PathParameterValues").add("$.detail.id");
        http.putObject("QueryStringParameters").put("via", "busbar");
        ObjectNode transformer = target.putObject("InputTransformer");
        transformer.putObject("InputPathsMap").put("id", "$.detail.id").put("total", "$.detail.total")
                .put("type", "$.detail-type");
        transformer.put("InputTemplate", "{\"order\": <id>, \"amount\": <total>, \"kind\": <type>}");
        JsonNode put = cli.events("put-targets", "--rule", "orders-to-api", "--targets", json(targets));
        assertEquals(0, put.get("FailedEntryCount").asInt(), put.toString());

        ArrayNode entries = Json.NODES.arrayNode();
        entries.add(entry("com.example.orders", "Order Placed", "{\"id\":\"o-1\",\"total\":150}"));
        entries.add(entry("com.example.orders", null, "{\"id\":\"o-bad-1\",\"total\":1}"));
        entries.add(entry("com.example.orders", "Order Shipped", "{\"id\":\"o 2/b\",\"total\":7.5}"));
        entries.add(entry("com.example.orders", "Order Placed", "{\"id\":\"o-bad-2\",\"total\":"));
        JsonNode result = cli.events("put-events", "--entries", json(entries));

        assertEquals(2, result.get("FailedEntryCount").asInt(), result.toString());
        JsonNode out = result.get("Entries");
        assertEquals(4, out.size(), result.toString());
        for (int good : new int[] {0, 2}) {
            assertTrue(out.get(good).hasNonNull("EventId"), result.toString());
            assertFalse(out.get(good).has("ErrorCode"), result.toString());
        }
        assertFalse(out.get(1).has("EventId"), result.toString());
        assertEquals("InvalidArgument", out.get(1).get("ErrorCode").asText());
        assertEquals("Parameter DetailType is not valid. Reason: DetailType is a required argument.",
                out.get(1).get("ErrorMessage").asText());
        assertFalse(out.get(3).has("EventId"), result.toString());
        assertEquals("MalformedDetail", out.get(3).get("ErrorCode").asText());
        assertEquals("Detail is malformed.", out.get(3).get("ErrorMessage").asText());

        // Deliveries are asynchronous: wait for both, then for the bus to have nothing left, so a stray third
        // request (a bad entry delivered after all) would be seen.
        await("two requests", () -> received.size() >= 2);
        await("no outstanding deliveries", () -> fixture.busbar.outstandingDeliveries() == 0);

        List<Received> got = new ArrayList<>(received);
        got.sort(Comparator.comparing(Received::path));
        assertEquals(2, got.size(), "received: " + got);
        Received first = got.get(0);
        Received second = got.get(1);
        assertEquals("/orders/o%202%2Fb", first.path(), "the id is one percent-encoded path segment");
        assertEquals("/orders/o-1", second.path());
        for (Received r : got) {
            assertEquals("POST", r.method());
            assertEquals("via=busbar", r.query());
            assertEquals(API_KEY_VALUE, r.apiKey(), "the connection's API key header");
            assertTrue(r.contentType() != null && r.contentType().startsWith("application/json"), r.contentType());
        }
        assertEquals(Json.MAPPER.readTree("{\"order\":\"o 2/b\",\"amount\":7.5,\"kind\":\"Order Shipped\"}"),
                Json.MAPPER.readTree(first.body()), first.body());
        assertEquals(Json.MAPPER.readTree("{\"order\":\"o-1\",\"amount\":150,\"kind\":\"Order Placed\"}"),
                Json.MAPPER.readTree(second.body()), second.body());

        JsonNode listed = cli.events("list-targets-by-rule", "--rule", "orders-to-api");
        assertEquals(destinationArn, listed.at("/Targets/0/Arn").asText());
        assertEquals("$.detail.id", listed.at("/Targets/0/HttpParameters/PathParameterValues/0").asText());
    }
}
