/** What the manager and worker roles tell the metrics and audit bundle. */
package io.tokenhost.remote.telemetry;
