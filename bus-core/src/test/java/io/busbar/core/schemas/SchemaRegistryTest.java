package io.busbar.core.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.Busbar;
import io.busbar.core.PutEventsEntry;
import io.busbar.core.PutEventsResult;
import io.busbar.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

class SchemaRegistryTest {
    static final String OPENAPI = "{\"openapi\":\"3.0.0\",\"info\":{\"version\":\"1.0.0\",\"title\":\"Event\"},"
            + "\"paths\":{},\"components\":{\"schemas\":{\"Event\":{\"type\":\"object\",\"properties\":{\"name\":"
            + "{\"type\":\"string\"}}}}}}";

    final ManualClock clock = new ManualClock(Instant.parse("2024-04-11T21:01:10Z"));
    final Busbar busbar = Busbar.builder().clock(clock).autoTick(false).serviceLoader(false).build();
    final SchemaRegistry schemas = SchemaRegistry.builder(busbar).backgroundWorker(false).emitEvents(false).build();

    @AfterEach
    void close() {
        schemas.close();
        busbar.close(Duration.ZERO);
    }

    private static void refused(String type, Executable call) {
        assertEquals(type, assertThrows(SchemaException.class, call).errorType());
    }

    @Test
    void managedRegistriesExistAndRefuseWrites() {
        assertEquals(List.of("aws.events", "discovered-schemas"),
                schemas.listRegistries(null, "aws", null, null).items().stream().map(Registry::name).toList());
        assertEquals(List.of(), schemas.listRegistries(null, "Local", null, null).items());
        refused(SchemaException.FORBIDDEN, () -> schemas.createRegistry("aws.events", null, null));
        refused(SchemaException.FORBIDDEN, () -> schemas.deleteRegistry("discovered-schemas"));
        refused(SchemaException.FORBIDDEN, () -> schemas.createSchema("aws.events", "x", SchemaType.OpenApi3,
                OPENAPI, null, null));
        refused(SchemaException.FORBIDDEN, () -> schemas.createSchema("discovered-schemas", "x",
                SchemaType.OpenApi3, OPENAPI, null, null));
        refused(SchemaException.FORBIDDEN, () -> schemas.updateRegistry("aws.events", "d"));
        refused(SchemaException.BAD_REQUEST, () -> schemas.listRegistries(null, "global", null, null));
    }

