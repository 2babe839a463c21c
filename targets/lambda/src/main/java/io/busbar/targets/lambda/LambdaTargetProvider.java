package io.busbar.targets.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.busbar.core.spi.DeliveryTarget;
import io.busbar.core.spi.TargetEnvironment;
import io.busbar.core.spi.TargetProvider;
import io.busbar.core.spi.TargetSpec;
import java.net.http.HttpClient;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Targets for Lambda functions, {@code arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]}, invoked
 * asynchronously through the Lambda Invoke API at a configured endpoint. Found by {@link java.util.ServiceLoader}.
 *
 * <p>The bus's built-in provider is asked first and keeps the functions registered in the bus
 * ({@code Busbar.registerFunction}); this provider takes the other function ARNs, and only when
 * {@value #ENDPOINT_PROPERTY} is set: without it, an unregistered function stays unresolved (the bus then fails
 * its deliveries with {@code NO_RESOURCE}, and retries the lookup at the next delivery). Once a function ARN is
 * taken here, the bus keeps the target: registering an in-process function of that name later does not reroute it.
 *
 * <p>Properties (the bus builder's {@code property(name, value)}), validated when a target is created; a bad value
 * fails that target's deliveries with {@code INVALID_PARAMETER} and a message naming the property:
 * <ul>
 *   <li>{@value #ENDPOINT_PROPERTY}: the Lambda API's base URL, such as {@code http://localhost:4566};</li>
 *   <li>{@value #TIMEOUT_PROPERTY}: milliseconds one Invoke call may take (default 5000).</li>
 * </ul>
 * Outcomes and error codes: 2xx delivered; 429 ({@code THROTTLING}), 5xx and 409 ({@code SDK_CLIENT_ERROR}) and
 * timeouts ({@code TIMEOUT}) retried; 404 ({@code NO_RESOURCE}), 401/403 ({@code NO_PERMISSIONS}) and other
 * answers ({@code SDK_CLIENT_ERROR}) permanent.
 *
 * <p>Thread-safe. The targets of one bus share one HTTP client.
 */
public final class LambdaTargetProvider implements TargetProvider {
    /** The Lambda API's base URL; without it this provider takes no ARN. */
    public static final String ENDPOINT_PROPERTY = "busbar.lambda.endpoint";
    /** Milliseconds one Invoke call may take before it is a retryable {@code TIMEOUT} (default 5000). */
    public static final String TIMEOUT_PROPERTY = "busbar.lambda.timeoutMillis";

    private final ObjectMapper json = new ObjectMapper();
    /** One client per bus environment, weakly held so that closed buses are not kept. */
    private final Map<TargetEnvironment, HttpClient> clients = Collections.synchronizedMap(new WeakHashMap<>());

    /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor on the class path. */
    public LambdaTargetProvider() {
    }

    /**
     * A function target for a Lambda function ARN when an endpoint is configured; empty otherwise.
     *
     * @throws IllegalArgumentException naming the field, when the ARN's name or qualifier or a property is invalid
     */
    @Override
    public Optional<DeliveryTarget> create(TargetSpec spec, TargetEnvironment environment) {
        if (!FunctionArn.isFunctionArn(spec.arn())) {
            return Optional.empty();
        }
        LambdaSettings settings = LambdaSettings.from(environment.properties());
        if (settings == null) {
            return Optional.empty();
        }
        FunctionArn function = FunctionArn.parse(spec.arn());
        HttpClient client = clients.computeIfAbsent(environment, e -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade offer to plain-http emulators
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build());
        return Optional.of(new LambdaTarget(spec.arn(), function, settings, client, json, environment.clock()));
    }
}
