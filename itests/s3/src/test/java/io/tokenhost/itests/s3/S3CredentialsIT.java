package io.tokenhost.itests.s3;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;
import io.tokenhost.itests.support.SecretForms;
import io.tokenhost.itests.support.TcpRelay;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The s3 bundle in the assembled distribution (a real Felix host process) against a real moto
 * STS/S3 server with authentication on, and workers that are separate JVMs reading only the
 * shared-credentials file the s3 receiver wrote.
 */
class S3CredentialsIT {

    private static final Path PLUGIN_JARS = Path.of(System.getProperty("tokenhost.plugin.jars", "target/plugin-jars"));
    private static final Path IT_DIR = Path.of(System.getProperty("tokenhost.it.dir", "target/it")).toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(45);

    private static MotoServer moto;
    private static AwsAccount account;
    private static TcpRelay stsProxy;

    /** Every shell output the tests saw, to check for leaked secrets. */
    private final List<String> shellOutput = new ArrayList<>();

    @BeforeAll
    static void startMoto() throws Exception {
        Path python = MotoVenv.python();
        System.out.println("moto " + MotoServer.installedVersion(python) + " (pinned " + System.getProperty("tokenhost.moto.version")
                + ", python " + python + ")");
        Files.createDirectories(IT_DIR);
        moto = MotoServer.start(python, IT_DIR.resolve("moto.log"));
        account = AwsAccount.setUp(moto);
        stsProxy = new TcpRelay(moto.port());
        stsProxy.start();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (stsProxy != null) {
            stsProxy.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void assumedRoleCredentialsReachAWorkerJvmSurviveAnStsOutageAndAreWithdrawn() throws Exception {
        try (Installation installation = Installation.unpack("assume")) {
            Path workerDir = installation.dir.resolve("worker");
            Path credentials = workerDir.resolve("aws/credentials");
            configureManager(installation);
            // The secret key from an owner-only file outside the installation (secret-key.file): moto checks
            // the SigV4 signature, so credentials at the worker prove the provider got the exact key.
            Path secretFile = installation.dir.resolve("secrets/manager.secret");
            Files.createDirectories(secretFile.getParent());
            Files.writeString(secretFile, account.managerSecret() + "\n");
            Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
            Map<String, String> fromFile = new LinkedHashMap<>(assumeRoleConfig());
            fromFile.remove("secret-key");
            fromFile.put("secret-key.file", secretFile.toString());
            Path providerCfg = conf(installation, "io.tokenhost.s3-moto.cfg", fromFile);
            conf(installation, "io.tokenhost.s3.receiver-moto.cfg", Map.of(
                    "credentials-file", credentials.toString(), "profile", "tokenhost"));
            drop(installation, "tokenhost-s3-bundle.jar");
            installation.startHeadless();
            installation.awaitReady();

            await(() -> Files.exists(credentials), "the shared-credentials file");
            assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String file = Files.readString(credentials);
            assertThat(file).contains("[tokenhost]", "aws_access_key_id = ASIA", "aws_session_token = ");
            List<String> row = await(() -> row(installation, "s3.moto").filter(r -> r.get(1).equals("VALID")), "s3.moto VALID");
            Instant expiration = Instant.parse(value(file, "expires (\\S+)"));
            assertThat(row.get(3)).as("valid until = the credentials' expiration")
                    .startsWith(expiration.truncatedTo(ChronoUnit.SECONDS).toString());
            assertThat(Duration.between(Instant.now(), expiration)).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(16));

            Worker worker = new Worker(workerDir, credentials);
            String endpoint = moto.uri("").toString();
            assertThat(worker.run("tokenhost", "roundtrip", endpoint, account.bucket(), "a.txt")).contains("PUT ok", "MATCH");
            assertThat(worker.run("tokenhost", "wrong-token", endpoint, account.bucket(), "b.txt"))
                    .contains("REFUSED InvalidToken").doesNotContain("PUT ok");
            assertThat(worker.run("tokenhost", "unknown-key", endpoint, account.bucket(), "c.txt"))
                    .contains("REFUSED InvalidAccessKeyId").doesNotContain("PUT ok");

            // STS unreachable: the failure shows in token:status, the host retries with backoff on
            // its own, the last good credentials stay usable, and it recovers when STS is back.
            String firstKeyId = value(file, "aws_access_key_id = (\\S+)");
            stsProxy.stop();
            try {
                shell(installation, "token:obtain", "s3.moto");
                List<String> failing = await(() -> row(installation, "s3.moto")
                        .filter(r -> r.get(1).equals("FAILING") && Integer.parseInt(r.get(5)) >= 3),
                        "s3.moto FAILING after at least 3 attempts");
                assertThat(failing.get(7)).contains("STS AssumeRole failed for service 's3.moto'");
                assertThat(Files.readString(credentials)).contains(firstKeyId);
                assertThat(worker.run("tokenhost", "roundtrip", endpoint, account.bucket(), "d.txt")).contains("MATCH");
            } finally {
                stsProxy.start();
            }
            await(() -> row(installation, "s3.moto").filter(r -> r.get(1).equals("VALID") && r.get(5).equals("0")),
                    "s3.moto VALID again");
            await(() -> !Files.readString(credentials).contains(firstKeyId), "renewed credentials in the file");
            assertThat(worker.run("tokenhost", "roundtrip", endpoint, account.bucket(), "e.txt")).contains("MATCH");

            String temporarySecret = value(Files.readString(credentials), "aws_secret_access_key = (\\S+)");
            String temporaryToken = value(Files.readString(credentials), "aws_session_token = (\\S+)");
            shell(installation, "token:providers");
            shell(installation, "token:receivers");

            // Read from its file, the secret key is stored nowhere in the installation (ConfigAdmin keeps
            // secret-key.file, the path), in any form.
            assertNotStoredUnder(installation.home, account.managerSecret());

            // Withdrawal: the provider's configuration goes, the profile and then the file go.
            Files.delete(providerCfg);
            await(() -> !Files.exists(credentials), "the shared-credentials file removed on withdrawal");

            assertNoSecrets(installation, List.of(account.managerKeyId(), account.managerSecret(), temporarySecret,
                    temporaryToken), workerDir);
        }
    }

    @Test
    void sessionTokenIsObtainedAndAnOlderSdkBundleUsesTheCredentialsInTheSameJvm() throws Exception {
        try (Installation installation = Installation.unpack("session")) {
            Path workerDir = installation.dir.resolve("worker");
            Path credentials = workerDir.resolve("aws/credentials");
            Path oldSdkTokens = installation.dir.resolve("awssdk-old.txt");
            configureManager(installation);
            conf(installation, "io.tokenhost.s3-moto.cfg", assumeRoleConfig());
            Map<String, String> session = new LinkedHashMap<>();
            session.put("token-kind", "session-token");
            session.put("access-key", account.managerKeyId());
            session.put("secret-key", account.managerSecret());
            session.put("endpoint", moto.uri("").toString());
            session.put("duration", "1h");
            conf(installation, "io.tokenhost.s3-session.cfg", session);
            conf(installation, "io.tokenhost.s3.receiver-moto.cfg", Map.of(
                    "credentials-file", credentials.toString(), "profile", "tokenhost"));
            conf(installation, "io.tokenhost.s3.receiver-session.cfg", Map.of(
                    "credentials-file", credentials.toString(), "profile", "session"));
            conf(installation, "io.tokenhost.fixture.awssdk.cfg", Map.of(
                    "endpoint", moto.uri("").toString(), "source", "s3.moto"));
            conf(installation, "io.tokenhost.example.receiver.cfg", Map.of(
                    "service.name", "awssdk-old", "file", oldSdkTokens.toString()));
            // Refused by moto's STS: a wrong external id (trust policy condition) and a wrong secret (SigV4).
            Map<String, String> wrongExternalId = new LinkedHashMap<>(assumeRoleConfig());
            wrongExternalId.put("external-id", "not-the-agreed-one");
            conf(installation, "io.tokenhost.s3-wrongext.cfg", wrongExternalId);
            Map<String, String> wrongSecret = new LinkedHashMap<>(assumeRoleConfig());
            String badSecret = "Wr0ngSecretWr0ngSecretWr0ngSecret1234567";
            wrongSecret.put("secret-key", badSecret);
            conf(installation, "io.tokenhost.s3-badsecret.cfg", wrongSecret);
            // No keys configured: the manager's identity comes from the SDK's default chain
            // (here the host process's environment).
            Map<String, String> chain = new LinkedHashMap<>(assumeRoleConfig());
            chain.remove("access-key");
            chain.remove("secret-key");
            conf(installation, "io.tokenhost.s3-chain.cfg", chain);
            // A bad value: refused with a message naming the key; the host keeps serving the rest.
            Map<String, String> tooShort = new LinkedHashMap<>(assumeRoleConfig());
            tooShort.put("duration", "5m");
            conf(installation, "io.tokenhost.s3-tooshort.cfg", tooShort);
            drop(installation, "tokenhost-s3-bundle.jar");
            drop(installation, "tokenhost-itests-fixtures-awssdk-old-provider.jar");
            drop(installation, "tokenhost-examples-receiver.jar");
            installation.startHeadless(Map.of("AWS_ACCESS_KEY_ID", account.managerKeyId(),
                    "AWS_SECRET_ACCESS_KEY", account.managerSecret()));
            installation.awaitReady();

            // GetSessionToken: signed with the manager's key and accepted by moto's STS (auth on),
            // but moto answers with fixed example keys it does not accept itself: a stub.
            await(() -> row(installation, "s3.session").filter(r -> r.get(1).equals("VALID")), "s3.session VALID");
            await(() -> Files.exists(credentials) && Files.readString(credentials).contains("[session]")
                    && Files.readString(credentials).contains("[tokenhost]"), "both profiles in one file");
            String file = Files.readString(credentials);
            assertThat(section(file, "session")).contains("aws_access_key_id = AKIAIOSFODNN7EXAMPLE");
            Worker worker = new Worker(workerDir, credentials);
            assertThat(worker.run("session", "roundtrip", moto.uri("").toString(), account.bucket(), "s.txt"))
                    .as("moto refuses its own GetSessionToken stub keys").contains("REFUSED InvalidAccessKeyId");
            assertThat(worker.run("tokenhost", "roundtrip", moto.uri("").toString(), account.bucket(), "t.txt"))
                    .contains("MATCH");

            await(() -> row(installation, "s3.chain").filter(r -> r.get(1).equals("VALID")), "s3.chain VALID");
            await(() -> Installation.read(installation.log()).contains("Configuration io.tokenhost.s3~tooshort refused: "
                    + "duration: must be from 15m to 12h for assume-role, got '5m'; the component is not started"),
                    "the refused configuration, key and rule named in the log");
            assertThat(row(installation, "s3.tooshort")).as("no provider for the refused configuration").isEmpty();
            // Fixed while running: the target starts. A bad value for a running target: refused, and the
            // target keeps its settings and credentials.
            tooShort.put("duration", "15m");
            conf(installation, "io.tokenhost.s3-tooshort.cfg", tooShort);
            await(() -> row(installation, "s3.tooshort").filter(r -> r.get(1).equals("VALID")), "s3.tooshort VALID once fixed");
            chain.put("region", "EU West");
            conf(installation, "io.tokenhost.s3-chain.cfg", chain);
            await(() -> Installation.read(installation.log()).contains("Configuration io.tokenhost.s3~chain refused: "
                    + "region: must be a region name such as eu-west-1, got 'EU West'; the previous settings stay in force"),
                    "the refused region named in the log");
            assertThat(row(installation, "s3.chain")).as("the running target stays").hasValueSatisfying(
                    r -> assertThat(r.get(1)).isEqualTo("VALID"));
            assertThat(await(() -> row(installation, "s3.wrongext").filter(r -> r.get(1).equals("FAILING")),
                    "s3.wrongext FAILING").get(7)).contains("STS AssumeRole failed", "AccessDenied");
            assertThat(await(() -> row(installation, "s3.badsecret").filter(r -> r.get(1).equals("FAILING")),
                    "s3.badsecret FAILING").get(7)).contains("STS AssumeRole failed", "SignatureDoesNotMatch");

            // Two AWS SDK versions in one framework, both working against moto with auth on.
            await(() -> Files.exists(oldSdkTokens), "the older SDK bundle's tokens");
            String old = Files.readString(oldSdkTokens);
            assertThat(old).isEqualTo("awssdk=" + System.getProperty("tokenhost.awssdk.old.version")
                    + ";caller=arn:aws:sts::" + AwsAccount.ACCOUNT + ":assumed-role/worker-role/tokenhost-it");
            assertThat(Installation.read(installation.log()))
                    .contains("(AWS SDK for Java " + System.getProperty("tokenhost.awssdk.version") + ")");
            String bundles = shell(installation, "lb");
            assertThat(bundles).containsPattern("Active.*Tokenhost S3 bundle")
                    .containsPattern("Active.*Tokenhost fixture: provider embedding an older AWS SDK v2");

            // The providers' service registrations carry no configuration (no secret-key).
            String s3BundleId = value(bundles, "(?m)^\\s*(\\d+)\\|Active.*Tokenhost S3 bundle");
            String services = shell(installation, "inspect", "capability", "service", s3BundleId);
            assertThat(services).contains("io.tokenhost.api.DelegationTokenProvider", "tokenhost.s3.service = s3.moto")
                    .doesNotContain("secret-key").doesNotContain("access-key");

            assertNoSecrets(installation, List.of(account.managerKeyId(), account.managerSecret(), badSecret), workerDir);
        }
    }

    private static Map<String, String> assumeRoleConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("access-key", account.managerKeyId());
        c.put("secret-key", account.managerSecret());
        c.put("role-arn", account.roleArn());
        c.put("role-session-name", "tokenhost-it");
        c.put("external-id", AwsAccount.EXTERNAL_ID);
        c.put("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
        c.put("endpoint", "http://127.0.0.1:" + stsProxy.port());
        c.put("region", "us-east-1");
        c.put("duration", "15m");
        c.put("timeout", "5s");
        return c;
    }

    private static void configureManager(Installation installation) throws Exception {
        conf(installation, "io.tokenhost.manager.cfg", Map.of("renewal.retry.backoff", "200ms",
                "renewal.retry.backoff.max", "1s", "renewal.min-interval", "100ms"));
    }

    private static Path conf(Installation installation, String name, Map<String, String> values) throws Exception {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path file = installation.home.resolve("conf").resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void drop(Installation installation, String jar) throws Exception {
        Files.copy(PLUGIN_JARS.resolve(jar), installation.home.resolve("plugins").resolve(jar),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String shell(Installation installation, String... words) throws Exception {
        Installation.Result result = installation.client(words);
        shellOutput.add(result.stdout());
        shellOutput.add(result.stderr());
        return result.stdout();
    }

    /** The token:status row of one service, split into its columns. */
    private Optional<List<String>> row(Installation installation, String service) throws Exception {
        for (String line : shell(installation, "token:status").split("\n")) {
            List<String> cells = List.of(line.split("\\s{2,}"));
            if (cells.get(0).equals(service) && cells.size() >= 8) {
                return Optional.of(cells);
            }
        }
        return Optional.empty();
    }

    private static String value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static String section(String file, String profile) {
        int start = file.indexOf("[" + profile + "]");
        int end = file.indexOf("\n[", start + 1);
        return end < 0 ? file.substring(start) : file.substring(start, end);
    }

    private void assertNoSecrets(Installation installation, List<String> secrets, Path workerDir) throws Exception {
        String log = Installation.read(installation.log());
        String hostOut = Installation.read(installation.hostOutput());
        assertThat(log).as("the host log has content").contains("io.tokenhost");
        String shell = String.join("\n", shellOutput);
        for (String secret : secrets) {
            byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            SecretForms.assertAbsent("the host log", log, bytes);
            SecretForms.assertAbsent("the host output", hostOut, bytes);
            SecretForms.assertAbsent("the shell output", shell, bytes);
        }
        // The manager's long-term key appears nowhere on the worker side: files and outputs.
        List<Path> workerFiles;
        try (Stream<Path> files = Files.walk(workerDir)) {
            workerFiles = files.filter(Files::isRegularFile).toList();
        }
        assertThat(workerFiles).isNotEmpty();
        for (Path f : workerFiles) {
            byte[] content = Files.readAllBytes(f);
            SecretForms.assertAbsent(f + " (the manager's key id)", content,
                    account.managerKeyId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            SecretForms.assertAbsent(f + " (the manager's secret key)", content,
                    account.managerSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void assertNotStoredUnder(Path home, String secret) throws Exception {
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        boolean referenceStored = false;
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] raw = Files.readAllBytes(f);
                SecretForms.assertAbsent(f.toString(), raw, bytes);
                String content = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
                referenceStored |= f.startsWith(home.resolve("data")) && content.contains("secret-key.file");
            }
        }
        assertThat(referenceStored).as("ConfigAdmin's copy holds secret-key.file").isTrue();
    }

    private static <T> T await(Await.Probe<T> probe, String what) throws Exception {
        return Await.atMost(WAIT).value(what, probe);
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.atMost(WAIT).until(what, condition);
    }
}
