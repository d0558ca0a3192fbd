package io.tokenhost.itests.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unmodified long-running S3 clients (the AWS SDK for Java v2 in its own JVM, and boto3) against
 * moto with authentication on and AssumeRole sessions of {@value #SESSION_SECONDS} s that moto
 * refuses once expired ({@link MotoServer#startWithShortSessions}). The host renews at half the
 * validity, so a renewal comes every ~12 s. With the s3 receiver's {@code credential-process}
 * profile every client uses every new key and never fails, also a Java client that loads the
 * profile file only once. With the static profile, boto3 and the Java client that loads the file
 * once keep the first key and fail once it expires (so the test can fail); SDK v2's default
 * {@code ProfileCredentialsProvider} reads a changed file again and stays fresh with either style.
 */
class LongRunningClientsIT {

    /**
     * Three renewals take ~36 s (~45 s with 30 s sessions). Not shorter: the clients start several
     * seconds after the first key (6 JVMs and Pythons on a loaded 2-core machine) and each must
     * still make at least SESSION_SECONDS calls at one a second; with 20 s sessions a loaded run
     * made 21.
     */
    static final int SESSION_SECONDS = 24;
    private static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));
    private static final Path IT_DIR = Path.of(System.getProperty("tokenhost.it.dir", "target/it")).toAbsolutePath();
    private static final int RENEWALS = 3;

    private static Path python;
    private static MotoServer moto;
    private static AwsAccount account;

    @BeforeAll
    static void startMoto() throws Exception {
        python = MotoVenv.python();
        MotoServer.installedVersion(python);
        Files.createDirectories(IT_DIR);
        moto = MotoServer.startWithShortSessions(python, IT_DIR.resolve("moto-short-sessions.log"), SESSION_SECONDS);
        account = AwsAccount.setUp(moto);
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void credentialProcessKeepsLongRunningJavaAndBoto3ClientsFreshAcrossRenewalsAndAStaticProfileReadOnceGoesStale() throws Exception {
        long started = System.nanoTime();
        try (Installation installation = Installation.unpack("long-running")) {
            Path workerDir = installation.dir.resolve("worker");
            Path credentials = workerDir.resolve("aws/credentials");
            Path json = workerDir.resolve("aws/credentials.process.json");
            Path command = installation.home.resolve("bin/tokenhost-aws-credentials");
            conf(installation, "io.tokenhost.manager.cfg", Map.of("renewal.time-ratio", "0.5",
                    "renewal.retry.backoff", "200ms", "renewal.retry.backoff.max", "1s", "renewal.min-interval", "100ms"));
            conf(installation, "io.tokenhost.s3-moto.cfg", assumeRoleConfig());
            Map<String, String> emptyRole = new LinkedHashMap<>(assumeRoleConfig());
            emptyRole.put("role-arn", "");
            conf(installation, "io.tokenhost.s3-emptyrole.cfg", emptyRole);
            conf(installation, "io.tokenhost.s3.receiver-process.cfg", Map.of("service.name", "s3.moto",
                    "credentials-file", credentials.toString(), "profile", "process", "profile-style", "credential-process"));
            conf(installation, "io.tokenhost.s3.receiver-static.cfg", Map.of("service.name", "s3.moto",
                    "credentials-file", credentials.toString(), "profile", "static"));
            Files.copy(PLUGIN_JARS.resolve("tokenhost-s3-bundle.jar"),
                    installation.home.resolve("plugins/tokenhost-s3-bundle.jar"), StandardCopyOption.REPLACE_EXISTING);
            installation.startHeadless();
            installation.awaitReady();

            // the process receiver writes its JSON before its profile: wait for both profiles, not the JSON
            Await.atMost(Duration.ofSeconds(45)).until("the credential_process JSON and both profiles", () -> Files.exists(json)
                    && Files.exists(credentials) && Files.readString(credentials).contains("[static]")
                    && Files.readString(credentials).contains("[process]"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(json))).isEqualTo("rw-------");
            assertThat(section(Files.readString(credentials), "process")).contains("credential_process = " + command + " " + json)
                    .doesNotContain("aws_secret_access_key");

            // The command itself: prints the JSON, exit 0; a few milliseconds a call.
            Run printed = run(List.of(command.toString(), json.toString()));
            assertThat(printed.status()).as(printed.toString()).isZero();
            assertThat(printed.stdout()).contains("\"Version\": 1", "\"AccessKeyId\": \"ASIA", "\"SecretAccessKey\": \"",
                    "\"SessionToken\": \"");
            Instant expiration = Instant.parse(value(printed.stdout(), "\"Expiration\": \"([^\"]+)\""));
            assertThat(Duration.between(Instant.now(), expiration)).as("moto's short session").isBetween(
                    Duration.ofSeconds(1), Duration.ofSeconds(SESSION_SECONDS));
            int calls = 50;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                assertThat(run(List.of(command.toString(), json.toString())).status()).isZero();
            }
            System.out.printf("tokenhost-aws-credentials: %.1f ms per call (mean of %d, including process start)%n",
                    (System.nanoTime() - t0) / 1e6 / calls, calls);

            // An empty role-arn is refused naming the key, not turned into GetSessionToken.
            Await.atMost(Duration.ofSeconds(30)).until("the empty role-arn refused", () -> Installation.read(installation.log())
                    .contains("Configuration io.tokenhost.s3~emptyrole refused: role-arn: must not be empty"));
            assertThat(installation.client("token:status").stdout()).doesNotContain("s3.emptyrole");

            String endpoint = moto.uri("").toString();
            Set<String> issued = new LinkedHashSet<>();
            List<LongRunningClient> fresh = new ArrayList<>();
            List<LongRunningClient> stale = new ArrayList<>();
            try {
                fresh.add(LongRunningClient.java("java-process", workerDir, credentials, "process", endpoint, account.bucket(),
                        false));
                fresh.add(LongRunningClient.java("java-process-once", workerDir, credentials, "process", endpoint,
                        account.bucket(), true));
                fresh.add(LongRunningClient.java("java-static", workerDir, credentials, "static", endpoint, account.bucket(),
                        false));
                fresh.add(LongRunningClient.boto3("boto3-process", workerDir, credentials, "process", endpoint,
                        account.bucket(), python));
                stale.add(LongRunningClient.java("java-static-once", workerDir, credentials, "static", endpoint,
                        account.bucket(), true));
                stale.add(LongRunningClient.boto3("boto3-static", workerDir, credentials, "static", endpoint,
                        account.bucket(), python));
                // Until the host has issued RENEWALS more keys after the first, and both clients signed with the last.
                Await.atMost(Duration.ofSeconds(SESSION_SECONDS * (RENEWALS + 2))).every(Duration.ofMillis(200))
                        .until("both credential_process clients using the key of renewal " + RENEWALS, () -> {
                            if (Files.exists(json)) {
                                issued.add(LongRunningClient.fingerprint(value(Files.readString(json),
                                        "\"AccessKeyId\": \"([^\"]+)\"")));
                            }
                            if (issued.size() < RENEWALS + 1) {
                                return false;
                            }
                            String latest = List.copyOf(issued).get(RENEWALS);
                            for (LongRunningClient c : fresh) {
                                if (!c.keysUsed().contains(latest)) {
                                    return false;
                                }
                            }
                            return true;
                        });
                for (LongRunningClient c : fresh) {
                    System.out.println(c.summary());
                    assertThat(c.failures()).as(c.summary()).isEmpty();
                    assertThat(c.keysUsed()).as(c.summary()).hasSizeGreaterThanOrEqualTo(RENEWALS + 1);
                    assertThat(issued).as("keys the host issued").containsAll(c.keysUsed());
                    assertThat(c.calls().size()).as(c.summary()).isGreaterThanOrEqualTo(SESSION_SECONDS);
                }
                // The static profile: read once, so the first key until it expires, then refused.
                for (LongRunningClient c : stale) {
                    System.out.println(c.summary());
                    assertThat(c.keysUsed()).as(c.summary()).hasSize(1);
                    assertThat(c.failures()).as(c.summary()).isNotEmpty().allMatch(f -> f.equals("FAIL ExpiredToken"));
                }
            } finally {
                for (LongRunningClient c : fresh) {
                    c.close();
                }
                for (LongRunningClient c : stale) {
                    c.close();
                }
            }

            // The host stops: the credentials are withdrawn (each receiver says so once), and the command says so.
            installation.host().destroy();
            assertThat(installation.host().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(json).doesNotExist();
            Run withdrawn = run(List.of(command.toString(), json.toString()));
            assertThat(withdrawn.status()).isEqualTo(1);
            assertThat(withdrawn.stdout()).isEmpty();
            assertThat(withdrawn.stderr()).contains("tokenhost-aws-credentials: no credentials in " + json + ": withdrawn");
            String log = Installation.read(installation.log());
            assertThat(log.lines().filter(l -> l.contains("s3 service 's3.moto': credentials withdrawn")).count())
                    .as("one withdrawal line per receiver").isEqualTo(2);

            // Expired (the host stopped renewing without withdrawing): refused, with the reason.
            Files.writeString(json, printed.stdout());
            Run expired = run(List.of(command.toString(), json.toString()));
            assertThat(expired.status()).as("credentials of %s, now %s", expiration, Instant.now()).isEqualTo(1);
            assertThat(expired.stderr()).contains("expired at " + expiration);
            assertThat(expired.stdout()).isEmpty();
        }
        System.out.printf("LongRunningClientsIT took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static Map<String, String> assumeRoleConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("access-key", account.managerKeyId());
        c.put("secret-key", account.managerSecret());
        c.put("role-arn", account.roleArn());
        c.put("role-session-name", "tokenhost-it");
        c.put("external-id", AwsAccount.EXTERNAL_ID);
        c.put("endpoint", moto.uri("").toString());
        c.put("duration", "15m"); // moto_short_sessions.py makes it SESSION_SECONDS
        c.put("timeout", "5s");
        return c;
    }

    private static void conf(Installation installation, String name, Map<String, String> values) throws Exception {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Files.writeString(installation.home.resolve("conf").resolve(name), text);
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private static Run run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out), new String(err));
    }

    private static String value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in the text").isTrue();
        return m.group(1);
    }

    private static String section(String file, String profile) {
        int start = file.indexOf("[" + profile + "]");
        assertThat(start).as("[" + profile + "] in the file").isNotNegative();
        int end = file.indexOf("\n[", start + 1);
        return end < 0 ? file.substring(start) : file.substring(start, end);
    }
}
