/**
 * The embedded event bus: buses, rules, targets and dispatch. Built on {@code io.busbar.pattern}; see the bus-core
 * issue for its scope. Empty until that issue lands: the module exists now so that the dependency direction
 * (pattern-matcher, bus-core, targets, server and cli) is fixed from the first build.
 */
package io.busbar.core;
