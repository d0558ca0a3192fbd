/**
 * Prometheus metrics, {@code /live} and {@code /ready} on one HTTP endpoint (PID
 * {@value io.tokenhost.metrics.MetricsConfig#PID}), and the audit log ({@code log/audit.jsonl}).
 * Not exported: the bundle offers only {@link io.tokenhost.api.telemetry.TokenEvents} observers.
 */
package io.tokenhost.metrics;
