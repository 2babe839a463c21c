package io.busbar.server;

import io.busbar.core.Busbar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations the server answers, by name, and where each runs: on the event loop ({@code PutEvents} and
 * {@code TestEventPattern}, which never block: PutEvents only queues deliveries and matching is lock-free) or on the
 * control-plane executor (everything else: those calls serialise on the bus's control lock). Immutable.
 */
final class Operations {
    /** Every operation of the API model (spec Appendix A); the ones Busbar lacks are answered as disabled. */
    static final Set<String> MODEL = Set.of("ActivateEventSource", "CancelReplay", "CreateApiDestination",
            "CreateArchive", "CreateConnection", "CreateEndpoint", "CreateEventBus", "CreatePartnerEventSource",
            "DeactivateEventSource", "DeauthorizeConnection", "DeleteApiDestination", "DeleteArchive",
            "DeleteConnection", "DeleteEndpoint", "DeleteEventBus", "DeletePartnerEventSource", "DeleteRule",
            "DescribeApiDestination", "DescribeArchive", "DescribeConnection", "DescribeEndpoint",
            "DescribeEventBus", "DescribeEventSource", "DescribePartnerEventSource", "DescribeReplay",
            "DescribeRule", "DisableRule", "EnableRule", "ListApiDestinations", "ListArchives", "ListConnections",
            "ListEndpoints", "ListEventBuses", "ListEventSources", "ListPartnerEventSourceAccounts",
            "ListPartnerEventSources", "ListReplays", "ListRuleNamesByTarget", "ListRules",
            "ListTagsForResource", "ListTargetsByRule", "PutEvents", "PutPartnerEvents", "PutPermission", "PutRule",
            "PutTargets", "RemovePermission", "RemoveTargets", "StartReplay", "TagResource", "TestEventPattern",
            "UntagResource", "UpdateApiDestination", "UpdateArchive", "UpdateConnection", "UpdateEndpoint",
            "UpdateEventBus");

    /**
     * An operation and whether it may run on the event loop; an asynchronous one ({@code async} set) starts on the
     * event loop and answers when its stage completes.
     */
    record Entry(String name, Operation operation, boolean onEventLoop, AsyncOperation async, RawOperation raw) {
        Entry(String name, Operation operation, boolean onEventLoop) {
            this(name, operation, onEventLoop, null, null);
        }
    }

    /**
     * A shortcut for an operation's common case, straight from the body's bytes to the answer's: {@code null} when
     * the request is not that case, and the operation's general path answers it.
     */
    @FunctionalInterface
    interface RawOperation {
        java.util.concurrent.CompletionStage<byte[]> tryInvoke(io.netty.buffer.ByteBuf body);
    }

    /** An operation that starts without blocking and completes later (PutEvents waiting for the disk). */
    @FunctionalInterface
    interface AsyncOperation {
        java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.JsonNode> invoke(Shape input);
    }

    /** Collects the operations of each group. */
    static final class Registry {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        /** An operation that never blocks and runs on the event loop. */
        void onEventLoop(String name, Operation op) {
            add(new Entry(name, op, true));
        }

        /** An operation that starts on the event loop and answers when its stage completes. */
        void async(String name, AsyncOperation op) {
            add(new Entry(name, null, true, op, null));
        }

        /** As {@link #async}, with a shortcut tried first on the raw body. */
        void async(String name, AsyncOperation op, RawOperation shortcut) {
            add(new Entry(name, null, true, op, shortcut));
        }

        /** A control-plane operation, run on the control executor. */
        void control(String name, Operation op) {
            add(new Entry(name, op, false));
        }

        private void add(Entry e) {
            if (!MODEL.contains(e.name())) {
                throw new IllegalArgumentException("operation: " + e.name() + " (expected: an AWSEvents operation)");
            }
            if (entries.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("operation: " + e.name() + " (registered twice)");
            }
        }
    }

    private final Map<String, Entry> entries;

    private Operations(Map<String, Entry> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Every operation Busbar implements, acting on {@code busbar}, with tags kept in {@code tags}. */
    static Operations of(Busbar busbar, TagStore tags) {
        Registry r = new Registry();
        for (OperationGroup g : List.of(new EventOperations(busbar), new RuleOperations(busbar, tags),
                new TargetOperations(busbar), new BusOperations(busbar, tags), new ConnectionOperations(busbar),
                new ApiDestinationOperations(busbar), new ArchiveOperations(busbar),
                new TagOperations(busbar, tags))) {
            g.register(r);
        }
        return new Operations(r.entries);
    }

    /** The operation of that name, or null. */
    Entry find(String name) {
        return entries.get(name);
    }

    Set<String> names() {
        return entries.keySet();
    }
}
