/**
 * Internal to Busbar: shared by its own packages, not part of the API, and free to change between versions.
 */
package io.busbar.core.internal;
