package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One headless host, installed below a path of more than 200 bytes (twice what a Unix socket path
 * may hold); each test talks to it with {@code bin/tokenhost client}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {

    private Installation installation;

    @BeforeAll
    void startHost() throws Exception {
        installation = Installation.unpack("console/" + "a-directory-name-as-deep-as-a-newcomer-might-have-".repeat(4));
        assertThat(installation.home.toString().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(200);
        installation.startHeadless();
        System.out.println("[figures] launch -> client lb succeeds: " + installation.awaitReady().toMillis() + " ms");
    }

    @AfterAll
    void stopHost() throws Exception {
        installation.close();
    }

    @Test
    void lbListsTheHostBundleActive() throws Exception {
        long start = System.nanoTime();
        Installation.Result lb = installation.client("lb");
        System.out.println("[figures] client lb round trip (JVM start included): "
                + (System.nanoTime() - start) / 1_000_000 + " ms");

        assertThat(lb.status()).isZero();
        assertThat(lb.stdout()).containsPattern("(?m)^\\s*\\d+\\|Active\\s*\\|\\s*\\d+\\|Tokenhost host ")
                .containsPattern("(?m)\\|Active\\s*\\|.*Apache Felix Declarative Services")
                .containsPattern("(?m)\\|Active\\s*\\|.*Apache Felix File Install")
                .containsPattern("(?m)\\|Active\\s*\\|.*Apache Felix Configuration Admin");
        assertThat(lb.stdout()).doesNotContain("Installed").doesNotContain("Resolved");
    }

    @Test
    void aResultValueIsPrintedLikeTheShellDoes() throws Exception {
        Installation.Result echo = installation.client("echo", "hello", "console");

        assertThat(echo.status()).isZero();
        assertThat(echo.stdout()).isEqualTo("hello console\n");
    }

    @Test
    void anUnknownCommandFailsWithAnError() throws Exception {
        Installation.Result r = installation.client("no-such-command");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr()).contains("Command not found: no-such-command");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void theTelnetShellIsNotAvailable() throws Exception {
        Installation.Result r = installation.client("telnetd", "--port=0", "start");

        assertThat(r.status()).isNotZero();
        assertThat(r.stderr()).contains("Command not found: telnetd");
    }

    @Test
    void theSocketIsShortAndInAnOwnerOnlyDirectoryOutsideTheInstallation() throws Exception {
        Path socket = installation.socket();

        assertThat(socket).exists();
        assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(107);
        assertThat(socket.startsWith(installation.home)).as("outside the installation").isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
        assertThat(Installation.read(installation.log())).contains("console: listening on " + socket);
    }

    @Test
    void anotherUserCannotReachTheSocketDirectory() throws Exception {
        Root.require("the owner-only console check runs a client as a second user");

        Installation.Result r = installation.clientAs(Root.asOtherUser(), "lb");

        assertThat(r.status()).isEqualTo(77);
        assertThat(r.stderr()).contains("permission denied");
        assertThat(r.stdout()).doesNotContain("Tokenhost");
    }

    @Test
    void anotherUserIsRefusedByThePeerCheckEvenIfTheSocketIsReachable() throws Exception {
        Root.require("the console's peer check runs a client as a second user");
        // Defeat the first lock on purpose, to prove the second (SO_PEERCRED) holds on its own: a
        // hard link to the socket in a directory others may pass through, and a socket they may
        // write to. The client of another user is also replaced by a raw request, since the real
        // client refuses a console directory others may enter.
        Path passable = Files.createTempDirectory(Path.of("/tmp"), "th-peer-");
        Files.setPosixFilePermissions(passable, PosixFilePermissions.fromString("rwx--x--x"));
        Path link = passable.resolve("console.sock");
        Files.createLink(link, installation.socket());
        var socketMode = Files.getPosixFilePermissions(installation.socket());
        Files.setPosixFilePermissions(installation.socket(), PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Installation.Result r = rawRequestAs(Root.asOtherUser(), link, "lb");

            assertThat(r.stdout()).contains("status 77")
                    .contains("permission denied: the tokenhost console only accepts " + System.getProperty("user.name"))
                    .doesNotContain("Tokenhost");
            assertThat(Installation.read(installation.log())).contains("console: refused user nobody");
        } finally {
            Files.setPosixFilePermissions(installation.socket(), socketMode);
            Files.delete(link);
            Files.delete(passable);
        }
        // The owner still gets in.
        assertThat(installation.client("lb").status()).isZero();
    }

    /** Runs {@code RawConsoleRequest.java} (a test resource) as another user, against {@code socket}. */
    private Installation.Result rawRequestAs(List<String> prefix, Path socket, String line) throws Exception {
        Path source = installation.dir.resolve("RawConsoleRequest.java");
        try (var in = getClass().getResourceAsStream("/RawConsoleRequest.java")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                source.toString(), socket.toString(), line));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Installation.Result(p.exitValue(), output, "");
    }

    @Test
    void frameworkScrAndFileInstallLogGoToTheLogFileNotTheTerminal() throws Exception {
        // the launcher's last line comes after the console answers
        String log = Await.atMost(Duration.ofSeconds(30)).until("the launcher's start line in the log",
                () -> Installation.read(installation.log()), text -> text.contains("io.tokenhost.launcher.Main - tokenhost started in"));
        assertThat(log).contains("org.apache.felix.fileinstall - Creating configuration {io.tokenhost.manager}")
                .contains("org.apache.felix.scr - ");
        assertThat(log).as("the stock configuration is accepted without a warning").doesNotContain("unknown key");

        String terminal = Installation.read(installation.hostOutput());
        assertThat(terminal).doesNotContain("INFO").doesNotContain("DEBUG");
    }

    @Test
    void aDroppedPluginIsInstalledAndStartedAndADeletedOneUninstalled() throws Exception {
        Path staging = installation.dir.resolve("it-plugin.jar.part");
        writeBundle(staging, "io.tokenhost.it.plugin");
        Path plugin = installation.home.resolve("plugins/it-plugin.jar");
        Files.move(staging, plugin, StandardCopyOption.ATOMIC_MOVE);

        // its own line says Active ("|Active" alone would match any other active bundle)
        awaitLb("the dropped plugin active", lb -> java.util.regex.Pattern
                .compile("(?m)^\\s*\\d+\\|Active\\s*\\|\\s*\\d+\\|io\\.tokenhost\\.it\\.plugin\\b").matcher(lb).find());

        Files.delete(plugin);
        awaitLb("the deleted plugin gone", lb -> !lb.contains("io.tokenhost.it.plugin"));
    }

    /**
     * Four idle connections, each reopened as soon as the host closes it (the old lock-out: four slots,
     * ten seconds each): real clients keep getting answers, and the idle ones are closed within about a
     * second, counted in token:status, and logged at most ten lines a minute.
     */
    @Test
    void fourIdleConnectionsKeptOpenDoNotLockOutAClient() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger reopened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger();
        Path socket = installation.socket();
        List<Thread> idlers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread idler = new Thread(() -> {
                while (running.get()) {
                    try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                            java.net.UnixDomainSocketAddress.of(socket))) {
                        long opened = System.nanoTime();
                        connected.incrementAndGet();
                        int read = c.read(java.nio.ByteBuffer.allocate(64)); // blocks until the host closes it
                        if (read == -1 && Duration.ofNanos(System.nanoTime() - opened).compareTo(Duration.ofSeconds(3)) < 0) {
                            reopened.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        // closed by the host: open another
                    }
                }
            }, "idle-console-connection-" + i);
            idler.setDaemon(true);
            idler.start();
            idlers.add(idler);
        }
        try {
            Await.atMost(Duration.ofSeconds(10)).until("four idle connections open", () -> connected.get() >= 4);
            for (int i = 0; i < 3; i++) {
                Installation.Result status = installation.client("token:status");
                assertThat(status.status()).as("client %d while four connections idle: %s", i, status.stderr()).isZero();
            }
            Await.atMost(Duration.ofSeconds(10)).until("idle connections closed by the host", () -> reopened.get() >= 8);
        } finally {
            running.set(false);
            for (Thread idler : idlers) {
                idler.join(3000);
            }
        }
        String status = installation.client("token:status").stdoutIfOk();
        java.util.regex.Matcher idle = java.util.regex.Pattern.compile("console\\.idle-closed (\\d+)").matcher(status);
        assertThat(idle.find()).as(status).isTrue();
        assertThat(Long.parseLong(idle.group(1))).isGreaterThanOrEqualTo(8);
        assertThat(status).contains("console.busy 0");
        long logged = Installation.read(installation.log()).lines()
                .filter(l -> l.contains("closed a connection that sent no request")).count();
        assertThat(logged).as("idle closures logged (at most 10 a minute)").isBetween(1L, 10L);
    }

    private void awaitLb(String what, Predicate<String> condition) throws Exception {
        Await.atMost(Duration.ofSeconds(30)).until(what, () -> installation.client("lb", "-s"),
                lb -> lb.status() == 0 && condition.test(lb.stdout()));
    }

    private static void writeBundle(Path jar, String symbolicName) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }
}
