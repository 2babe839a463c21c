/**
 * Test fixtures shared by Busbar's modules: {@link io.busbar.testing.ManualClock}, a clock that moves only when a
 * test says so, and {@link io.busbar.testing.LocalServer}, an HTTP server on a loopback port that records requests
 * and answers as told. Used in test scope only.
 */
package io.busbar.testing;
