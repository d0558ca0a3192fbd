package io.tokenhost.remote.osgi;

import io.tokenhost.host.common.TextTable;
import io.tokenhost.remote.ha.LeaderElection;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.manager.WorkerInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code token:workers} on a manager: every connected worker and how far it has acknowledged; with
 * high availability also whether this manager leads, its epoch, the leader and the standbys.
 */
public final class ManagerCommands {

    private final ManagerServer server;
    private final Supplier<Optional<LeaderElection.Status>> election;
    private final Clock clock;

    ManagerCommands(ManagerServer server, Supplier<Optional<LeaderElection.Status>> election, Clock clock) {
        this.server = server;
        this.election = election;
        this.clock = clock;
    }

    private String leadership() {
        Optional<LeaderElection.Status> ha = election.get();
        ManagerServer.Term term = server.term();
        if (ha.isEmpty()) {
            return "";
        }
        LeaderElection.Status s = ha.get();
        return (term.leading() ? "Role: LEADER, epoch " + term.epoch() : "Role: STANDBY (" + term.why() + ")")
                + "; leader: " + s.leader().orElse("none known") + "; standbys: "
                + (s.standbys().isEmpty() ? "none" : String.join(", ", s.standbys())) + "; ZooKeeper: " + s.state()
                + (term.leading() ? "" : "; " + server.heldWorkers() + " workers held here (pre-held streams, welcomed"
                        + " when this manager leads), " + server.waitingWorkers() + " workers waiting here for a leader")
                + ".\n";
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
        String header = leadership() + "Manager on port " + server.port() + ", current container version " + current + ", "
                + connected + " workers connected.\nRefused: " + refused + "\n";
        return table.isEmpty() ? header + "No workers connected." : header + table.render();
    }
}
