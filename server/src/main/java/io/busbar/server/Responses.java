package io.busbar.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The responses of the API: AWS JSON 1.1 bodies with a request id, and errors as {@code {"__type","message"}}. */
final class Responses {
    static final String AMZ_JSON = "application/x-amz-json-1.1";
    static final String REQUEST_ID = "x-amzn-RequestId";
    static final String ERROR_TYPE = "X-Amzn-ErrorType";

    private Responses() {
    }

    /** A fresh request id (a v4 UUID; ids need uniqueness, not secrecy). */
    static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xf000L) | 0x4000L,
                (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body, String requestId) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response: " + e.getMessage(), e);
        }
        FullHttpResponse r = bytes(status, AMZ_JSON, bytes);
        r.headers().set(REQUEST_ID, requestId);
        return r;
    }

    /** A 200 answer whose JSON body is already written. */
    static FullHttpResponse json(byte[] body, String requestId) {
        FullHttpResponse r = bytes(HttpResponseStatus.OK, AMZ_JSON, body);
        r.headers().set(REQUEST_ID, requestId);
        return r;
    }

    /** An error answer as the AWS SDKs parse it: the plain type name in {@code __type} and the header. */
    static FullHttpResponse error(int status, String type, String message, String requestId) {
        ObjectNode body = Json.object();
        body.put("__type", type);
        if (message != null) {
            body.put("message", message);
        }
        FullHttpResponse r = json(HttpResponseStatus.valueOf(status), body, requestId);
        r.headers().set(ERROR_TYPE, type);
        return r;
    }

    static FullHttpResponse error(ApiException e, String requestId) {
        return error(e.status(), e.type(), e.getMessage(), requestId);
    }

    static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] bytes) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }
}
