package io.busbar.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue inside the bus, addressed by targets as {@code arn:aws:sqs:<region>:<account>:<name>}, for embedded use
 * and tests: deliveries land here and the application reads them with {@link #receive(int)}. Unbounded; thread-safe.
 */
public final class InMemoryQueue {
    private final String name;
    private final String arn;
    private final ConcurrentLinkedQueue<QueueMessage> messages = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    InMemoryQueue(String name, String arn) {
        this.name = name;
        this.arn = arn;
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    void add(QueueMessage message) {
        messages.add(message);
        size.incrementAndGet();
    }

    /** Takes up to {@code max} messages, oldest first. */
    public List<QueueMessage> receive(int max) {
        List<QueueMessage> out = new ArrayList<>();
        QueueMessage m;
        while (out.size() < max && (m = messages.poll()) != null) {
            size.decrementAndGet();
            out.add(m);
        }
        return out;
    }

    /** Messages waiting. */
    public int size() {
        return size.get();
    }
}
