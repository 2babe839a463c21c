/**
 * The target SPI: {@link io.busbar.core.spi.TargetProvider}s, found with {@link java.util.ServiceLoader}, turn a
 * target ARN into a {@link io.busbar.core.spi.DeliveryTarget}, which completes each
 * {@link io.busbar.core.spi.Delivery} with a {@link io.busbar.core.spi.DeliveryOutcome}.
 */
package io.busbar.core.spi;
