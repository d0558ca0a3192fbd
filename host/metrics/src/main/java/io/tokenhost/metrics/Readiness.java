package io.tokenhost.metrics;

import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether the host can do its job now ({@code /ready}):
 *
 * <ul>
 *   <li>standalone or manager (with HA: the leader): every enabled provider is VALID or NOT_REQUIRED,
 *       or still holds tokens that are valid (a FAILING provider whose last tokens have not expired);
 *   <li>worker: every service it has receivers for has unexpired tokens from the manager;
 *   <li>standby manager (HA): {@value #STANDBY}, as Vault's standby answers.
 * </ul>
 */
final class Readiness {

    static final int READY = 200;
    static final int NOT_READY = 503;
    static final int STANDBY = 429;

    /** The answer: HTTP status and why not (empty when ready). */
    record Verdict(int status, String role, List<String> problems) {
        boolean ready() {
            return status == READY;
        }
    }

    private Readiness() {
    }

    static Verdict check(HostViews views, Instant now) {
        String role = views.roleName();
        if (views.standby()) {
            return new Verdict(STANDBY, role, List.of("standby: this manager does not lead (another one does, or"
                    + " no leader is elected yet: token:workers on it says which)"));
        }
        Optional<TokenStatusView> status = views.status();
        if (status.isEmpty()) {
            return new Verdict(NOT_READY, role, List.of("the token manager is not running"));
        }
        List<String> problems = views.worker().isPresent()
                ? workerProblems(views.worker().get(), status.get().receivers(), now)
                : providerProblems(status.get().services(), now);
        return new Verdict(problems.isEmpty() ? READY : NOT_READY, role, problems);
    }

    private static List<String> providerProblems(List<ServiceStatus> services, Instant now) {
        List<String> problems = new ArrayList<>();
        for (ServiceStatus s : services) {
            if (!s.enabled() || s.state() == ServiceStatus.State.DUPLICATE || s.state() == ServiceStatus.State.DISABLED) {
                continue;
            }
            boolean stateOk = s.state() == ServiceStatus.State.VALID || s.state() == ServiceStatus.State.NOT_REQUIRED;
            boolean tokensValid = s.fingerprint().isPresent() && s.validUntil().map(now::isBefore).orElse(true);
            if (!(stateOk || tokensValid)) {
                problems.add("service '" + s.serviceName() + "' is " + s.state() + " and holds no valid tokens");
            }
        }
        return problems;
    }

    private static List<String> workerProblems(WorkerTelemetry worker, List<ReceiverStatus> receivers, Instant now) {
        Map<String, Optional<Instant>> received = worker.services();
        List<String> problems = new ArrayList<>();
        for (String service : new TreeSet<>(receivers.stream().map(ReceiverStatus::serviceName).toList())) {
            Optional<Instant> until = received.get(service);
            if (until == null) {
                problems.add("no tokens for service '" + service + "' received from the manager");
            } else if (until.isPresent() && !now.isBefore(until.get())) {
                problems.add("the tokens of service '" + service + "' expired at " + until.get());
            }
        }
        return problems;
    }

    /** The small JSON body: {"status":"ready|not ready|standby","role":...,"problems":[...]}. */
    static String json(Verdict verdict) {
        String word = verdict.ready() ? "ready" : verdict.status() == STANDBY ? "standby" : "not ready";
        StringBuilder out = new StringBuilder("{\"status\":\"").append(word).append("\",\"role\":\"")
                .append(escape(verdict.role())).append("\",\"problems\":[");
        for (int i = 0; i < verdict.problems().size(); i++) {
            out.append(i == 0 ? "\"" : ",\"").append(escape(verdict.problems().get(i))).append('"');
        }
        return out.append("]}\n").toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
