package io.busbar.core.schemas;

/** Whether a discoverer samples its bus. */
public enum DiscovererState {
    STARTED, STOPPED
}
