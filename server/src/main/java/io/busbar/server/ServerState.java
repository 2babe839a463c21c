package io.busbar.server;

import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the handlers of every connection share with the server: the open connections, the requests in flight and
 * whether the server is draining for shutdown. Thread-safe.
 */
final class ServerState {
    final ChannelGroup channels;
    final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    ServerState(ChannelGroup channels) {
        this.channels = channels;
    }

    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
