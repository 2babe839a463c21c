package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK's own SigV4 signer, verified by the server's verifier. */
class SigV4VerifierTest {
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String BODY = "{\"Name\":\"r1\"}";
    private final SigV4Verifier verifier = new SigV4Verifier(Map.of("AKIDEXAMPLE", "secret/key+1"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    /** A request as the SDK sends it: signed at {@code at} with the given key, then carried over to Netty. */
    private static FullHttpRequest signed(String akid, String secret, Instant at, String body, String query) {
        SdkHttpRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:4010/" + (query == null ? "" : "?" + query)))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSEvents.DescribeRule")
                .build();
        SdkHttpRequest s = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(akid, secret))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        String uri = s.encodedPath().isEmpty() ? "/" : s.encodedPath();
        if (!s.rawQueryParameters().isEmpty()) {
            uri += "?" + query;
        }
        FullHttpRequest n = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        s.forEachHeader((name, values) -> n.headers().add(name, values));
        if (!n.headers().contains("Host")) {
            n.headers().set("Host", "localhost:4010");
        }
        return n;
    }

    private static FullHttpRequest signed(String akid, String secret) {
        return signed(akid, secret, NOW, BODY, null);
    }

    @Test
    void acceptsWhatTheSdkSigns() {
        assertDoesNotThrow(() -> verifier.verify(signed("AKIDEXAMPLE", "secret/key+1")));
        assertDoesNotThrow(() -> verifier.verify(signed("AKIDEXAMPLE", "secret/key+1", NOW, "",
                "b=2&a=1&c=%2F%20x")));
        assertDoesNotThrow(() -> verifier.verify(signed("AKIDEXAMPLE", "secret/key+1",
                NOW.minus(Duration.ofMinutes(14)), BODY, null)));
    }

    @Test
    void aWrongSecretIsInvalidSignature() {
        ApiException e = assertThrows(ApiException.class, () -> verifier.verify(signed("AKIDEXAMPLE", "wrong")));
        assertEquals("InvalidSignatureException", e.type());
        assertEquals(SigV4Verifier.BAD_SIGNATURE, e.getMessage());
    }

    @Test
    void aTamperedBodyOrHeaderIsInvalidSignature() {
        FullHttpRequest r = signed("AKIDEXAMPLE", "secret/key+1");
        r.content().setByte(2, 'X');
        assertEquals("InvalidSignatureException", assertThrows(ApiException.class, () -> verifier.verify(r)).type());
        FullHttpRequest h = signed("AKIDEXAMPLE", "secret/key+1");
        h.headers().set("X-Amz-Target", "AWSEvents.DeleteRule");
        assertEquals("InvalidSignatureException", assertThrows(ApiException.class, () -> verifier.verify(h)).type());
    }

    @Test
    void anUnknownOrMissingKeyIsUnrecognizedClient() {
        ApiException e = assertThrows(ApiException.class, () -> verifier.verify(signed("AKIDOTHER", "secret/key+1")));
        assertEquals("UnrecognizedClientException", e.type());
        assertEquals("The security token included in the request is invalid.", e.getMessage());
        FullHttpRequest unsigned = signed("AKIDEXAMPLE", "secret/key+1");
        unsigned.headers().remove("Authorization");
        assertEquals("UnrecognizedClientException",
                assertThrows(ApiException.class, () -> verifier.verify(unsigned)).type());
    }

    @Test
    void anOldOrFutureSignatureIsRefused() {
        ApiException old = assertThrows(ApiException.class, () -> verifier.verify(signed("AKIDEXAMPLE",
                "secret/key+1", NOW.minus(Duration.ofMinutes(16)), BODY, null)));
        assertEquals("InvalidSignatureException", old.type());
        assertEquals("Signature expired: 20260101T094400Z is now earlier than 20260101T094500Z "
                + "(20260101T100000Z - 15 min.)", old.getMessage());
        ApiException future = assertThrows(ApiException.class, () -> verifier.verify(signed("AKIDEXAMPLE",
                "secret/key+1", NOW.plus(Duration.ofMinutes(16)), BODY, null)));
        assertEquals("InvalidSignatureException", future.type());
    }

    @Test
    void aMalformedAuthorizationHeaderIsIncompleteSignature() {
        FullHttpRequest r = signed("AKIDEXAMPLE", "secret/key+1");
        r.headers().set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/events/aws4_request");
        ApiException e = assertThrows(ApiException.class, () -> verifier.verify(r));
        assertEquals("IncompleteSignatureException", e.type());
    }

    @Test
    void canonicalEncodingFollowsRfc3986() {
        assertEquals("a-b_c.d~e%20%2F%2B%C3%A9", SigV4Verifier.encode("a-b_c.d~e /+é"));
    }
}
