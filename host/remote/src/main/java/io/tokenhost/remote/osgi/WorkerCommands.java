package io.tokenhost.remote.osgi;

import io.tokenhost.remote.worker.ManagerLinkStatus;
import io.tokenhost.remote.worker.WorkerClient;
import java.time.Clock;
import java.time.Instant;

/** {@code token:manager} on a worker: the link to the manager and the last container received. */
public final class WorkerCommands {

    private final WorkerClient client;
    private final Clock clock;

    WorkerCommands(WorkerClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public String manager() {
        ManagerLinkStatus s = client.status();
        Instant now = clock.instant();
        StringBuilder out = new StringBuilder();
        out.append("Manager:        ").append(s.managerAddress()).append('\n');
        if (s.managerAddress().contains(",")) {
            out.append("Current:        ").append(s.current()).append(s.leaderEpoch().map(e -> " (leader, epoch " + e + ")")
                    .orElse("")).append('\n');
        }
        if (s.fence() > 0) {
            out.append("Fence:          nothing applied below leader epoch ").append(s.fence()).append('\n');
        }
        out.append("Worker id:      ").append(s.workerId()).append('\n');
        out.append("Connected:      ").append(s.connected()
                ? "yes, since " + s.connectedSince().map(t -> RelativeTime.ago(t, now)).orElse("-") : "no").append('\n');
        out.append("Last version:   ").append(s.lastVersion() == 0 ? "-" : s.lastVersion()).append('\n');
        out.append("Received:       ").append(s.lastReceived().map(t -> RelativeTime.ago(t, now)).orElse("never")).append('\n');
        out.append("Applied:        ").append(s.containersApplied()).append(" containers, ")
                .append(s.framesRefused()).append(" malformed frames refused\n");
        s.lastError().ifPresent(e -> out.append("Last error:     ").append(e).append('\n'));
        s.nextAttempt().ifPresent(t -> out.append("Next attempt:   ").append(t).append('\n'));
        return out.toString();
    }
}
