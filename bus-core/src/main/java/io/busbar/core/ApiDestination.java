package io.busbar.core;

import java.time.Instant;

/**
 * An HTTP endpoint that rules can target (spec 6.2).
 *
 * @param name                         1–64 characters
 * @param arn                          {@code arn:aws:events:<region>:<account>:api-destination/<name>/<uuid>}
 * @param description                  or {@code null}
 * @param connectionArn                the connection whose authorization it uses
 * @param invocationEndpoint           the URL; each {@code *} is filled from the target's path parameters. Unlike
 *                                     AWS, plain {@code http://} is allowed: local services are the common case
 * @param httpMethod                   any method but CONNECT and TRACE
 * @param invocationRateLimitPerSecond at least 1
 * @param state                        {@code ACTIVE} or {@code INACTIVE}
 * @param created                      creation time
 * @param lastModified                 last change
 */
public record ApiDestination(String name, String arn, String description, String connectionArn,
                             String invocationEndpoint, String httpMethod, int invocationRateLimitPerSecond,
                             String state, Instant created, Instant lastModified) {
    static final java.util.List<String> METHODS = java.util.List.of("POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH",
            "DELETE");

    public ApiDestination {
        Names.check("name", name, Names.NAME, 1, 64);
        Names.optional("description", description, 512);
        Names.check("connectionArn", connectionArn, null, 1, 1600);
        Names.check("invocationEndpoint", invocationEndpoint, null, 1, 2048);
        if (!invocationEndpoint.startsWith("https://") && !invocationEndpoint.startsWith("http://")) {
            throw BusbarException.validation("invocationEndpoint: " + invocationEndpoint
                    + " (expected: an http or https URL)");
        }
        if (!METHODS.contains(httpMethod)) {
            throw BusbarException.constraint("httpMethod", String.valueOf(httpMethod),
                    "Member must satisfy enum value set: " + METHODS);
        }
        if (invocationRateLimitPerSecond < 1) {
            throw BusbarException.constraint("invocationRateLimitPerSecond",
                    String.valueOf(invocationRateLimitPerSecond), "Member must have value greater than or equal to 1");
        }
    }
}
