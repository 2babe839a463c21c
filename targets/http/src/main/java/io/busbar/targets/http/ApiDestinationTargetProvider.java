package io.busbar.targets.http;

import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * Targets for API destinations, {@code arn:aws:events:<region>:<account>:api-destination/<name>/<uuid>}
 * (spec 6): each delivery invokes the destination's HTTP endpoint, authorized by its connection, with the
 * target's {@code HttpParameters}. Found by {@link java.util.ServiceLoader}; nothing to call directly.
 *
 * <p>Unlike EventBridge, plain {@code http://} endpoints are allowed (local services are the common case), and a
 * target's {@code RoleArn} is accepted but not needed. What counts as delivered, retryable or permanent, and the
 * error codes, are listed in the module's {@code HttpOutcomes}: 2xx delivered; 429 ({@code THROTTLING}) and 5xx
 * ({@code SDK_CLIENT_ERROR}) retried after at least their {@code Retry-After}, not at all when it is negative; other
 * answers permanent; no answer within the timeout a retryable {@code TIMEOUT}.
 *
 * <p>Properties (the bus builder's {@code property(name, value)}), validated when a target is created; a bad value
 * fails that target's deliveries with {@code INVALID_PARAMETER} and a message naming the property:
 * <ul>
 *   <li>{@value #TIMEOUT_PROPERTY}: milliseconds one HTTP exchange may take (default 5000, EventBridge's limit);</li>
 *   <li>{@value #MAX_RATE_LIMIT_DELAY_PROPERTY}: milliseconds a delivery over the destination's rate limit is held
 *       in the target before it is handed back to the bus as a retryable {@code THROTTLING} (default 5000; 0
 *       hands every excess delivery back).</li>
 * </ul>
 * An attempt can take up to the rate-limit delay plus four exchanges (token, invocation, and once more after a
 * 401), 25 s by default; keep the bus's {@code deliveryTimeout} (30 s by default) above that, so the target
 * answers before the bus gives up on it.
 *
 * <p>Thread-safe. Targets made for one bus share one HTTP client, the OAuth tokens of each connection and the rate
 * limiter of each destination.
 */
public final class ApiDestinationTargetProvider implements TargetProvider {
    /** Milliseconds one HTTP exchange may take before it is a retryable {@code TIMEOUT} (default 5000). */
    public static final String TIMEOUT_PROPERTY = "busbar.http.timeoutMillis";
    /** Milliseconds a delivery over the rate limit may be held before it is handed back (default 5000). */
    public static final String MAX_RATE_LIMIT_DELAY_PROPERTY = "busbar.http.maxRateLimitDelayMillis";

    private static final Pattern ARN = Pattern.compile(
            "arn:aws[\\w-]*:events:[^:]*:[^:]*:api-destination/[.\\-_A-Za-z0-9]+/[\\-A-Za-z0-9]+");

    /** By environment (one per bus), weakly, so a provider handed to several buses does not keep closed ones. */
    private final Map<TargetEnvironment, TargetResources> resources = Collections.synchronizedMap(new WeakHashMap<>());

    /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor on the class path. */
    public ApiDestinationTargetProvider() {
    }

    /**
     * An API destination target for an API destination ARN; empty for any other ARN. The destination need not
     * exist yet: it is looked up at each delivery.
     *
     * @throws IllegalArgumentException naming the field, when {@code HttpParameters} or a property is invalid
     */
    @Override
    public Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment environment) {
        if (!ARN.matcher(spec.arn()).matches()) {
            return Optional.empty();
        }
        TargetResources shared = resourcesFor(environment);
        HttpParameters params = HttpParameters.parse(shared.json, spec.parameters().get(HttpParameters.MEMBER));
        return Optional.of(new ApiDestinationTarget(spec.arn(), params, environment, shared));
    }

    private TargetResources resourcesFor(TargetEnvironment environment) {
        synchronized (resources) {
            TargetResources r = resources.get(environment);
            if (r == null) {
                r = new TargetResources(HttpTargetSettings.from(environment.properties()), environment.clock());
                resources.put(environment, r);
            }
            return r;
        }
    }
}
