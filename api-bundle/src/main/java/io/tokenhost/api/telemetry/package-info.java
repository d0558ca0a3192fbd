/**
 * What the host and its remote bundle tell an observer (the metrics and audit bundle), as events
 * and read-only views. Nothing here carries token bytes: tokens appear as a short fingerprint.
 *
 * <ul>
 *   <li>{@link io.tokenhost.api.telemetry.TokenEvents}: a whiteboard service; the host calls every
 *       registered one when an obtain ends, a receiver is handed tokens or a withdrawal, and a
 *       manager pushes a container or has it acknowledged by every worker.</li>
 *   <li>{@link io.tokenhost.api.telemetry.RemoteRole}: registered by the remote bundle while a
 *       manager or worker role runs; {@link io.tokenhost.api.telemetry.ManagerTelemetry} and
 *       {@link io.tokenhost.api.telemetry.WorkerTelemetry} say what that role sees.</li>
 * </ul>
 *
 * <p>1.0.0: first version.
 */
@Export
@Version("1.0.0")
package io.tokenhost.api.telemetry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
