package io.busbar.core;

import io.busbar.core.spi.Delivery;
import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The targets that need nothing outside the bus: in-process functions ({@code arn:aws:lambda:...:function:<name>}),
 * in-memory queues ({@code arn:aws:sqs:...:<name>}) and other buses ({@code arn:aws:events:...:event-bus/<name>}).
 * A function or queue ARN whose name is not registered in this bus is left to the other providers (the Lambda and
 * SQS modules call real services), so the embedded defaults and the client modules coexist.
 */
final class BuiltInTargets implements TargetProvider {
    private static final Pattern FUNCTION = Pattern.compile("arn:aws[\\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(:.*)?");
    private static final Pattern QUEUE = Pattern.compile("arn:aws[\\w-]*:sqs:[^:]*:[^:]*:([^:/]+)");
    private static final Pattern BUS = Pattern.compile("arn:aws[\\w-]*:events:[^:]*:[^:]*:event-bus/(.+)");

    private final ConcurrentMap<String, EventHandler> functions;
    private final ConcurrentMap<String, InMemoryQueue> queues;

    BuiltInTargets(ConcurrentMap<String, EventHandler> functions, ConcurrentMap<String, InMemoryQueue> queues) {
        this.functions = functions;
        this.queues = queues;
    }

    /** The bus's own environment forwards without waiting for its store (see {@code Busbar.routeAsync}). */
    interface Forwarder {
        java.util.concurrent.CompletionStage<io.busbar.core.spi.DeliveryOutcome> forwardAsync(String busName,
                                                                                              String eventJson);
    }

    @Override
    public Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment env) {
        Matcher m = FUNCTION.matcher(spec.arn());
        if (m.matches() && functions.containsKey(m.group(1))) {
            return Optional.of(new FunctionTarget(m.group(1)));
        }
        m = QUEUE.matcher(spec.arn());
        if (m.matches() && queues.containsKey(m.group(1))) {
            return Optional.of(new QueueTarget(m.group(1), env));
        }
        m = BUS.matcher(spec.arn());
        if (m.matches()) {
            return Optional.of(new BusTarget(m.group(1), env));
        }
        return Optional.empty();
    }

    /** Looks the handler up at each delivery, so re-registering a function takes effect at once. */
    private final class FunctionTarget implements DeliveryTarget {
        private final String name;

        FunctionTarget(String name) {
            this.name = name;
        }

        @Override
        public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
            EventHandler handler = functions.get(name);
            if (handler == null) {
                return CompletableFuture.completedFuture(
                        DeliveryOutcome.permanent("NO_RESOURCE", "Function " + name + " does not exist."));
            }
            try {
                handler.handle(delivery);
                return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
            } catch (EventHandler.PermanentFailure e) {
                return CompletableFuture.completedFuture(DeliveryOutcome.permanent("FUNCTION_ERROR", e.getMessage()));
            } catch (Exception | LinkageError | AssertionError e) {
                return CompletableFuture.completedFuture(DeliveryOutcome.retryable("FUNCTION_ERROR",
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
    }

    private final class QueueTarget implements DeliveryTarget {
        private final String name;
        private final TargetEnvironment env;

        QueueTarget(String name, TargetEnvironment env) {
            this.name = name;
            this.env = env;
        }

        @Override
        public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
            InMemoryQueue q = queues.get(name);
            if (q == null) {
                return CompletableFuture.completedFuture(
                        DeliveryOutcome.permanent("NO_RESOURCE", "Queue " + name + " does not exist."));
            }
            q.add(new QueueMessage(delivery.payload(), delivery.messageAttributes(), env.clock().instant(),
                    delivery.eventId()));
            return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
        }
    }

    /** Puts the event, envelope unchanged, on another bus; events that arrived that way go no further. */
    private record BusTarget(String bus, TargetEnvironment env) implements DeliveryTarget {
        @Override
        public CompletableFuture<DeliveryOutcome> deliver(Delivery delivery) {
            return env instanceof Forwarder f ? f.forwardAsync(bus, delivery.eventJson()).toCompletableFuture()
                    : CompletableFuture.completedFuture(env.forward(bus, delivery.eventJson()));
        }
    }
}
