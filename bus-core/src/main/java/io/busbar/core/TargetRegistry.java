package io.busbar.core;

import io.busbar.core.spi.DeliveryOutcome;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns target ARNs into {@link DeliveryTarget}s: the bus's built-in kinds first, then the providers found with
 * {@link ServiceLoader} and those given to the builder. Targets are created once per (ARN, parameters) and reused.
 * An ARN that no provider takes resolves to a target that fails every delivery permanently with
 * {@code NO_RESOURCE}: EventBridge accepts any ARN at PutTargets and fails at delivery, and so does Busbar.
 */
final class TargetRegistry implements AutoCloseable {
    private final List<TargetProvider> providers;
    private final TargetEnvironment environment;
    private final ConcurrentMap<TargetSpec, DeliveryTarget> targets = new ConcurrentHashMap<>();

    TargetRegistry(List<TargetProvider> builtIn, List<TargetProvider> extra, boolean serviceLoader,
                   TargetEnvironment environment) {
        List<TargetProvider> all = new ArrayList<>(builtIn);
        all.addAll(extra);
        if (serviceLoader) {
            ServiceLoader.load(TargetProvider.class).forEach(all::add);
        }
        this.providers = List.copyOf(all);
        this.environment = environment;
    }

    DeliveryTarget resolve(TargetSpec spec) {
        DeliveryTarget t = targets.get(spec);
        if (t != null) {
            return t;
        }
        DeliveryTarget created = create(spec);
        if (created instanceof Unresolved) {
            return created; // not cached: the resource may appear later (a queue or function registered after)
        }
        DeliveryTarget raced = targets.putIfAbsent(spec, created);
        if (raced != null) {
            created.close();
            return raced;
        }
        return created;
    }

    private DeliveryTarget create(TargetSpec spec) {
        for (TargetProvider p : providers) {
            Optional<DeliveryTarget> t;
            try {
                t = p.create(spec, environment);
            } catch (IllegalArgumentException e) {
                return new Unresolved("INVALID_PARAMETER", e.getMessage());
            }
            if (t.isPresent()) {
                return t.get();
            }
        }
        return new Unresolved("NO_RESOURCE", "No target can be resolved for " + spec.arn());
    }

    /**
     * Why no provider takes the spec's parameters (a provider refused them, naming the field), or null. A resource
     * that does not exist yet is not a reason: a queue or function may be registered after its target is put.
     */
    String invalidParameters(TargetSpec spec) {
        return resolve(spec) instanceof Unresolved u && u.code().equals("INVALID_PARAMETER") ? u.message() : null;
    }

    /** Forgets the cached target for a spec (its resource went away). */
    void evict(TargetSpec spec) {
        DeliveryTarget t = targets.remove(spec);
        if (t != null) {
            t.close();
        }
    }

    @Override
    public void close() {
        targets.values().forEach(DeliveryTarget::close);
        targets.clear();
    }

    /** A target that no provider could build: every delivery fails for good. */
    private record Unresolved(String code, String message) implements DeliveryTarget {
        @Override
        public CompletableFuture<DeliveryOutcome> deliver(io.busbar.core.spi.Delivery delivery) {
            return CompletableFuture.completedFuture(DeliveryOutcome.permanent(code, message));
        }
    }
}
