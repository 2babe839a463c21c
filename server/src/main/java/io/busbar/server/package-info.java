/**
 * The EventBridge-compatible HTTP server (AWS JSON 1.1 over Netty). Empty until the server issue lands; the module
 * is declared now so that the build layout and the dependency direction are fixed.
 */
package io.busbar.server;