    @Test
    void registryAndSchemaLifecycle() {
        Registry r = schemas.createRegistry("example-registry", "mine", Map.of("team", "a"));
        assertEquals("arn:aws:schemas:us-east-1:123456789012:registry/example-registry", r.arn());
        refused(SchemaException.CONFLICT, () -> schemas.createRegistry("example-registry", null, null));
        refused(SchemaException.BAD_REQUEST, () -> schemas.createRegistry("bad name", null, null));
        assertEquals("other", schemas.updateRegistry("example-registry", "other").description());

        Schema s = schemas.createSchema("example-registry", "com.example@OrderPlaced", SchemaType.OpenApi3, OPENAPI,
                "order placed", Map.of());
        assertEquals("1", s.version().version());
        assertEquals("arn:aws:schemas:us-east-1:123456789012:schema/example-registry/com.example@OrderPlaced",
                s.arn());
        refused(SchemaException.BAD_REQUEST, () -> schemas.createSchema("example-registry",
                "com.example@OrderPlaced", SchemaType.OpenApi3, OPENAPI, null, null));
        // ListSchemas and SearchSchemas have no NotFoundException in their model (SCHEMAS 4.1)
        refused(SchemaException.BAD_REQUEST, () -> schemas.listSchemas("missing", null, null, null));
        refused(SchemaException.BAD_REQUEST, () -> schemas.searchSchemas("missing", "order", null, null));
        refused(SchemaException.BAD_REQUEST, () -> schemas.createSchema("missing", "x", SchemaType.OpenApi3,
                OPENAPI, null, null));
        refused(SchemaException.BAD_REQUEST, () -> schemas.createSchema("example-registry", "y",
                SchemaType.OpenApi3, "{\"openapi\":\"2.0\"}", null, null));

        clock.advance(Duration.ofSeconds(60));
        String v2 = OPENAPI.replace("string", "integer");
        Schema u = schemas.updateSchema("example-registry", "com.example@OrderPlaced", null, v2, null, "tok");
        assertEquals("2", u.version().version());
        assertEquals(clock.instant(), u.version().createdDate());
        assertEquals("2", schemas.updateSchema("example-registry", "com.example@OrderPlaced", null,
                OPENAPI, null, "tok").version().version(), "a repeated token answers the first call again");
        assertEquals("2", schemas.updateSchema("example-registry", "com.example@OrderPlaced", null, v2, "d",
                null).version().version(), "same content, no version");
        assertEquals(OPENAPI, schemas.describeSchema("example-registry", "com.example@OrderPlaced", "1").version()
                .content());
        refused(SchemaException.NOT_FOUND, () -> schemas.describeSchema("example-registry",
                "com.example@OrderPlaced", "9"));
        assertEquals(List.of("2", "1"), schemas.listSchemaVersions("example-registry", "com.example@OrderPlaced",
                null, null).items().stream().map(SchemaVersion::version).toList());
        assertEquals(2, schemas.listSchemas("example-registry", "com.", null, null).items().get(0).versionCount());

        List<SchemaSearchHit> hits = schemas.searchSchemas("example-registry", "nothing INTEGER", null, null)
                .items();
        assertEquals(1, hits.size());
        assertEquals(List.of("2"), hits.get(0).versions().stream().map(SchemaVersion::version).toList());

        Schema exported = schemas.exportSchema("example-registry", "com.example@OrderPlaced", "1",
                "JSONSchemaDraft4");
        assertTrue(exported.version().content().startsWith("{\"$schema\":\"http://json-schema.org/draft-04/schema#\""));
        refused(SchemaException.BAD_REQUEST, () -> schemas.exportSchema("example-registry",
                "com.example@OrderPlaced", null, "OpenApi3"));

        schemas.deleteSchemaVersion("example-registry", "com.example@OrderPlaced", "2");
        refused(SchemaException.BAD_REQUEST, () -> schemas.deleteSchemaVersion("example-registry",
                "com.example@OrderPlaced", "1"));
        assertEquals("3", schemas.updateSchema("example-registry", "com.example@OrderPlaced", null, v2, null, null)
                .version().version(), "version numbers are never reused");
        schemas.deleteSchema("example-registry", "com.example@OrderPlaced");
        refused(SchemaException.NOT_FOUND, () -> schemas.describeSchema("example-registry",
                "com.example@OrderPlaced", null));
        schemas.deleteRegistry("example-registry");
        refused(SchemaException.NOT_FOUND, () -> schemas.describeRegistry("example-registry"));
    }

