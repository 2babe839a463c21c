package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.Busbar;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline on an EmbeddedChannel: routing, the wire protocol's errors, limits and timeouts. */
class AwsJsonHandlerTest {
    private final Busbar busbar = Busbar.builder().meterRegistry(BusbarServer.newPrometheusRegistry()).build();
    private final HttpExchange http = new HttpExchange(busbar);

    @AfterEach
    void close() {
        http.channel.finishAndReleaseAll();
        busbar.close();
    }

    @Test
    void answersAnOperationWithAwsJsonAndARequestId() {
        HttpExchange.Response r = http.call("AWSEvents.PutRule",
                "{\"Name\":\"r1\",\"EventPattern\":\"{\\\"source\\\":[\\\"shop\\\"]}\"}");
        assertEquals(200, r.status());
        assertEquals("application/x-amz-json-1.1", r.header("Content-Type"));
        assertNotNull(r.header("x-amzn-RequestId"));
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/r1", r.json().get("RuleArn").asText());
    }

    @Test
    void emptyBodyIsTheEmptyStructure() {
        HttpExchange.Response r = http.call("AWSEvents.ListEventBuses", "");
        assertEquals(200, r.status());
        assertEquals("default", r.json().at("/EventBuses/0/Name").asText());
    }

    @Test
    void malformedJsonIsSerializationException() {
        HttpExchange.Response r = http.call("AWSEvents.ListRules", "{\"Limit\": ");
        assertEquals(400, r.status());
        assertEquals("SerializationException", r.json().get("__type").asText());
        assertEquals("SerializationException", r.header("X-Amzn-ErrorType"));
        assertEquals("SerializationException", http.call("AWSEvents.ListRules", "{} {}").json().get("__type").asText());
    }

    @Test
    void aMemberOfTheWrongTypeIsSerializationException() {
        HttpExchange.Response r = http.call("AWSEvents.ListRules", "{\"Limit\": \"ten\"}");
        assertEquals(400, r.status());
        assertEquals("SerializationException", r.json().get("__type").asText());
    }

    @Test
    void aBodyThatIsNotAnObjectIsSerializationException() {
        assertEquals("SerializationException", http.call("AWSEvents.ListRules", "[1]").json().get("__type").asText());
    }

    @Test
    void unknownOperation() {
        HttpExchange.Response r = http.call("AWSEvents.DoSomething", "{}");
        assertEquals(400, r.status());
        assertEquals("UnknownOperationException", r.json().get("__type").asText());
        r = http.call("DynamoDB_20120810.ListTables", "{}");
        assertEquals("UnknownOperationException", r.json().get("__type").asText());
    }

    @Test
    void missingTargetHeaderIsUnknownOperation() {
        HttpExchange.Response r = http.call(null, "{}");
        assertEquals(400, r.status());
        assertEquals("UnknownOperationException", r.json().get("__type").asText());
        assertTrue(r.json().get("message").asText().contains("X-Amz-Target"));
    }

    @Test
    void anOperationOfTheModelThatBusbarLacksIsDisabled() {
        HttpExchange.Response r = http.call("AWSEvents.CreateEndpoint", "{}");
        assertEquals(400, r.status());
        assertEquals("OperationDisabledException", r.json().get("__type").asText());
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"Name\":\"" + "x".repeat(5000) + "\"}";
        HttpExchange.Response r = http.call("AWSEvents.DescribeRule", big);
        assertEquals(413, r.status());
        // in the API's error form, so that an SDK or the aws CLI can say why
        assertEquals("RequestEntityTooLargeException", r.json().get("__type").asText());
        assertTrue(r.json().get("message").asText().startsWith("The request body of " + big.length() + " bytes is"
                + " over the server's limit of "), r.json().get("message").asText());
    }

    @Test
    void constraintViolationsAreReportedTogetherInAwsWording() {
        HttpExchange.Response r = http.call("AWSEvents.PutRule", "{\"Name\":\"bad name!\",\"State\":\"ON\"}");
        assertEquals(400, r.status());
        JsonNode body = r.json();
        assertEquals("ValidationException", body.get("__type").asText());
        assertEquals("2 validation errors detected: Value 'bad name!' at 'name' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value 'ON' at 'state' failed "
                + "to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, "
                + "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]", body.get("message").asText());
        r = http.call("AWSEvents.DescribeRule", "{}");
        assertEquals("1 validation error detected: Value null at 'name' failed to satisfy constraint: "
                + "Member must not be null", r.json().get("message").asText());
    }

    @Test
    void busErrorsKeepTheirCodeAndMessage() {
        HttpExchange.Response r = http.call("AWSEvents.DescribeRule", "{\"Name\":\"nope\"}");
        assertEquals(400, r.status());
        assertEquals("ResourceNotFoundException", r.json().get("__type").asText());
        assertEquals("Rule nope does not exist on EventBus default.", r.json().get("message").asText());
    }

