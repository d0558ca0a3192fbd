package io.tokenhost.itests.process;

import static io.tokenhost.itests.process.RemoteHosts.certificates;
import static io.tokenhost.itests.process.RemoteHosts.exampleManager;
import static io.tokenhost.itests.process.RemoteHosts.exampleWorker;
import static io.tokenhost.itests.process.RemoteHosts.freePort;
import static io.tokenhost.itests.process.RemoteHosts.ok;
import static io.tokenhost.itests.process.RemoteHosts.read;
import static io.tokenhost.itests.process.RemoteHosts.start;
import static io.tokenhost.itests.process.RemoteHosts.tokenFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.SecretForms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The valid-until travels with the tokens to the workers (real manager and worker processes over
 * mutual TLS; the example provider's tokens live {@value #LIFETIME_SECONDS} s). With the manager
 * killed: a worker restarted meanwhile restores its saved container and its receiver gets the
 * still-valid tokens again; when they expire, both workers withdraw them (the receivers' files
 * disappear), {@code token:status} shows the service EXPIRED with the time, and each worker logs
 * one ERROR.
 */
class WorkerExpiryIT {

    private static final int LIFETIME_SECONDS = 20;
    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void workersWithdrawExpiredTokensAndARestartedWorkerRestoresTheValidOnesWhileTheManagerIsDown() throws Exception {
        try (Installation manager = Installation.unpack("xm");
                Installation w1 = Installation.unpack("xw1");
                Installation w2 = Installation.unpack("xw2")) {
            Path tls = manager.dir.resolve("tls");
            certificates(manager, tls, "Tokenhost test CA", "manager", "w1", "w2");
            int port = freePort();
            exampleManager(manager, port, tls);
            Files.writeString(manager.home.resolve("conf/io.tokenhost.example.provider.cfg"),
                    "token.lifetime=" + LIFETIME_SECONDS + "s\n");
            exampleWorker(w1, "w1", port, tls);
            exampleWorker(w2, "w2", port, tls);
            manager.startHeadless();
            start(w1);
            start(w2);
            for (Installation host : List.of(manager, w1, w2)) {
                host.awaitReady();
            }
            byte[] first = awaitSameTokens(w1, w2, null, "the first tokens at both workers");

            // fresh tokens, then the manager dies: nothing renews them any more
            ok(manager, "token:obtain", "example");
            byte[] last = awaitSameTokens(w1, w2, first, "the new tokens at both workers");
            kill(manager);
            Instant validUntil = validUntil(ok(w1, "token:status"));
            assertThat(validUntil).isAfter(Instant.now());

            // (b) a worker restarted while the manager is down restores what it saved
            kill(w2);
            Files.delete(tokenFile(w2));
            start(w2);
            w2.awaitReady();
            await(() -> Arrays.equals(read(tokenFile(w2)), last), "the restored tokens at the restarted worker's receiver");
            assertThat(Instant.now()).as("restored before they expired").isBefore(validUntil);
            await(() -> w2.client("token:manager").stdout().contains("Connected:      no"),
                    "the restarted worker's token:manager: not connected");
            assertThat(ok(w2, "token:status")).containsPattern("\nexample\\s+VALID\\s+" + Pattern.quote(validUntil.toString()));
            Path saved = w2.home.resolve("data/worker/last-container");
            assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(saved.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Installation.read(w2.log())).contains("restoring [example]");

            // (a) at the valid-until both workers withdraw the tokens: their receivers' files go
            Await.atMost(Duration.ofSeconds(LIFETIME_SECONDS).plus(WAIT)).until("the expired tokens withdrawn at both workers",
                    () -> !Files.exists(tokenFile(w1)) && !Files.exists(tokenFile(w2)));
            assertThat(Instant.now()).as("not withdrawn early").isAfterOrEqualTo(validUntil);
            for (Installation worker : List.of(w1, w2)) {
                assertThat(ok(worker, "token:status")).containsPattern("\nexample\\s+EXPIRED\\s+"
                        + Pattern.quote(validUntil.toString()) + " \\((now|\\d+s ago)\\)");
                await(() -> errorLines(worker).size() == 1, "the expiry ERROR in the worker's log");
                assertThat(errorLines(worker).get(0)).contains("Tokens of 'example' expired at",
                        "no newer container came from the manager", "withdrawn from receivers");
            }
            Await.holdsFor(Duration.ofSeconds(1), "one expiry ERROR and no token file at either worker", () -> {
                for (Installation worker : List.of(w1, w2)) {
                    assertThat(errorLines(worker)).as("one ERROR only").hasSize(1);
                    assertThat(Files.exists(tokenFile(worker))).as("token file withdrawn").isFalse();
                }
                return true;
            });
            for (Installation worker : List.of(w1, w2)) {
                assertNoTokenBytes(worker, first, last);
            }
        }
    }

    private static byte[] awaitSameTokens(Installation w1, Installation w2, byte[] previous, String what) throws Exception {
        byte[][] result = new byte[1][];
        await(() -> {
            byte[] a = read(tokenFile(w1));
            byte[] b = read(tokenFile(w2));
            result[0] = a;
            return a != null && Arrays.equals(a, b) && !Arrays.equals(a, previous);
        }, what);
        return result[0];
    }

    /** The example service's VALID UNTIL in token:status (shown to the second). */
    private static Instant validUntil(String status) {
        Matcher m = Pattern.compile("\nexample\\s+VALID\\s+(\\S+Z) ").matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return Instant.parse(m.group(1));
    }

    /** The worker's ERROR lines about the example service. */
    private static List<String> errorLines(Installation worker) throws Exception {
        return Installation.read(worker.log()).lines().filter(l -> l.contains(" ERROR ") && l.contains("'example'"))
                .toList();
    }

    private static void kill(Installation installation) throws Exception {
        Process host = installation.host();
        host.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(host.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertNoTokenBytes(Installation worker, byte[]... tokens) throws Exception {
        String log = Installation.read(worker.log()) + Installation.read(worker.hostOutput());
        String raw = new String(Files.readAllBytes(worker.log()), StandardCharsets.ISO_8859_1);
        for (byte[] token : tokens) {
            SecretForms.assertAbsent("the worker's log (bytes)", raw, token);
            SecretForms.assertAbsent("the worker's log and output", log, token);
        }
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.atMost(WAIT).until(what, condition);
    }
}
