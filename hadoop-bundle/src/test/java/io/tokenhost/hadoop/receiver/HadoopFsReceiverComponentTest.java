package io.tokenhost.hadoop.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenReceiver;
import io.tokenhost.hadoop.support.TokenStorage;
import io.tokenhost.hadoop.support.testing.ComponentInFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.Test;

/** The receiver component in a real framework: the receiver in force after each configuration. */
class HadoopFsReceiverComponentTest extends ComponentInFramework<HadoopFsReceiverComponent> {

    HadoopFsReceiverComponentTest() {
        super(new HadoopFsReceiverComponent());
    }

    @Test
    void withoutConfigurationTheDefaultsApply() throws Exception {
        component.activate(framework.context(), Map.of("component.name", "x"));
        assertThat(framework.serviceIds(DelegationTokenReceiver.class)).hasSize(1);
        assertThat(problems.reports).containsExactly("accepted io.tokenhost.hadoop.receiver");
    }

    @Test
    void aRefusedConfigurationStartsNoReceiver() throws Exception {
        component.activate(framework.context(), Map.of("install-in-process", "yes"));
        assertThat(framework.serviceIds(DelegationTokenReceiver.class)).isEmpty();
        assertThat(problems.reports).containsExactly("refused io.tokenhost.hadoop.receiver: "
                + "install-in-process: must be true or false, got 'yes' (not started)");
    }

    @Test
    void aBadModificationKeepsTheTokenFileInForce() throws Exception {
        Path first = dir.resolve("first.token");
        component.activate(framework.context(), Map.of("token-file", first.toString(), "install-in-process", "false"));
        List<Long> ids = framework.serviceIds(DelegationTokenReceiver.class);

        component.modified(Map.of("token-file", dir.resolve("second.token").toString(), "install-in-process", "no"));
        assertThat(framework.serviceIds(DelegationTokenReceiver.class)).isEqualTo(ids);
        framework.service(DelegationTokenReceiver.class).onNewTokensObtained(tokens());
        assertThat(first).as("the previous settings stay in force").exists();
        assertThat(dir.resolve("second.token")).doesNotExist();

        component.modified(Map.of("token-file", dir.resolve("second.token").toString(), "install-in-process", "false"));
        assertThat(framework.serviceIds(DelegationTokenReceiver.class)).hasSize(1).doesNotContainAnyElementsOf(ids);
        framework.service(DelegationTokenReceiver.class).onNewTokensObtained(tokens());
        assertThat(dir.resolve("second.token")).exists();
        assertThat(Files.readAllBytes(dir.resolve("second.token"))).isEqualTo(tokens());
    }

    /** Several services (one per cluster) share one token file: each adds its tokens, and takes them away when withdrawn. */
    @Test
    void severalServicesShareOneTokenFile() throws Exception {
        Path file = dir.resolve("merged.token");
        component.activate(framework.context(), Map.of("token-file", file.toString(), "install-in-process", "false",
                "services", "hadoopfs, hadoopfs.b"));
        Map<String, DelegationTokenReceiver> receivers = new java.util.HashMap<>();
        for (org.osgi.framework.ServiceReference<DelegationTokenReceiver> ref
                : framework.context().getServiceReferences(DelegationTokenReceiver.class, null)) {
            DelegationTokenReceiver receiver = framework.context().getService(ref);
            receivers.put(receiver.serviceName(), receiver);
        }
        assertThat(receivers).containsOnlyKeys("hadoopfs", "hadoopfs.b");

        receivers.get("hadoopfs").onNewTokensObtained(tokens("ha-hdfs:ns1"));
        receivers.get("hadoopfs.b").onNewTokensObtained(tokens("10.0.0.2:8020"));
        assertThat(servicesIn(file)).containsExactlyInAnyOrder("ha-hdfs:ns1", "10.0.0.2:8020");
        receivers.get("hadoopfs").onNewTokensObtained(tokens("ha-hdfs:ns1"));
        assertThat(servicesIn(file)).as("a renewal of one keeps the other").containsExactlyInAnyOrder("ha-hdfs:ns1", "10.0.0.2:8020");

        receivers.get("hadoopfs.b").onTokensWithdrawn();
        assertThat(servicesIn(file)).containsExactly("ha-hdfs:ns1");
        receivers.get("hadoopfs").onTokensWithdrawn();
        assertThat(file).as("no tokens left").doesNotExist();
    }

    private static List<String> servicesIn(Path file) throws Exception {
        return TokenStorage.parse(Files.readAllBytes(file)).getAllTokens().stream()
                .map(t -> t.getService().toString()).toList();
    }

    private static byte[] tokens() throws Exception {
        return tokens("test");
    }

    private static byte[] tokens(String service) throws Exception {
        Credentials credentials = new Credentials();
        credentials.addToken(new Text(service), new Token<>(new byte[] {1, 2}, new byte[] {3, 4}, new Text("TEST_KIND"),
                new Text(service)));
        return TokenStorage.serialize(credentials);
    }
}
