package io.tokenhost.remote.ha;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * This manager's entry under {@code <cluster>/members}: an ephemeral node named by its address
 * whose data is its {@link MemberEntry} (the services it provides, and its access policy), kept up
 * to date and recreated after a lost session (Curator's {@link PersistentNode}).
 */
final class MemberNode implements AutoCloseable {

    private final CuratorFramework client;
    private final String dir;
    private final Supplier<MemberEntry> entry;
    private final PersistentNode node;
    private volatile MemberEntry published;

    MemberNode(CuratorFramework client, String dir, String me, Supplier<MemberEntry> entry) {
        this.client = client;
        this.dir = dir;
        this.entry = entry;
        this.published = entry.get();
        this.node = new PersistentNode(client, CreateMode.EPHEMERAL, false, dir + "/" + me, published.encode());
    }

    void start() {
        node.start();
    }

    /** Publishes the entry if it changed since the last time. */
    void publish() throws Exception {
        MemberEntry now = entry.get();
        if (!now.equals(published)) {
            published = now;
            node.setData(now.encode());
        }
    }

    MemberEntry published() {
        return published;
    }

    List<String> members() throws Exception {
        return client.getChildren().forPath(dir);
    }

    /** What the member with this address published; empty if it has no entry. */
    Optional<MemberEntry> entryOf(String member) throws Exception {
        try {
            return Optional.of(MemberEntry.parse(client.getData().forPath(dir + "/" + member)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
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
