package io.tokenhost.remote.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * This manager's entry under {@code <cluster>/members}: an ephemeral node named by its address
 * whose data lists the services it provides (comma-separated, sorted), kept up to date and
 * recreated after a lost session (Curator's {@link PersistentNode}).
 */
final class MemberNode implements AutoCloseable {

    private final CuratorFramework client;
    private final String dir;
    private final Supplier<List<String>> providers;
    private final PersistentNode node;
    private volatile List<String> published;

    MemberNode(CuratorFramework client, String dir, String me, Supplier<List<String>> providers) {
        this.client = client;
        this.dir = dir;
        this.providers = providers;
        this.published = sorted(providers.get());
        this.node = new PersistentNode(client, CreateMode.EPHEMERAL, false, dir + "/" + me, encode(published));
    }

    void start() {
        node.start();
    }

    /** Publishes the providers if they changed since the last time. */
    void publish() throws Exception {
        List<String> now = sorted(providers.get());
        if (!now.equals(published)) {
            published = now;
            node.setData(encode(now));
        }
    }

    List<String> published() {
        return published;
    }

    List<String> members() throws Exception {
        return client.getChildren().forPath(dir);
    }

    /** What the member with this address provides; empty if it has no entry. */
    Optional<List<String>> providersOf(String member) throws Exception {
        try {
            String data = new String(client.getData().forPath(dir + "/" + member), StandardCharsets.UTF_8);
            return Optional.of(data.isEmpty() ? List.of() : Arrays.asList(data.split(",")));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    private static List<String> sorted(List<String> services) {
        return services.stream().sorted().distinct().toList();
    }

    private static byte[] encode(List<String> services) {
        return String.join(",", services).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            node.close();
        } catch (IOException e) {
            // the session ends anyway
        }
    }
}
