package io.busbar.targets.sqs;

import java.util.HashMap;
import java.util.Map;

/**
 * The open {@link SqsEndpoint}s of one provider, one per distinct {@link SqsSettings}, counted by the targets that
 * use them: the SDK client (its Netty event loop and connection pool) is expensive, and the queue-URL cache and the
 * batching are worth most when every target for one server shares them. The last target to close closes the
 * endpoint. Thread-safe (one lock, held only to count).
 */
final class SqsEndpoints {
    private final Map<SqsSettings, Entry> open = new HashMap<>();

    private static final class Entry {
        final SqsEndpoint endpoint;
        int users;

        Entry(SqsEndpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** The endpoint for these settings, opened if needed; give it back with {@link Lease#close()}. */
    synchronized Lease acquire(SqsSettings settings) {
        Entry e = open.computeIfAbsent(settings, s -> new Entry(new SqsEndpoint(s)));
        e.users++;
        return new Lease(this, settings, e.endpoint);
    }

    private void release(SqsSettings settings) {
        SqsEndpoint closing = null;
        synchronized (this) {
            Entry e = open.get(settings);
            if (e != null && --e.users == 0) {
                open.remove(settings);
                closing = e.endpoint;
            }
        }
        if (closing != null) {
            closing.close(); // outside the lock: closing the client waits for its threads
        }
    }

    /** One target's use of an endpoint; closing it twice gives it back once. */
    static final class Lease implements AutoCloseable {
        private final SqsEndpoints owner;
        private final SqsSettings settings;
        private final SqsEndpoint endpoint;
        private boolean closed;

        private Lease(SqsEndpoints owner, SqsSettings settings, SqsEndpoint endpoint) {
            this.owner = owner;
            this.settings = settings;
            this.endpoint = endpoint;
        }

        SqsEndpoint endpoint() {
            return endpoint;
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
