/**
 * Where Busbar keeps what must survive a restart: the control plane ({@link io.busbar.core.store.ControlStore}) and
 * every accepted event until all its deliveries are finished. With a data directory both live in files under it;
 * without one, in memory.
 */
package io.busbar.core.store;
