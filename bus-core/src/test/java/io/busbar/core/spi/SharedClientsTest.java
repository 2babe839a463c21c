package io.busbar.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clients shared by equal settings: opened by the first target, closed once by the last. */
class SharedClientsTest {
    @Test
    void theLastLeaseClosesTheClientOnce() {
        List<String> opened = new ArrayList<>();
        List<StringBuilder> closed = new ArrayList<>();
        SharedClients<String, StringBuilder> clients = new SharedClients<>(k -> {
            opened.add(k);
            return new StringBuilder(k);
        }, closed::add);
        SharedClients.Lease<String, StringBuilder> a = clients.acquire("x");
        SharedClients.Lease<String, StringBuilder> b = clients.acquire("x");
        SharedClients.Lease<String, StringBuilder> c = clients.acquire("y");
        assertSame(a.client(), b.client());
        assertNotSame(a.client(), c.client());
        assertEquals(List.of("x", "y"), opened);
        a.close();
        a.close(); // a second close gives nothing back again
        assertEquals(List.of(), closed);
        b.close();
        assertEquals(1, closed.size());
        assertSame(b.client(), closed.get(0));
        SharedClients.Lease<String, StringBuilder> d = clients.acquire("x");
        assertNotSame(b.client(), d.client(), "a closed client is not handed out again");
        assertEquals(List.of("x", "y", "x"), opened);
    }

    @Test
    void whatOpeningThrowsReachesTheCallerAndCountsNothing() {
        SharedClients<String, Object> clients = new SharedClients<>(k -> {
            throw new IllegalArgumentException("busbar.x: bad");
        }, c -> { });
        assertEquals("busbar.x: bad", assertThrows(IllegalArgumentException.class, () -> clients.acquire("k"))
                .getMessage());
    }
}
