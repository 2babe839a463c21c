package io.busbar.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.busbar.core.Busbar;
import io.busbar.core.PutEventsEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real sockets: graceful shutdown, and clients that are slow or send too much. */
@Timeout(30)
class ShutdownIT {

    private static BusbarServer server(Busbar busbar, Duration requestTimeout) {
        return BusbarServer.builder(busbar).port(0).requestTimeout(requestTimeout).maxBodyBytes(64 * 1024)
                .drainTimeout(Duration.ofSeconds(5)).build().start();
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void closeFinishesTheRequestInFlightThenClosesTheBus() throws Exception {
        Busbar busbar = Busbar.builder().build();
        BusbarServer server = server(busbar, Duration.ofSeconds(30));
        int port = server.port();
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            String body = "{\"Entries\":[{\"Source\":\"a\",\"DetailType\":\"t\",\"Detail\":\"{}\"}]}";
            String head = "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.PutEvents\r\nContent-Length: "
                    + body.length() + "\r\n\r\n";
            // Half the request is sent, then shutdown starts: the request is still answered
            out.write((head + body.substring(0, 10)).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(200);
            Thread closer = new Thread(server::close);
            closer.start();
            Thread.sleep(200);
            out.write(body.substring(10).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = read(s.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.toLowerCase().contains("connection: close"), response);
            closer.join(10_000);
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        assertEquals("InternalFailure", busbar.putEvents(List.of(PutEventsEntry.of("a", "t", "{}")))
                .entries().get(0).errorCode());
    }

    @Test
    void aSlowClientGets408() throws Exception {
        try (Busbar busbar = Busbar.builder().build();
             BusbarServer server = server(busbar, Duration.ofMillis(300));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{".getBytes(
                    StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String response = read(s.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
        }
    }

    @Test
    void anOversizedBodyGets413WithoutBeingRead() throws Exception {
        try (Busbar busbar = Busbar.builder().build();
             BusbarServer server = server(busbar, Duration.ofSeconds(30));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.PutEvents\r\n"
                    + "Content-Length: 10000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] status = s.getInputStream().readNBytes(12);
            assertEquals("HTTP/1.1 413", new String(status, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosed() throws Exception {
        try (Busbar busbar = Busbar.builder().build();
             BusbarServer server = BusbarServer.builder(busbar).port(0).maxConnections(1).nativeTransport(false).build()
                     .start();
             Socket first = new Socket("127.0.0.1", server.port())) {
            assertEquals(false, server.nativeTransport()); // NIO, as where epoll is missing
            first.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200", new String(first.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
            try (Socket second = new Socket("127.0.0.1", server.port())) {
                second.setSoTimeout(5000);
                assertEquals(-1, second.getInputStream().read());
            }
        }
    }
}
