package io.tokenhost.hadoop.receiver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;

/**
 * Token aliases that the tokens of several services share. A Hadoop token file keeps one token per
 * alias, and an HDFS delegation token's alias is its NameNode's address: two tenants' tokens for
 * one cluster ({@code hadoopfs.alice} and {@code hadoopfs.bob}, proxy users of one NameNode) cannot
 * both be in one file, and a Hadoop client would use only one of them anyway. When the receiver
 * merges such services, the later service's token replaces the earlier one's
 * ({@code Credentials.addAll}); this names the casualties so that the receiver can say so.
 */
final class SharedAliases {

    private SharedAliases() {
    }

    /**
     * One line per alias held by more than one service, in the merge order of {@code byService}, e.g.
     * {@code 10.0.0.5:8020 (hadoopfs.alice, hadoopfs.bob: the file keeps hadoopfs.bob's)}; empty when
     * every alias has one service.
     */
    static List<String> describe(Map<String, Credentials> byService) {
        Map<Text, List<String>> holders = new LinkedHashMap<>();
        byService.forEach((service, credentials) -> credentials.getTokenMap().keySet()
                .forEach(alias -> holders.computeIfAbsent(alias, a -> new ArrayList<>()).add(service)));
        List<String> shared = new ArrayList<>();
        holders.forEach((alias, services) -> {
            if (services.size() > 1) {
                shared.add(alias + " (" + String.join(", ", services) + ": the file keeps "
                        + services.get(services.size() - 1) + "'s)");
            }
        });
        return shared;
    }
}
