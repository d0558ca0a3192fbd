package io.tokenhost.chaos;

import static io.tokenhost.chaos.Cluster.devCerts;
import static io.tokenhost.chaos.Cluster.freePort;
import static io.tokenhost.chaos.Cluster.ordered;
import static io.tokenhost.chaos.Cluster.receiverJar;

import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.TcpRelay;
import io.tokenhost.itests.support.ZooKeeperServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HA soak's processes: a ZooKeeper server (ZooKeeper's own main), two managers of one cluster,
 * each reaching ZooKeeper through its own {@link TcpRelay} (to cut it off), both running the
 * chaos provider with their own obtain log, and workers listing both managers. Everything is a
 * separate process from the unpacked distribution.
 */
final class HaCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofMinutes(2);

    private final ZooKeeperServers zookeeper;
    private final List<Installation> managers;
    private final List<TcpRelay> relays;
    private final List<Installation> workers;

    private HaCluster(ZooKeeperServers zookeeper, List<Installation> managers, List<TcpRelay> relays,
            List<Installation> workers) {
        this.zookeeper = zookeeper;
        this.managers = managers;
        this.relays = relays;
        this.workers = workers;
    }

    static HaCluster create(SoakOptions options, Duration sessionTimeout) throws Exception {
        Cluster.deleteRecursively(options.dir());
        Files.createDirectories(options.dir());
        ZooKeeperServers zookeeper = ZooKeeperServers.start(options.dir().resolve("zookeeper"), 1);
        List<Installation> managers = new ArrayList<>();
        List<TcpRelay> relays = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("m1", "m2"));
        for (int i = 1; i <= options.workers(); i++) {
            names.add("w" + i);
        }
        Path tls = options.dir().resolve("tls");
        int[] ports = {freePort(), freePort()};
        for (int m = 0; m < 2; m++) {
            String name = "m" + (m + 1);
            Installation manager = Installation.unpack(options.tarball(), options.dir().resolve(name));
            if (m == 0) {
                devCerts(manager, tls, names);
            }
            TcpRelay relay = new TcpRelay(zookeeper.clientPort(0));
            relay.start();
            manager.javaOpt(options.hostJvmOptions());
            manager.writeConfig("io.tokenhost.remote", ordered("role", "manager", "listen.host", "127.0.0.1",
                    "listen.port", String.valueOf(ports[m]), "ha.zookeeper.quorum", "127.0.0.1:" + relay.port(),
                    "ha.cluster-id", "chaos", "ha.advertised-address", "localhost:" + ports[m],
                    "ha.zookeeper.session-timeout", sessionTimeout.toMillis() + "ms",
                    "tls.ca", tls.resolve("ca.crt").toString(), "tls.cert", tls.resolve(name + ".crt").toString(),
                    "tls.key", tls.resolve(name + ".key").toString()));
            manager.writeConfig("io.tokenhost.manager", ordered("obtain.timeout", options.obtainTimeout().toMillis() + "ms",
                    "renewal.time-ratio", String.valueOf(options.renewalRatio())));
            manager.writeConfig("io.tokenhost.fixture.chaos", ordered("service.name", Cluster.SERVICE,
                    "token.lifetime", options.tokenLifetime().toMillis() + "ms",
                    "failure.ratio", String.valueOf(options.failureRatio()), "hang.ratio", String.valueOf(options.hangRatio()),
                    "hang.duration", options.hangDuration().toMillis() + "ms",
                    "outage.marker", options.dir().resolve("outage").toString(),
                    "obtain.log", manager.dir.resolve("obtains.log").toString()));
            manager.dropPlugin(options.providerJar(), "chaos-provider.jar");
            managers.add(manager);
            relays.add(relay);
        }
        List<Installation> workers = new ArrayList<>();
        for (int i = 1; i <= options.workers(); i++) {
            String id = "w" + i;
            Installation worker = Installation.unpack(options.tarball(), options.dir().resolve(id));
            worker.javaOpt(options.hostJvmOptions());
            worker.writeConfig("io.tokenhost.remote", ordered("role", "worker",
                    "manager.address", "localhost:" + ports[0] + ",localhost:" + ports[1],
                    "tls.ca", tls.resolve("ca.crt").toString(), "tls.cert", tls.resolve(id + ".crt").toString(),
                    "tls.key", tls.resolve(id + ".key").toString()));
            worker.writeConfig("io.tokenhost.example.receiver", ordered("service.name", Cluster.SERVICE,
                    "file", worker.dir.resolve("chaos.token").toString()));
            worker.dropPlugin(receiverJar(worker), "example-receiver.jar");
            workers.add(worker);
        }
        return new HaCluster(zookeeper, managers, relays, workers);
    }

    void start() throws Exception {
        for (Installation m : managers) {
            m.startHeadless();
        }
        for (Installation w : workers) {
            w.startHeadless();
        }
        for (Installation m : managers) {
            m.awaitReady(READY);
        }
        for (Installation w : workers) {
            w.awaitReady(READY);
        }
    }

    List<Path> tokenFiles() {
        return workers.stream().map(w -> w.dir.resolve("chaos.token")).toList();
    }

    Path obtainLog(int manager) {
        return managers.get(manager).dir.resolve("obtains.log");
    }

    /** The index of the manager whose token:workers says LEADER, if one does. */
    Optional<Integer> leader() {
        for (int m = 0; m < managers.size(); m++) {
            Installation manager = managers.get(m);
            if (manager.host() == null || !manager.host().isAlive()) {
                continue;
            }
            try {
                if (manager.client("token:workers").stdout().contains("Role: LEADER")) {
                    return Optional.of(m);
                }
            } catch (Exception e) {
                // not answering now
            }
        }
        return Optional.empty();
    }

    void killManager(int m) throws Exception {
        Cluster.kill(managers.get(m));
    }

    void startManager(int m) throws Exception {
        Installation manager = managers.get(m);
        Path out = manager.hostOutput();
        if (Files.exists(out)) {
            Files.copy(out, manager.dir.resolve("host.out." + System.currentTimeMillis()));
        }
        manager.startHeadless();
        manager.awaitReady(READY);
    }

    void cutFromZooKeeper(int m) throws InterruptedException {
        relays.get(m).stop();
    }

    void reconnectToZooKeeper(int m) throws Exception {
        relays.get(m).start();
    }

    void killZooKeeper() throws InterruptedException {
        zookeeper.kill(0);
    }

    void startZooKeeper() throws Exception {
        zookeeper.startNode(0);
        zookeeper.awaitServing(0, READY);
    }

    @Override
    public void close() throws Exception {
        List<Installation> all = new ArrayList<>(managers);
        all.addAll(workers);
        for (Installation i : all) {
            if (i.host() != null) {
                i.host().destroy();
            }
        }
        for (Installation i : all) {
            i.close();
        }
        for (TcpRelay r : relays) {
            r.close();
        }
        zookeeper.close();
    }
}
