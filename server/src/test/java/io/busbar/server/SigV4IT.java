package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** A server with credentials, called by the AWS SDK with good, wrong and unknown keys. */
@Timeout(30)
class SigV4IT {
    private static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(Map.of("AKIDBUSBAR", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void theRightKeyIsServed() {
        try (EventBridgeClient eb = fixture.client("AKIDBUSBAR", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")) {
            eb.putRule(r -> r.name("signed").eventPattern("{\"source\":[\"s\"]}"));
            assertEquals("signed", eb.describeRule(r -> r.name("signed")).name());
            assertEquals(0, eb.putEvents(r -> r.entries(PutEventsRequestEntry.builder()
                    .source("s").detailType("t").detail("{\"a\":\"é\"}").build()))
                    .failedEntryCount());
        }
    }

    @Test
    void aWrongSecretIsInvalidSignature() {
        try (EventBridgeClient eb = fixture.client("AKIDBUSBAR", "not-the-secret")) {
            EventBridgeException e = assertThrows(EventBridgeException.class, () -> eb.listRules(r -> r.limit(1)));
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
            assertEquals(SigV4Verifier.BAD_SIGNATURE, e.awsErrorDetails().errorMessage());
            assertEquals(400, e.statusCode());
        }
    }

    @Test
    void anUnknownKeyIsUnrecognizedClient() {
        try (EventBridgeClient eb = fixture.client("AKIDSTRANGER", "whatever")) {
            EventBridgeException e = assertThrows(EventBridgeException.class, () -> eb.listRules(r -> r.limit(1)));
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void anUnsignedRequestIsRefusedButHealthIsOpen() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(fixture.endpoint())
                .header("X-Amz-Target", "AWSEvents.ListRules")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token included in the "
                + "request is invalid.\"}", r.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(fixture.endpoint().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
