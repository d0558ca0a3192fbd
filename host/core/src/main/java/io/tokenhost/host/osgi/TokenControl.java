package io.tokenhost.host.osgi;

import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.host.core.ManagerSettings;
import io.tokenhost.host.core.ReceivedService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the host's own shell may do beyond reading status. Not exported: host-internal. */
public interface TokenControl extends TokenStatusView {

    CompletableFuture<ServiceStatus> obtainNow(String service);

    Map<String, CompletableFuture<ServiceStatus>> obtainAllNow();

    ManagerSettings settings();

    /** On a worker: every service received from the manager, valid or expired; empty elsewhere. */
    List<ReceivedService> receivedServices();

    /**
     * Every key of the configuration in force with its value, in the order {@code token:config}
     * lists them; empty while none was ever accepted: the manager is then not started (idle).
     */
    Optional<Map<String, String>> configurationInForce();

    /** Why the last configuration was refused, if it was; the previous settings, if any, then still apply. */
    Optional<String> configurationProblem();

    /** Keys of the current configuration that were ignored. */
    List<String> configurationWarnings();

    /** Why this manager stands by and obtains nothing (another manager leads); empty while it leads. */
    Optional<String> standbyReason();
}
