/**
 * API destinations as targets (spec 6): {@link io.busbar.targets.http.ApiDestinationTargetProvider} answers for
 * {@code arn:aws:events:<region>:<account>:api-destination/<name>/<uuid>} and invokes the destination's HTTP
 * endpoint with the JDK's non-blocking {@link java.net.http.HttpClient}, authorized by the destination's connection
 * (basic, API key, or an OAuth client-credentials token that is cached and refreshed).
 *
 * <p>Everything but the provider is package-private: the bus finds the provider with
 * {@link java.util.ServiceLoader} and talks to the targets it makes only through the SPI.
 */
package io.busbar.targets.http;
