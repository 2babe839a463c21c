/**
 * The EventBridge event-pattern language: validation, compilation and matching.
 *
 * <p>The public surface is small:
 * <ul>
 *   <li>{@link io.busbar.pattern.EventPattern#compile(String)} validates one pattern and fails with
 *       {@link io.busbar.pattern.InvalidEventPatternException} carrying EventBridge's message;</li>
 *   <li>{@link io.busbar.pattern.RuleSet} is an immutable, compiled set of named patterns: {@code with} and
 *       {@code without} return a new set that shares every part the change did not touch, and {@code match}
 *       returns the names of the rules an event matches;</li>
 *   <li>{@link io.busbar.pattern.LiveRuleSet} publishes successive rule sets with one atomic write, so readers never
 *       lock and never see half a change;</li>
 *   <li>{@link io.busbar.pattern.RuleSet#explain(String, String)} says why an event does or does not match a rule;</li>
 *   <li>{@link io.busbar.pattern.EventLayout} lets a producer that writes its own events say where each top-level
 *       member's value starts, so that matching skips the keys.</li>
 * </ul>
 * Everything under {@code io.busbar.pattern.internal} is implementation and may change at any time.
 */
package io.busbar.pattern;
