package io.tokenhost.remote.ha;

import static io.tokenhost.remote.config.RemoteConfig.HA_CLUSTER_ID;
import static io.tokenhost.remote.config.RemoteConfig.HA_QUORUM;
import static io.tokenhost.remote.config.RemoteConfig.HA_ROOT;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This manager's part in the election of one leader among the managers of a cluster: a Curator
 * {@link LeaderLatch} on ZooKeeper under {@code <root>/<cluster-id>/leader}, whose participant id
 * is the address workers reach this manager at.
 *
 * <p>On winning, the leader takes a <em>leader epoch</em> from ZooKeeper: it rewrites the node
 * {@code <cluster>/epoch} and uses the zxid of that write, which grows with every write to the
 * ensemble and so with every election (even if the node were deleted and created again); only
 * then, and only if it still leads and is connected, is it {@linkplain Listener#elected elected}.
 * The moment its ZooKeeper connection is SUSPENDED or LOST (the connection-state thread, without
 * waiting for anything) it is {@linkplain Listener#notLeading not leading}; ZooKeeper expires its
 * session only later, so a new leader is elected after the old one stopped. Members publish the
 * services they provide and their access policy under {@code <cluster>/members} ({@link
 * MemberEntry}): a standby whose providers or access policy differ from the leader's withdraws from
 * the election and says so. Every problem (ZooKeeper unreachable, an ACL
 * refusal, different providers) is an ERROR naming it and the reason this manager does not lead.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    private static final long REFRESH_MILLIS = 500;

    /** Told of every change; calls never overlap. */
    public interface Listener {
        /** This manager leads under {@code epoch}, higher than any earlier leader's. */
        void elected(long epoch);

        /** This manager does not lead: why, and the leader's address if known. */
        void notLeading(String why, Optional<String> leader);
    }

    /** For {@code token:workers}: the election as this manager sees it. */
    public record Status(boolean leading, long epoch, Optional<String> leader, List<String> standbys, String state) {
    }

    private final HaSettings settings;
    private final String me;
    private final Supplier<List<String>> providers;
    private final Supplier<Optional<String>> accessPolicy;
    private final Listener listener;
    private final ScheduledExecutorService events;
    private final Object termLock = new Object();

    private CuratorFramework client;
    private LeaderLatch latch;
    private MemberNode member;
    private boolean closed;
    private boolean connected;
    private boolean everConnected;
    private boolean leading;
    private long epoch;
    /** What the listener was last told while not leading (so that it is told only of changes). */
    private String toldWhy;
    private Optional<String> toldLeader = Optional.empty();
    private volatile Optional<String> leader = Optional.empty();
    private volatile List<String> participants = List.of();
    private volatile String state = "starting";
    /** When the providers were first seen to differ from the leader's (System.nanoTime); 0: they match. */
    private long mismatchSince;
    /** Why this manager keeps out of the election (ACL refusal, different providers); null: it takes part. */
    private String withdrawn;
    /** Whether {@link #withdrawn} is a difference from the leader's entry (it rejoins once they agree). */
    private boolean withdrawnForDifference;

    /**
     * @param me host:port under which workers reach this manager (its participant id)
     * @param providers the services this manager provides, compared with the leader's
     */
    public LeaderElection(HaSettings settings, String me, Supplier<List<String>> providers, Listener listener) {
        this(settings, me, providers, Optional::empty, listener);
    }

    /**
     * @param accessPolicy this manager's configured access policy as {@code AccessPolicy.describe()}
     *     shows it (empty without {@code access.*} keys), compared with the leader's
     */
    public LeaderElection(HaSettings settings, String me, Supplier<List<String>> providers,
            Supplier<Optional<String>> accessPolicy, Listener listener) {
        this.settings = settings;
        this.me = me;
        this.providers = providers;
        this.accessPolicy = accessPolicy;
        this.listener = listener;
        this.events = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-ha");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        LOG.info("Joining the election of cluster '{}' at ZooKeeper {} as {} (session timeout {} ms, connection"
                + " timeout {} ms)", settings.clusterId(), settings.quorum(), me, settings.sessionTimeout().toMillis(),
                settings.connectionTimeout().toMillis());
        client = CuratorFrameworkFactory.builder()
                .connectString(settings.quorum())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(200, 29, 2000))
                .threadFactory(task -> {
                    Thread thread = new Thread(task, "tokenhost-ha-zookeeper");
                    thread.setDaemon(true);
                    return thread;
                })
                .build();
        // directly on Curator's thread: a leader cut off from ZooKeeper must stop pushing without waiting
        client.getConnectionStateListenable().addListener((c, newState) -> connectionChanged(newState));
        client.start();
        events.schedule(this::checkReached, settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        events.scheduleWithFixedDelay(this::refresh, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    public Status status() {
        synchronized (termLock) {
            Optional<String> l = leading ? Optional.of(me) : leader;
            List<String> standbys = participants.stream().filter(p -> l.map(x -> !x.equals(p)).orElse(true)).toList();
            return new Status(leading, epoch, l, standbys, state);
        }
    }

    // ---- connection

    private void connectionChanged(ConnectionState newState) {
        synchronized (termLock) {
            if (closed) {
                return;
            }
            state = newState.name().toLowerCase(java.util.Locale.ROOT);
            if (newState.isConnected()) {
                connected = true;
                if (!everConnected) {
                    everConnected = true;
                    events.execute(this::join);
                } else {
                    LOG.info("ZooKeeper connection {} again ({}); taking part in the election again", state,
                            settings.quorum());
                }
                return;
            }
            connected = false;
            leader = Optional.empty();
            String why = newState == ConnectionState.LOST ? "lost the ZooKeeper session (" + settings.quorum() + ")"
                    : "the ZooKeeper connection is suspended (" + settings.quorum() + ")";
            if (leading) {
                leading = false;
                LOG.error("Stopped leading at once: {}", why);
            } else if (newState == ConnectionState.LOST) {
                LOG.error("Not leading: {}; retrying", why);
            } else {
                LOG.warn("Not leading: {}", why);
            }
            tell(why, Optional.empty());
        }
    }

    /** After the connection timeout: an ERROR if ZooKeeper was never reached. */
    private void checkReached() {
        synchronized (termLock) {
            if (!everConnected && !closed) {
                String why = "cannot reach ZooKeeper at " + settings.quorum() + " (" + HA_QUORUM + ") within "
                        + settings.connectionTimeout().toMillis() + " ms";
                LOG.error("{}: this manager does not lead and keeps trying", why);
                tell(why, Optional.empty());
            }
        }
    }

    // ---- the election

    /** First connection: create the cluster's nodes, publish this member, enter the election. */
    private void join() {
        try {
            createPaths();
            member = new MemberNode(client, settings.clusterPath() + "/members", me,
                    () -> new MemberEntry(providers.get(), accessPolicy.get()));
            member.start();
            enter();
        } catch (KeeperException.NoAuthException e) {
            withdraw("ZooKeeper refused access to " + e.getPath() + " (ACL; check " + HA_ROOT + " and the ACLs of that"
                    + " path): this manager cannot take part in the election", false);
            events.schedule(this::join, 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Could not join the election yet ({}); retrying", e.toString());
            events.schedule(this::join, settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void createPaths() throws Exception {
        String root = settings.clusterPath().substring(0, settings.clusterPath().lastIndexOf('/'));
        if (client.checkExists().forPath(settings.clusterPath()) == null) {
            List<String> others = client.checkExists().forPath(root) == null ? List.of()
                    : client.getChildren().forPath(root);
            if (!others.isEmpty()) {
                LOG.warn("Cluster '{}' is new under {} in ZooKeeper, which holds the clusters {}: if this manager is"
                        + " meant to join one of them, {} is wrong", settings.clusterId(), root, others, HA_CLUSTER_ID);
            }
        }
        for (String node : List.of("/epoch", "/leader", "/members")) {
            try {
                client.create().creatingParentsIfNeeded().forPath(settings.clusterPath() + node);
            } catch (KeeperException.NodeExistsException e) {
                // made by another manager or an earlier run
            }
        }
    }

    private void enter() throws Exception {
        synchronized (termLock) {
            if (closed || latch != null) {
                return;
            }
            withdrawn = null;
            withdrawnForDifference = false;
            latch = new LeaderLatch(client, settings.clusterPath() + "/leader", me);
            latch.addListener(new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    events.execute(LeaderElection.this::won);
                }

                @Override
                public void notLeader() {
                    events.execute(LeaderElection.this::lostLatch);
                }
            });
            latch.start();
        }
    }

    /** Leaves the election (the latch is closed: another member may win), saying why at ERROR. */
    private void withdraw(String why, boolean difference) {
        LeaderLatch toClose;
        synchronized (termLock) {
            if (why.equals(withdrawn)) {
                return;
            }
            withdrawn = why;
            withdrawnForDifference = difference;
            toClose = latch;
            latch = null;
            if (leading) {
                leading = false;
            }
            LOG.error("Not leading: {}", why);
            tell(why, leader);
        }
        closeQuietly(toClose);
    }

    /** On the events thread: the latch says this manager won; take an epoch, then lead if still allowed. */
    private void won() {
        long newEpoch;
        try {
            newEpoch = nextEpoch();
        } catch (Exception e) {
            LOG.error("Won the election but could not take a leader epoch from ZooKeeper ({}); leaving the election"
                    + " and joining it again", e.toString());
            rejoin();
            return;
        }
        synchronized (termLock) {
            if (closed || !connected || latch == null || !latch.hasLeadership() || leading) {
                return;
            }
            leading = true;
            epoch = newEpoch;
            toldWhy = null;
            LOG.info("Elected leader of cluster '{}' under epoch {}", settings.clusterId(), newEpoch);
            listener.elected(newEpoch);
        }
    }

    private void rejoin() {
        LeaderLatch old;
        synchronized (termLock) {
            old = latch;
            latch = null;
        }
        closeQuietly(old);
        events.schedule(() -> {
            try {
                enter();
            } catch (Exception e) {
                LOG.warn("Could not join the election again ({})", e.toString());
            }
        }, settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The zxid of a write to the epoch node: higher than that of any write before it in the ensemble. */
    private long nextEpoch() throws Exception {
        Stat stat = client.setData().forPath(settings.clusterPath() + "/epoch", me.getBytes(StandardCharsets.UTF_8));
        return stat.getMzxid();
    }

    private void lostLatch() {
        synchronized (termLock) {
            if (closed || !leading) {
                return;
            }
            leading = false;
            LOG.warn("Lost the leadership of cluster '{}'", settings.clusterId());
            tell("lost the leadership", Optional.empty());
        }
    }

    /** Every {@value #REFRESH_MILLIS} ms: who leads, who stands by, do our providers match the leader's. */
    private void refresh() {
        try {
            MemberNode m;
            LeaderLatch l;
            synchronized (termLock) {
                if (closed || !connected) {
                    return;
                }
                m = member;
                l = latch;
            }
            if (m != null) {
                m.publish();
            }
            Optional<String> current = Optional.empty();
            List<String> all = List.of();
            if (m != null) {
                // read through a latch that is never started when this manager has left the election:
                // a withdrawn standby must still see the leader, to join again once they agree
                LeaderLatch reader = l != null ? l : new LeaderLatch(client, settings.clusterPath() + "/leader", me);
                Participant p = reader.getLeader();
                current = p.isLeader() ? Optional.of(p.getId()) : Optional.empty();
                all = l != null ? reader.getParticipants().stream().map(Participant::getId).toList() : m.members();
            }
            leader = current;
            participants = all;
            checkProviders(m, current);
            synchronized (termLock) {
                if (!leading && connected && withdrawn == null) {
                    tell("standby: " + current.map(x -> "the leader is " + x).orElse("no leader elected yet")
                            + " (cluster '" + settings.clusterId() + "')", current);
                }
            }
        } catch (Exception e) {
            LOG.debug("Election refresh failed: {}", e.toString());
        }
    }

    /**
     * A standby whose providers or access policy differ from the leader's leaves the election until
     * they agree (after a grace period: plugins start, and configuration files are edited, one manager
     * after the other).
     */
    private void checkProviders(MemberNode m, Optional<String> current) throws Exception {
        if (m == null) {
            return;
        }
        boolean isLeader;
        synchronized (termLock) {
            isLeader = leading;
        }
        Optional<String> other = isLeader ? Optional.empty() : current.filter(c -> !c.equals(me));
        if (other.isEmpty()) {
            return;
        }
        Optional<MemberEntry> theirs = m.entryOf(other.get());
        if (theirs.isEmpty()) {
            return;
        }
        Optional<String> difference = m.published().differenceFrom(theirs.get(), other.get());
        if (difference.isPresent()) {
            long now = System.nanoTime();
            if (mismatchSince == 0) {
                mismatchSince = now; // plugins start at their own pace: a difference must last to count
                return;
            }
            if (now - mismatchSince < settings.mismatchGrace().toNanos()) {
                return;
            }
            withdraw(difference.get(), true);
        } else {
            mismatchSince = 0;
            boolean rejoin;
            synchronized (termLock) {
                rejoin = withdrawn != null && withdrawnForDifference;
            }
            if (rejoin) {
                LOG.info("Providers and access policy match the leader's again: joining the election");
                enter();
            }
        }
    }

    /** Tells the listener that this manager does not lead, if that news differs from the last. */
    private void tell(String why, Optional<String> leaderAddress) {
        if (why.equals(toldWhy) && leaderAddress.equals(toldLeader)) {
            return;
        }
        toldWhy = why;
        toldLeader = leaderAddress;
        listener.notLeading(why, leaderAddress);
    }

    @Override
    public void close() {
        LeaderLatch l;
        MemberNode m;
        synchronized (termLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (leading) {
                leading = false;
                listener.notLeading("this manager is stopping", Optional.empty());
            }
            l = latch;
            m = member;
        }
        events.shutdownNow();
        closeQuietly(l);
        if (m != null) {
            m.close();
        }
        if (client != null) {
            client.close();
        }
        LOG.info("Left the election of cluster '{}'", settings.clusterId());
    }

    private static void closeQuietly(LeaderLatch latch) {
        if (latch == null) {
            return;
        }
        try {
            latch.close();
        } catch (Exception e) {
            LOG.debug("Closing the leader latch: {}", e.toString());
        }
    }
}
