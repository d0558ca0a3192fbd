package io.tokenhost.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.ServiceStatus.State;
import io.tokenhost.api.TokenStatusView;
import io.tokenhost.api.telemetry.RemoteRole;
import io.tokenhost.api.telemetry.WorkerTelemetry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static ServiceStatus service(String name, State state, boolean enabled, Optional<Instant> validUntil,
            boolean holdsTokens) {
        return new ServiceStatus(name, "test", state, enabled, Optional.empty(), validUntil, Optional.empty(), 0,
                Optional.empty(), holdsTokens ? Optional.of("0123456789ab") : Optional.empty(), holdsTokens ? 8 : 0);
    }

    private static TokenStatusView view(List<ServiceStatus> services, List<ReceiverStatus> receivers) {
        return new TokenStatusView() {
            @Override
            public long containerVersion() {
                return 1;
            }

            @Override
            public List<ServiceStatus> services() {
                return services;
            }

            @Override
            public List<ReceiverStatus> receivers() {
                return receivers;
            }
        };
    }

    @Test
    void aManagerIsReadyWhileEveryEnabledProviderIsValidOrStillHoldsValidTokens() {
        HostViews views = new HostViews();
        assertThat(Readiness.check(views, NOW).status()).as("no token manager").isEqualTo(503);
        views.status(view(List.of(
                service("a", State.VALID, true, Optional.of(NOW.plusSeconds(60)), true),
                service("b", State.FAILING, true, Optional.of(NOW.plusSeconds(1)), true),
                service("c", State.DISABLED, false, Optional.empty(), false),
                service("d", State.DUPLICATE, true, Optional.empty(), false),
                service("e", State.NOT_REQUIRED, true, Optional.empty(), false)), List.of()));
        assertThat(Readiness.check(views, NOW).status()).isEqualTo(200);

        views.status(view(List.of(
                service("a", State.VALID, true, Optional.of(NOW.plusSeconds(60)), true),
                service("b", State.FAILING, true, Optional.of(NOW), true),
                service("p", State.PENDING, true, Optional.empty(), false)), List.of()));
        Readiness.Verdict verdict = Readiness.check(views, NOW);
        assertThat(verdict.status()).isEqualTo(503);
        assertThat(verdict.problems()).containsExactly("service 'b' is FAILING and holds no valid tokens",
                "service 'p' is PENDING and holds no valid tokens");
        assertThat(Readiness.json(verdict)).isEqualTo("{\"status\":\"not ready\",\"role\":\"standalone\",\"problems\":"
                + "[\"service 'b' is FAILING and holds no valid tokens\",\"service 'p' is PENDING and holds no valid"
                + " tokens\"]}\n");
    }

    @Test
    void aWorkerIsReadyWhileEveryServiceItReceivesHasUnexpiredTokens() {
        HostViews views = new HostViews();
        ReceiverStatus receiver = new ReceiverStatus("s3", "r", 0, Optional.empty(), Optional.empty(), 0, Optional.empty());
        views.status(view(List.of(), List.of(receiver, receiver)));
        Map<String, Optional<Instant>>[] received = new Map[] {Map.of()};
        views.role(new WorkerTelemetry() {
            @Override
            public String role() {
                return "worker";
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public Optional<Instant> lastContainer() {
                return Optional.of(NOW);
            }

            @Override
            public Map<String, Optional<Instant>> services() {
                return received[0];
            }
        });
        assertThat(Readiness.check(views, NOW).problems()).containsExactly("no tokens for service 's3' received from"
                + " the manager");
        received[0] = Map.of("s3", Optional.of(NOW.minusSeconds(1)));
        assertThat(Readiness.check(views, NOW).problems()).containsExactly("the tokens of service 's3' expired at "
                + NOW.minusSeconds(1));
        received[0] = Map.of("s3", Optional.of(NOW.plusSeconds(1)));
        assertThat(Readiness.check(views, NOW).status()).isEqualTo(200);
        received[0] = Map.of("s3", Optional.empty());
        assertThat(Readiness.check(views, NOW).status()).as("no expiry given").isEqualTo(200);
        assertThat(views.obtains()).isFalse();
    }

    @Test
    void aStandbyAnswers429() {
        HostViews views = new HostViews();
        views.role(new RemoteRole() {
            @Override
            public String role() {
                return "standby";
            }

            @Override
            public boolean standby() {
                return true;
            }
        });
        Readiness.Verdict verdict = Readiness.check(views, NOW);
        assertThat(verdict.status()).isEqualTo(429);
        assertThat(Readiness.json(verdict)).startsWith("{\"status\":\"standby\",\"role\":\"standby\"");
        assertThat(views.obtains()).isFalse();
    }
}
