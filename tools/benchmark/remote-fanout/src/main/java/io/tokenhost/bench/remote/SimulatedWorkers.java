package io.tokenhost.bench.remote;

import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.tokenhost.remote.tls.TlsContexts;
import io.tokenhost.remote.worker.Backoff;
import io.tokenhost.remote.worker.ConnectionOptions;
import io.tokenhost.remote.worker.ManagerAddress;
import io.tokenhost.remote.worker.WorkerClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * N worker clients in this JVM, each with its own TLS connection, sharing one event loop group.
 * Every container is decoded (the real codec) and acknowledged; nothing else is done with it.
 * Runs until stdin closes. Arguments: port (or ports, comma-separated), N, certificate directory[,
 * first reconnect delay in ms[, number of the first worker (ids sim-K...)]].
 */
public final class SimulatedWorkers {

    private SimulatedWorkers() {
    }

    public static void main(String[] args) throws Exception {
        // one port, or several comma-separated (the failover mode: every manager of the cluster)
        List<ManagerAddress> managers = new ArrayList<>();
        for (String port : args[0].split(",")) {
            managers.add(new ManagerAddress("localhost", Integer.parseInt(port)));
        }
        int n = Integer.parseInt(args[1]);
        Path certs = Path.of(args[2]);
        // the fan-out mode: 500 ms; the failover mode passes the host default, 1000 ms
        long backoffMs = args.length > 3 ? Long.parseLong(args[3]) : 500;
        int first = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        SslContext tls = TlsContexts.client(certs.resolve("ca.crt"), certs.resolve("worker.crt"), certs.resolve("worker.key"));
        NioEventLoopGroup group = new NioEventLoopGroup(2);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<WorkerClient> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ConnectionOptions connection = ConnectionOptions.mutualTls(managers, "sim-" + (first + i), tls,
                    Duration.ofMinutes(5)).withSharedEventLoops(group).withConnectionEventsAtDebug();
            WorkerClient client = new WorkerClient(connection, container -> { },
                    new Backoff(Duration.ofMillis(backoffMs), Duration.ofSeconds(5), 0.5, Math::random), scheduler,
                    Clock.systemUTC());
            clients.add(client);
            client.start();
            if (i % 50 == 49) {
                Thread.sleep(20); // pace the TLS handshakes a little
            }
        }
        System.out.println("STARTED " + n);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            while (in.readLine() != null) {
                // wait for the parent to close stdin
            }
        }
        clients.forEach(WorkerClient::close);
        group.shutdownGracefully();
        scheduler.shutdownNow();
    }
}
