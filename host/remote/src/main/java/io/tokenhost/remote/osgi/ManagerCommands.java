package io.tokenhost.remote.osgi;

import io.tokenhost.host.common.TextTable;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.manager.WorkerInfo;
import java.time.Clock;
import java.time.Instant;

/** {@code token:workers} on a manager: every connected worker and how far it has acknowledged. */
public final class ManagerCommands {

    private final ManagerServer server;
    private final Clock clock;

    ManagerCommands(ManagerServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    public String workers() {
        long current = server.currentVersion();
        Instant now = clock.instant();
        TextTable table = new TextTable("WORKER", "ADDRESS", "CERTIFICATE SUBJECT", "ACKED", "CONNECTED SINCE", "LAG", "STATE");
        for (WorkerInfo w : server.workers()) {
            table.row(w.workerId(), w.address(), w.certificateSubject(), w.ackedVersion() == 0 ? "-" : w.ackedVersion(),
                    RelativeTime.ago(w.connectedSince(), now), w.lag(current), "connected");
        }
        int connected = server.workers().size();
        for (WorkerInfo w : server.departedWorkers()) {
            table.row(w.workerId(), w.address(), w.certificateSubject(), w.ackedVersion() == 0 ? "-" : w.ackedVersion(),
                    RelativeTime.ago(w.connectedSince(), now), w.lag(current),
                    "gone since " + w.disconnectedAt().map(t -> RelativeTime.ago(t, now)).orElse("?"));
        }
        StringBuilder refused = new StringBuilder();
        server.refusals().forEach((name, count) -> refused.append(refused.length() == 0 ? "" : ", ").append(name)
                .append(' ').append(count));
        String header = "Manager on port " + server.port() + ", current container version " + current + ", "
                + connected + " workers connected.\nRefused: " + refused + "\n";
        return table.isEmpty() ? header + "No workers connected." : header + table.render();
    }
}
