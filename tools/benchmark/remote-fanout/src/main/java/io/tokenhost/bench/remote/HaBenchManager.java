package io.tokenhost.bench.remote;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.tokenhost.api.distribution.TokenContainer;
import io.tokenhost.remote.ha.HaSettings;
import io.tokenhost.remote.ha.LeaderElection;
import io.tokenhost.remote.manager.ListenOptions;
import io.tokenhost.remote.manager.ManagerServer;
import io.tokenhost.remote.tls.TlsContexts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One manager of the failover benchmark, in its own JVM so that it can be killed: a real {@link
 * ManagerServer} (mutual TLS) that takes part in a real {@link LeaderElection} on ZooKeeper. When
 * elected it pushes a container (3 services, 1 KiB each) and prints {@code ACKED <epoch> <millis>}
 * once all N workers acknowledged it. On stdin: {@code heap} prints {@code HEAP <MB used after GC>
 * <connections accepted so far> <pre-held streams held now>}.
 * Arguments: ZooKeeper connect string, port, N, certificate directory.
 */
public final class HaBenchManager {

    private HaBenchManager() {
    }

    public static void main(String[] args) throws Exception {
        String zookeeper = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        Path certs = Path.of(args[3]);
        SslContext tls = TlsContexts.server(certs.resolve("ca.crt"), certs.resolve("manager.crt"),
                certs.resolve("manager.key"));
        ListenOptions options = ListenOptions.mutualTls(new InetSocketAddress("127.0.0.1", port), tls).acceptingAnyWorkerId();
        ManagerServer server = ManagerServer.standby(options, Clock.systemUTC(), "election pending").start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        server.onAcknowledgementBy((worker, version) -> {
            if (server.term().leading() && acked.add(worker) && acked.size() == n) {
                System.out.println("ACKED " + server.epoch() + " " + System.currentTimeMillis());
                System.out.flush();
            }
        });
        HaSettings ha = new HaSettings(zookeeper, "bench", "/tokenhost/bench", Duration.ofSeconds(6),
                Duration.ofSeconds(3), Optional.empty(), Duration.ofSeconds(20));
        LeaderElection election = new LeaderElection(ha, "localhost:" + port, List::of, new LeaderElection.Listener() {
            @Override
            public void elected(long epoch) {
                acked.clear();
                server.leading(epoch);
                server.onContainer(container());
                System.out.println("LEADING " + epoch + " " + System.currentTimeMillis());
                System.out.flush();
            }

            @Override
            public void notLeading(String why, Optional<String> leader) {
                server.standingBy(why, leader);
            }
        });
        election.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("heap")) {
                    System.gc();
                    Thread.sleep(200);
                    System.out.printf("HEAP %.1f %d %d%n", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
                            / 1048576.0, server.connectionsAccepted(), server.heldWorkers());
                    System.out.flush();
                }
            }
        }
        election.close();
        server.close();
    }

    private static TokenContainer container() {
        return RemoteFanoutBench.container(1);
    }
}
