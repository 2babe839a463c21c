/**
 * The values of the embedded EventBridge Scheduler (service {@code scheduler}, API 2021-06-30): schedule requests
 * and targets, schedule groups and what GetSchedule answers. The operations are on
 * {@link io.busbar.core.EventBridgeScheduler}, reached through {@link io.busbar.core.Busbar#scheduler()}.
 *
 * <p>Every value validates in its constructor against the API model's constraints and throws
 * {@link io.busbar.core.BusbarException} with code {@code ValidationException} and AWS's wording.
 */
package io.busbar.core.scheduler;
