package io.tokenhost.hadoop.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.junit.jupiter.api.Test;

class SharedAliasesTest {

    @Test
    void servicesWithTheirOwnAliasesShareNothing() {
        Map<String, Credentials> byService = new LinkedHashMap<>();
        byService.put("hadoopfs", credentials("A", "ha-hdfs:ns1"));
        byService.put("hadoopfs.b", credentials("B", "10.0.0.2:8020"));
        assertThat(SharedAliases.describe(byService)).isEmpty();
    }

    /** Two tenants of one NameNode: one alias, and the merged file keeps the later service's token. */
    @Test
    void twoTenantsOfOneNameNodeShareItsAddress() {
        Map<String, Credentials> byService = new LinkedHashMap<>();
        byService.put("hadoopfs.alice", credentials("ALICE", "10.0.0.5:8020"));
        byService.put("hadoopfs.bob", credentials("BOB", "10.0.0.5:8020", "10.0.0.6:8020"));
        byService.put("hadoopfs.carol", credentials("CAROL", "10.0.0.6:8020"));
        assertThat(SharedAliases.describe(byService)).containsExactly(
                "10.0.0.5:8020 (hadoopfs.alice, hadoopfs.bob: the file keeps hadoopfs.bob's)",
                "10.0.0.6:8020 (hadoopfs.bob, hadoopfs.carol: the file keeps hadoopfs.carol's)");

        Credentials merged = new Credentials();
        byService.values().forEach(merged::addAll); // as the receiver merges them
        assertThat(merged.getToken(new Text("10.0.0.5:8020")).getKind().toString()).isEqualTo("BOB");
    }

    private static Credentials credentials(String kind, String... aliases) {
        Credentials credentials = new Credentials();
        for (String alias : aliases) {
            credentials.addToken(new Text(alias), new Token<>(new byte[] {1}, new byte[] {2}, new Text(kind), new Text(alias)));
        }
        return credentials;
    }
}
