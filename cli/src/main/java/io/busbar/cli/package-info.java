/**
 * The {@code busbar} command line. Empty until the server and CLI issue lands; the module is declared now so that
 * the build layout and the dependency direction are fixed.
 */
package io.busbar.cli;
