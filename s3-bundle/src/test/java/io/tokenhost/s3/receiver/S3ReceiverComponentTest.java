package io.tokenhost.s3.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.s3.testing.Framework;
import io.tokenhost.s3.testing.RecordedProblems;
import io.tokenhost.s3.token.CredentialsCodec;
import io.tokenhost.s3.token.SessionCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/** The receiver component in a real framework: the receiver and supplier in force after each configuration. */
class S3ReceiverComponentTest {

    private static final byte[] TOKENS = CredentialsCodec.encode(new SessionCredentials("ASIAEXAMPLE", "temporary-secret",
            "session-token", Instant.parse("2026-11-23T12:00:00Z")));

    @TempDir
    Path dir;

    private Framework framework;
    private final RecordedProblems problems = new RecordedProblems();
    private final S3ReceiverComponent component = new S3ReceiverComponent();

    @BeforeEach
    void start() throws Exception {
        framework = new Framework(dir.resolve("framework"));
        component.bindProblems(problems);
    }

    @AfterEach
    void stop() throws Exception {
        component.deactivate();
        framework.close();
    }

    private Map<String, Object> lake(String profile) {
        return Map.of("service.pid", "io.tokenhost.s3.receiver~lake", "credentials-file",
                dir.resolve("credentials").toString(), "profile", profile);
    }

    @Test
    void aRefusedConfigurationRegistersNothing() throws Exception {
        component.activate(framework.context(), lake("two words"));
        assertThat(framework.references(DelegationTokenReceiver.class)).isEmpty();
        assertThat(framework.references(Supplier.class)).isEmpty();
        assertThat(problems.reports).singleElement().asString()
                .startsWith("refused io.tokenhost.s3.receiver~lake: profile: must be").endsWith("(not started)");
    }

    @Test
    void aBadModificationKeepsTheReceiverAndAGoodOneReplacesItsProfile() throws Exception {
        component.activate(framework.context(), lake("first"));
        List<ServiceReference<?>> receivers = framework.references(DelegationTokenReceiver.class);
        ServiceReference<?> supplier = framework.references(Supplier.class).get(0);
        assertThat(supplier.getProperty("tokenhost.s3.credentials")).isEqualTo("s3.lake");
        framework.<DelegationTokenReceiver>service(receivers.get(0)).onNewTokensObtained(TOKENS);
        assertThat(framework.<Supplier<Map<String, String>>>service(supplier).get()).containsEntry("aws_access_key_id", "ASIAEXAMPLE");

        component.modified(lake("second profile"));
        assertThat(framework.references(DelegationTokenReceiver.class)).isEqualTo(receivers);
        assertThat(Files.readString(dir.resolve("credentials"))).contains("[first]");

        component.modified(lake("second"));
        List<ServiceReference<?>> replaced = framework.references(DelegationTokenReceiver.class);
        assertThat(replaced).hasSize(1).doesNotContainAnyElementsOf(receivers);
        assertThat(dir.resolve("credentials")).as("the old profile was withdrawn with the old receiver").doesNotExist();
        framework.<DelegationTokenReceiver>service(replaced.get(0)).onNewTokensObtained(TOKENS);
        assertThat(Files.readString(dir.resolve("credentials"))).contains("[second]").doesNotContain("[first]");
    }
}
