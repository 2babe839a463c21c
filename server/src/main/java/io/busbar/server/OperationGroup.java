package io.busbar.server;

/** The operations of one resource (rules, targets, buses, ...), registered together. */
interface OperationGroup {
    void register(Operations.Registry registry);
}