    @Test
    void healthAndMetrics() {
        HttpExchange.Response health = http.send("GET", "/health", Map.of(), new byte[0]);
        assertEquals(200, health.status());
        assertEquals("UP", health.json().get("status").asText());
        http.call("AWSEvents.PutEvents", "{\"Entries\":[{\"Source\":\"a\",\"DetailType\":\"t\",\"Detail\":\"{}\"}]}");
        HttpExchange.Response metrics = http.send("GET", "/metrics", Map.of(), new byte[0]);
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
        assertTrue(metrics.body().contains("PutEventsEntriesCount_total{bus=\"\",rule=\"\",target=\"\"} 1.0"), metrics.body());
        assertTrue(metrics.body().contains("busbar_server_requests_seconds_count{operation=\"PutEvents\",status=\"200\"} 1"),
                metrics.body());
    }

    @Test
    void healthSaysDrainingDuringShutdownAndResponsesCloseTheirConnection() {
        http.state.startDraining();
        HttpExchange.Response health = http.send("GET", "/health", Map.of(), new byte[0]);
        assertEquals(503, health.status());
        assertEquals("DRAINING", health.json().get("status").asText());
        assertEquals("close", health.header("Connection"));
        assertFalse(http.channel.isOpen());
    }

    @Test
    void otherPathsAndMethods() {
        assertEquals(404, http.send("GET", "/nope", Map.of(), new byte[0]).status());
        HttpExchange.Response r = http.send("GET", "/", Map.of(), new byte[0]);
        assertEquals(405, r.status());
        assertEquals("POST", r.header("Allow"));
        assertEquals(405, http.send("POST", "/health", Map.of(), new byte[0]).status());
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, http.call("AWSEvents.ListRules", "{}").status());
        }
        assertTrue(http.channel.isOpen());
    }

    @Test
    void aRequestAnsweredOnTheEventLoopNeverStopsTheConnectionReading() {
        // Seen right after the tracker, while the request is handled, and by the first handler once it has been.
        java.util.List<Boolean> autoReadSeen = new java.util.ArrayList<>();
        http.channel.pipeline().addAfter("tracker", "probe", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                autoReadSeen.add(ctx.channel().config().isAutoRead());
                ctx.fireChannelRead(msg);
            }
        });
        http.channel.pipeline().addFirst(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ctx.fireChannelRead(msg);
                autoReadSeen.add(ctx.channel().config().isAutoRead());
            }
        });
        for (int i = 0; i < 3; i++) {
            HttpExchange.Response r = http.call("AWSEvents.PutEvents",
                    "{\"Entries\":[{\"Source\":\"a\",\"DetailType\":\"t\",\"Detail\":\"{}\"}]}");
            assertEquals(200, r.status(), r.body());
        }
        assertFalse(autoReadSeen.isEmpty());
        assertFalse(autoReadSeen.contains(Boolean.FALSE),
                "reading was stopped while a request was handled: " + autoReadSeen);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheirOperationsRunElsewhere() {
        java.util.List<Runnable> control = new java.util.ArrayList<>();
        HttpExchange async = new HttpExchange(busbar, control::add);
        io.netty.buffer.ByteBuf first = HttpExchange.request("POST", "/", Map.of("X-Amz-Target", "AWSEvents.PutRule"),
                "{\"Name\":\"p1\",\"EventPattern\":\"{\\\"source\\\":[\\\"a\\\"]}\"}".getBytes(StandardCharsets.UTF_8));
        io.netty.buffer.ByteBuf second = HttpExchange.request("POST", "/", Map.of("X-Amz-Target",
                "AWSEvents.TestEventPattern"), "{}".getBytes(StandardCharsets.UTF_8));
        async.write(io.netty.buffer.Unpooled.wrappedBuffer(first, second));
        assertNull(async.response()); // PutRule waits on the control thread; TestEventPattern waits behind it
        assertEquals(1, async.state.inFlight.get());
        assertFalse(async.channel.config().isAutoRead(), "reading stops while an answer is pending");
        control.remove(0).run();
        async.channel.runPendingTasks();
        assertTrue(async.channel.config().isAutoRead(), "and resumes once it is written");
        String both = async.rawOutput();
        assertTrue(both.indexOf("RuleArn") >= 0 && both.indexOf("RuleArn") < both.indexOf("ValidationException"),
                both);
        assertEquals(0, async.state.inFlight.get());
        async.channel.finishAndReleaseAll();
    }

    @Test
    void aRequestThatDoesNotArriveInTimeIs408AndClosesTheConnection() {
        http.channel.freezeTime();
        http.write(io.netty.buffer.Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
                StandardCharsets.US_ASCII));
        assertNull(http.response());
        http.channel.advanceTimeBy(31, TimeUnit.SECONDS);
        http.channel.runScheduledPendingTasks();
        HttpExchange.Response r = http.response();
        assertEquals(408, r.status());
        assertFalse(http.channel.isOpen());
    }

    @Test
    void anIdleConnectionIsClosed() {
        assertEquals(200, http.call("AWSEvents.ListRules", "{}").status());
        http.channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(http.channel.isOpen());
    }

    @Test
    void aConnectionIsNotClosedForIdlenessWhileItsRequestArrives() {
        http.write(io.netty.buffer.Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
                StandardCharsets.US_ASCII));
        http.channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertTrue(http.channel.isOpen());
    }

    @Test
    void overlongHeadersAre431() {
        HttpExchange.Response r = http.send("POST", "/", Map.of("X-Big", "y".repeat(20_000)), new byte[0]);
        assertEquals(431, r.status());
    }
}
