package io.busbar.core.spi;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expensive clients (an SDK client, a Kafka producer) shared by the targets whose settings are equal, counted by
 * those targets: the first to {@link #acquire} opens the client, the last to close its {@link Lease} closes it.
 * For target providers, which create a target per (ARN, parameters) but should not create a client per target.
 *
 * <p>Thread-safe: one lock, held to count and to open; a client is closed outside it, since closing may wait for
 * buffered work.
 *
 * @param <K> the settings that tell clients apart (with {@code equals} and {@code hashCode})
 * @param <C> the client
 */
public final class SharedClients<K, C> {
    private final Function<K, C> open;
    private final Consumer<C> close;
    private final Map<K, Entry<C>> clients = new HashMap<>();

    private static final class Entry<C> {
        final C client;
        int users;

        Entry(C client) {
            this.client = client;
        }
    }

    /**
     * @param open  makes the client for some settings; what it throws reaches the caller of {@link #acquire}
     * @param close closes a client no target uses any more
     */
    public SharedClients(Function<K, C> open, Consumer<C> close) {
        this.open = Objects.requireNonNull(open, "open");
        this.close = Objects.requireNonNull(close, "close");
    }

    /** The client for these settings, opened if no target uses it yet; give it back with {@link Lease#close()}. */
    public synchronized Lease<K, C> acquire(K settings) {
        Entry<C> e = clients.get(settings);
        if (e == null) {
            e = new Entry<>(open.apply(settings));
            clients.put(settings, e);
        }
        e.users++;
        return new Lease<>(this, settings, e.client);
    }

    private void release(K settings) {
        C closing = null;
        synchronized (this) {
            Entry<C> e = clients.get(settings);
            if (e != null && --e.users == 0) {
                clients.remove(settings);
                closing = e.client;
            }
        }
        if (closing != null) {
            close.accept(closing);
        }
    }

    /** One target's use of a client; closing it twice gives it back once. */
    public static final class Lease<K, C> implements AutoCloseable {
        private final SharedClients<K, C> owner;
        private final K settings;
        private final C client;
        private boolean closed;

        private Lease(SharedClients<K, C> owner, K settings, C client) {
            this.owner = owner;
            this.settings = settings;
            this.client = client;
        }

        public C client() {
            return client;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            owner.release(settings);
        }
    }
}