    @Test
    void paginationWalksEveryItemOnce() {
        for (int i = 0; i < 5; i++) {
            schemas.createRegistry("r" + i, null, null);
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            var page = schemas.listRegistries("r", null, 2, token);
            page.items().forEach(r -> seen.add(r.name()));
            token = page.nextToken();
        } while (token != null);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), seen);
        refused(SchemaException.BAD_REQUEST, () -> schemas.listRegistries(null, null, 0, null));
    }

    @Test
    void discovererLifecycle() {
        String arn = busbar.busArn("default");
        Discoverer d = schemas.createDiscoverer(arn, null, null, Map.of("env", "dev"));
        assertEquals("events-event-bus-default", d.id());
        assertEquals("arn:aws:schemas:us-east-1:123456789012:discoverer/events-event-bus-default", d.arn());
        assertEquals(DiscovererState.STARTED, d.state());
        assertTrue(d.crossAccount());
        refused(SchemaException.CONFLICT, () -> schemas.createDiscoverer(arn, null, null, null));
        refused(SchemaException.BAD_REQUEST, () -> schemas.createDiscoverer(busbar.busArn("nope"), null, null, null));
        assertEquals(DiscovererState.STOPPED, schemas.stopDiscoverer(d.id()).state());
        assertEquals(DiscovererState.STOPPED, schemas.stopDiscoverer(d.id()).state());
        assertEquals(DiscovererState.STARTED, schemas.startDiscoverer(d.id()).state());
        assertEquals("x", schemas.updateDiscoverer(d.id(), "x", null).description());
        assertEquals(1, schemas.listDiscoverers("events-", arn, null, null).items().size());
        assertEquals(0, schemas.listDiscoverers("other", null, null, null).items().size());
        schemas.deleteDiscoverer(d.id());
        refused(SchemaException.NOT_FOUND, () -> schemas.describeDiscoverer(d.id()));

        // deleting a bus deletes its discoverer (SCHEMAS 4.2); the name can then have a new one
        busbar.createEventBus("temp", null);
        Discoverer temp = schemas.createDiscoverer(busbar.busArn("temp"), null, null, null);
        schemas.tagResource(temp.arn(), Map.of("k", "v"));
        busbar.deleteEventBus("temp");
        refused(SchemaException.NOT_FOUND, () -> schemas.describeDiscoverer(temp.id()));
        refused(SchemaException.NOT_FOUND, () -> schemas.tags(temp.arn()));
        assertEquals(0, schemas.listDiscoverers("events-event-bus-temp", null, null, null).items().size());
        busbar.createEventBus("temp", null);
        assertEquals(Map.of(), schemas.createDiscoverer(busbar.busArn("temp"), null, null, null).tags());
    }

    private PutEventsResult put(String detailType, String detail) {
        return busbar.putEvents(List.of(PutEventsEntry.of("shop", detailType, detail)));
    }

    @Test
    void discoveryVersionsOnlyOnRealShapeChange() {
        schemas.createDiscoverer(busbar.busArn("default"), null, null, null);
        put("Order Placed", "{\"id\":1,\"lines\":[{\"sku\":\"a\"}]}");
        put("Order Placed", "{\"lines\":[{\"sku\":\"b\"}],\"id\":2}");
        assertEquals(2, schemas.drain());
        Schema s = schemas.describeSchema("discovered-schemas", "shop@OrderPlaced", null);
        assertEquals("1", s.version().version(), "same shape seen again makes no version");
        Instant first = s.lastModified();

        clock.advance(Duration.ofSeconds(5));
        put("Order Placed", "{\"id\":3}");
        schemas.drain();
        s = schemas.describeSchema("discovered-schemas", "shop@OrderPlaced", null);
        assertEquals("2", s.version().version());
        assertEquals(clock.instant(), s.version().createdDate());
        assertTrue(s.lastModified().isAfter(first));
        assertTrue(!s.version().content().contains("lines"), "no merging with the previous version (spec 2.3)");

        schemas.stopDiscoverer("events-event-bus-default");
        put("Other Thing", "{}");
        assertEquals(0, schemas.drain());
        refused(SchemaException.NOT_FOUND, () -> schemas.describeSchema("discovered-schemas", "shop@OtherThing",
                null));
        schemas.deleteSchema("discovered-schemas", "shop@OrderPlaced");
    }

    @Test
    void registryWritesEmitSchemaEvents() {
        try (SchemaRegistry emitting = SchemaRegistry.builder(busbar).backgroundWorker(false).build()) {
            emitting.createDiscoverer(busbar.busArn("default"), null, null, null);
            emitting.createRegistry("r", null, null);
            emitting.createSchema("r", "s", SchemaType.OpenApi3, OPENAPI, null, null);
            emitting.drain();
            assertEquals("1", emitting.describeSchema("discovered-schemas", "aws.schemas@SchemaCreated", null)
                    .version().version());
            assertEquals("1", emitting.describeSchema("discovered-schemas", "aws.schemas@SchemaVersionCreated", null)
                    .version().version());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFullQueueNeverBlocksPutEvents() {
        try (SchemaRegistry tiny = SchemaRegistry.builder(busbar).backgroundWorker(false).queueCapacity(2)
                .emitEvents(false).build()) {
            tiny.createDiscoverer(busbar.busArn("default"), null, null, null);
            for (int i = 0; i < 1000; i++) {
                PutEventsResult r = put("Tick", "{\"n\":" + i + "}");
                assertEquals(0, r.failedEntryCount());
            }
            assertEquals(2, tiny.queuedEvents());
            assertEquals(998, tiny.droppedEvents());
            assertEquals(2, tiny.drain());
        }
    }
}
