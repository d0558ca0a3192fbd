package io.tokenhost.itests.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real ZooKeeper servers, each its own JVM running ZooKeeper's own server main ({@code
 * org.apache.zookeeper.server.quorum.QuorumPeerMain}, which runs a single server standalone and
 * several as an ensemble) with a generated {@code zoo.cfg}: {@code tickTime=500} (so sessions of 1
 * to 10 s are allowed), no AdminServer. The classpath is this JVM's (which holds ZooKeeper). Nodes
 * can be killed (SIGKILL) and started again on the same ports and data.
 */
public final class ZooKeeperServers implements AutoCloseable {

    private final Path dir;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final int[] electionPorts;
    private final Process[] processes;

    private ZooKeeperServers(Path dir, int nodes) throws IOException {
        this.dir = dir;
        clientPorts = freePorts(nodes);
        peerPorts = freePorts(nodes);
        electionPorts = freePorts(nodes);
        processes = new Process[nodes];
        for (int i = 0; i < nodes; i++) {
            writeConfig(i);
        }
    }

    /** One standalone server, or an ensemble of {@code nodes}; started, each ready for clients. */
    public static ZooKeeperServers start(Path dir, int nodes) throws IOException, InterruptedException {
        ZooKeeperServers servers = new ZooKeeperServers(dir, nodes);
        for (int i = 0; i < nodes; i++) {
            servers.startNode(i);
        }
        for (int i = 0; i < nodes; i++) {
            servers.awaitServing(i, Duration.ofSeconds(60));
        }
        return servers;
    }

    /** The connect string of every node. */
    public String connectString() {
        List<String> all = new ArrayList<>();
        for (int port : clientPorts) {
            all.add("127.0.0.1:" + port);
        }
        return String.join(",", all);
    }

    public int clientPort(int node) {
        return clientPorts[node];
    }

    public int size() {
        return clientPorts.length;
    }

    private void writeConfig(int node) throws IOException {
        Path nodeDir = dir.resolve("zk" + (node + 1));
        Files.createDirectories(nodeDir.resolve("data"));
        StringBuilder cfg = new StringBuilder()
                .append("tickTime=500\ninitLimit=20\nsyncLimit=10\n")
                .append("dataDir=").append(nodeDir.resolve("data")).append('\n')
                .append("clientPort=").append(clientPorts[node]).append('\n')
                .append("clientPortAddress=127.0.0.1\n")
                .append("admin.enableServer=false\n")
                .append("4lw.commands.whitelist=ruok,srvr\n");
        if (clientPorts.length > 1) {
            for (int i = 0; i < clientPorts.length; i++) {
                cfg.append("server.").append(i + 1).append("=127.0.0.1:").append(peerPorts[i]).append(':')
                        .append(electionPorts[i]).append('\n');
            }
            Files.writeString(nodeDir.resolve("data/myid"), String.valueOf(node + 1));
        }
        Files.writeString(nodeDir.resolve("zoo.cfg"), cfg.toString());
    }

    /** Starts (or starts again) one node on its ports and data. */
    public synchronized void startNode(int node) throws IOException {
        Path nodeDir = dir.resolve("zk" + (node + 1));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // C1 only and the serial collector: a test's ZooKeeper serves a few clients for seconds, and
        // starts beside the hosts on two cores
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classpath(),
                "-Dzookeeper.admin.enableServer=false",
                "org.apache.zookeeper.server.quorum.QuorumPeerMain", nodeDir.resolve("zoo.cfg").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("zookeeper.out").toFile()));
        processes[node] = pb.start();
    }

    /**
     * Waits until the node answers "srvr" as a serving member (standalone, leader or follower); fails
     * at once, with the node's output, if its process exits.
     */
    public void awaitServing(int node, Duration timeout) throws InterruptedException {
        Await.atMost(timeout).until("ZooKeeper node " + (node + 1) + " serving", () -> {
            if (processes[node] != null && !processes[node].isAlive()) {
                throw new AssertionError("ZooKeeper node " + (node + 1) + " exited: "
                        + Files.readString(dir.resolve("zk" + (node + 1) + "/zookeeper.out")));
            }
            String answer = fourLetterWord(node, "srvr");
            return answer.contains("Mode: standalone") || answer.contains("Mode: leader") || answer.contains("Mode: follower");
        });
    }

    private String fourLetterWord(int node, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", clientPorts[node]), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL one node. */
    public synchronized void kill(int node) throws InterruptedException {
        Process p = processes[node];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
            processes[node] = null;
        }
    }

    private static String classpath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(entry -> !entry.isBlank()).collect(Collectors.joining(File.pathSeparator));
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < processes.length; i++) {
            kill(i);
        }
    }
}
