/**
 * The EventBridge-compatible HTTP server: the {@code AWSEvents.*} API over AWS JSON 1.1 on Netty, in front of an
 * embedded {@link io.busbar.core.Busbar}. The public surface is {@link io.busbar.server.BusbarServer} (and its
 * builder), {@link io.busbar.server.ConfigFile} and {@link io.busbar.server.ConfigException}; the handlers, the
 * operation mappings and SigV4 verification are package-private.
 */
package io.busbar.server;
