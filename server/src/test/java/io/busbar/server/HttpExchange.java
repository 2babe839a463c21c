package io.busbar.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.busbar.core.Busbar;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server's pipeline on an {@link EmbeddedChannel}, with operations run inline, and raw HTTP/1.1 in and out:
 * tests write request text and read the response's status, headers and body.
 */
final class HttpExchange {
    final EmbeddedChannel channel;
    final ServerState state;

    /** A parsed response. */
    record Response(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    HttpExchange(Busbar busbar, java.util.concurrent.Executor control) {
        this(busbar, new ServerInitializer.Limits(4096, 30_000, 60_000, 100), null, control);
    }

    HttpExchange(Busbar busbar, ServerInitializer.Limits limits, SigV4Verifier verifier) {
        this(busbar, limits, verifier, Runnable::run);
    }

    HttpExchange(Busbar busbar, ServerInitializer.Limits limits, SigV4Verifier verifier,
                 java.util.concurrent.Executor control) {
        state = new ServerState(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        MeterRegistry meters = busbar.meterRegistry();
        PrometheusMeterRegistry prometheus = meters instanceof PrometheusMeterRegistry p ? p : null;
        EndpointsHandler endpoints = new EndpointsHandler(state, prometheus, Runnable::run);
        AwsJsonHandler api = new AwsJsonHandler(Operations.of(busbar, new TagStore(busbar)), control, meters);
        channel = new EmbeddedChannel(new ServerInitializer(state, limits, endpoints,
                verifier == null ? null : new SigV4Handler(verifier), api));
    }

    HttpExchange(Busbar busbar) {
        this(busbar, new ServerInitializer.Limits(4096, 30_000, 60_000, 100), null);
    }

    /** Sends a POST / with the target header (none when null) and returns the response. */
    Response call(String target, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.1");
        if (target != null) {
            headers.put("X-Amz-Target", target);
        }
        return send("POST", "/", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    Response send(String method, String uri, Map<String, String> headers, byte[] body) {
        write(request(method, uri, headers, body));
        return response();
    }

    static ByteBuf request(String method, String uri, Map<String, String> headers, byte[] body) {
        StringBuilder sb = new StringBuilder(method + " " + uri + " HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return Unpooled.wrappedBuffer(out.toByteArray());
    }

    void write(ByteBuf bytes) {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    /** Everything written so far, as text. */
    String rawOutput() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            all.writeBytes(bytes);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The next response written, or null when there is none. */
    Response response() {
        channel.runPendingTasks();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            all.writeBytes(bytes);
        }
        if (all.size() == 0) {
            return null;
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] head = text.substring(0, split).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(split + 4));
    }
}
