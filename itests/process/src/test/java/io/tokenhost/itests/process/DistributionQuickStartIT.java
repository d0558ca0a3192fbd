package io.tokenhost.itests.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Quick start" section, step by step, from the real tarball: unpack it, copy the s3
 * bundle (and the example provider) from {@code opt/} into {@code plugins/}, write the s3
 * provider's {@code .cfg}, start {@code bin/tokenhost --headless}, look with {@code token:status}.
 *
 * <p>The steps are the README's text: {@link #COPY_S3}, {@link #COPY_EXAMPLE} and
 * {@link #WRITE_S3_CFG} are run with {@code sh} as written, and the test first checks that
 * README.md still shows each of them verbatim; change both together.
 *
 * <p>The one thing a user brings that a test cannot: an AWS identity and STS. The host gets
 * made-up keys in its environment, as a user's shell would hold real ones, and the SDK's standard
 * {@code AWS_ENDPOINT_URL_STS} points it at a stand-in STS here that answers GetSessionToken and
 * records what it was asked (so the test sees the {@code .cfg}'s duration and region applied).
 */
class DistributionQuickStartIT {

    /** The README's quick-start commands, run in the unpacked installation exactly as written. */
    static final String COPY_S3 = "cp opt/tokenhost-s3-bundle-*.jar plugins/";
    static final String COPY_EXAMPLE = "cp opt/tokenhost-examples-provider-*.jar plugins/";
    static final String WRITE_S3_CFG = """
            cat > conf/io.tokenhost.s3.cfg <<'EOF'
            duration=2h
            region=us-east-1
            EOF""";

    private static final Path README = Path.of(System.getProperty("tokenhost.readme", "../../README.md"));
    private static final Await AWAIT = Await.atMost(Duration.ofSeconds(30));
    private static final String KEY_ID = "AKIAQUICKSTART000001";
    private static final String SECRET = "quickStartSecretNotARealOne0000000000001";
    private static final String SESSION_SECRET = "quickStartSessionSecret00000000000000002";
    private static final String SESSION_TOKEN = "quickStartSessionToken000000000000000000000000000000003";

    @Test
    void theReadmeQuickStartRunsFromTheTarball() throws Exception {
        long begin = System.nanoTime();
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        for (String step : List.of(COPY_S3, COPY_EXAMPLE, WRITE_S3_CFG)) {
            assertThat(readme).as("README.md's Quick start shows this step of DistributionQuickStartIT").contains(step);
        }

        List<Map<String, String>> stsCalls = new CopyOnWriteArrayList<>();
        HttpServer sts = stsStandIn(stsCalls);
        try (Installation installation = Installation.unpack("quickstart")) {
            // tar xzf tokenhost-<version>.tar.gz (Installation.unpack: tar on the tarball the build made, once per test JVM, then a copy):
            // every plugin in opt/, none in plugins/
            assertThat(jars(installation.home.resolve("opt"))).containsExactlyInAnyOrder(
                    "tokenhost-hadoop-bundle-*.jar", "tokenhost-hbase-bundle-*.jar", "tokenhost-s3-bundle-*.jar",
                    "tokenhost-examples-provider-*.jar", "tokenhost-examples-receiver-*.jar");
            assertThat(jars(installation.plugins())).isEmpty();

            sh(installation, COPY_S3);
            sh(installation, COPY_EXAMPLE);
            sh(installation, WRITE_S3_CFG);
            assertThat(jars(installation.plugins()))
                    .containsExactlyInAnyOrder("tokenhost-s3-bundle-*.jar", "tokenhost-examples-provider-*.jar");

            // bin/tokenhost --headless &, with the user's AWS identity in its environment
            installation.startHeadless(Map.of(
                    "AWS_ACCESS_KEY_ID", KEY_ID,
                    "AWS_SECRET_ACCESS_KEY", SECRET,
                    "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort()));
            Duration ready = installation.awaitReady();

            // bin/tokenhost client token:status
            AWAIT.until("s3 and example VALID in token:status", () -> row(installation, "s3")
                    .filter(r -> r.get(1).equals("VALID")).isPresent()
                    && row(installation, "example").filter(r -> r.get(1).equals("VALID")).isPresent());
            long toTokens = (System.nanoTime() - begin) / 1_000_000;

            String lb = ok(installation, "lb");
            assertThat(lb).containsPattern("(?m)\\|Active\\s*\\|.*Tokenhost S3 bundle")
                    .containsPattern("(?m)\\|Active\\s*\\|.*Tokenhost example provider");
            assertThat(ok(installation, "token:providers")).contains("s3", "io.tokenhost.s3", "example");
            // The .cfg applied: GetSessionToken for 2 h, signed for us-east-1 with the environment's key.
            assertThat(stsCalls).isNotEmpty();
            Map<String, String> call = stsCalls.get(0);
            assertThat(call).containsEntry("Action", "GetSessionToken").containsEntry("DurationSeconds", "7200");
            assertThat(call.get("authorization")).contains("Credential=" + KEY_ID + "/", "/us-east-1/sts/aws4_request");
            assertThat(Installation.read(installation.log())).contains(
                    "s3 provider 's3': session-token, identity default credential chain, region us-east-1, duration 2h");

            // Beyond the README: the rest of opt/ are bundles that this host installs and starts too.
            for (String jar : List.of("tokenhost-hadoop-bundle-", "tokenhost-hbase-bundle-", "tokenhost-examples-receiver-")) {
                Path file = only(installation.home.resolve("opt"), jar);
                installation.dropPlugin(file, file.getFileName().toString());
            }
            List<Pattern> serving = Stream.of("io.tokenhost.s3", "io.tokenhost.example.provider", "io.tokenhost.hadoop",
                    "io.tokenhost.hbase", "io.tokenhost.example.receiver")
                    .map(bsn -> Pattern.compile("(?m)\\.jar\\s+" + Pattern.quote(bsn) + " \\S+ \\[\\d+\\]\\s+ACTIVE\\s+-\\s*$"))
                    .toList();
            String plugins = AWAIT.until("every plugin from opt/ ACTIVE, with no problem, in token:plugins",
                    () -> ok(installation, "token:plugins"),
                    out -> serving.stream().allMatch(p -> p.matcher(out).find()));
            assertThat(plugins).doesNotContain("INSTALLED");
            // ... and their components run: both receivers registered, the example one handed the example tokens.
            AWAIT.until("the hadoopfs and example receivers in token:receivers", () -> ok(installation, "token:receivers"),
                    out -> Pattern.compile("(?m)^hadoopfs\\s+io\\.tokenhost\\.hadoop ").matcher(out).find()
                            && Pattern.compile("(?m)^example\\s+io\\.tokenhost\\.example\\.receiver \\[\\d+\\]\\s+\\d+\\s")
                                    .matcher(out).find());

            String everything = Installation.read(installation.log()) + Installation.read(installation.hostOutput());
            assertThat(everything).doesNotContain(SECRET).doesNotContain(SESSION_SECRET).doesNotContain(SESSION_TOKEN);
            System.out.println("[figures] quick start: tarball unpacked -> s3 and example VALID: " + toTokens
                    + " ms (host start -> client lb answers: " + ready.toMillis() + " ms)");
        } finally {
            sts.stop(0);
        }
    }

    /** Runs one README command with {@code sh}, in the installation's directory. */
    private static void sh(Installation installation, String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).directory(installation.home.toFile())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
        assertThat(p.exitValue()).as(command + ": " + output).isZero();
    }

    /** The jars in a folder, with the version replaced by {@code *} (as the README's globs name them). */
    private static List<String> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .map(n -> n.replaceFirst("-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\.jar$", "-*.jar")).toList();
        }
    }

    private static Path only(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matches).as(prefix + "* in " + dir).hasSize(1);
            return matches.get(0);
        }
    }

    private static String ok(Installation installation, String... command) throws Exception {
        Installation.Result result = installation.client(command);
        assertThat(result.status()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    /** The token:status row of one service, split into its columns. */
    private static Optional<List<String>> row(Installation installation, String service) throws Exception {
        for (String line : ok(installation, "token:status").split("\n")) {
            List<String> cells = List.of(line.strip().split("\\s{2,}"));
            if (cells.get(0).equals(service) && cells.size() >= 2) {
                return Optional.of(cells);
            }
        }
        return Optional.empty();
    }

    /**
     * Answers every STS call as GetSessionToken does (query protocol): credentials valid for the
     * requested duration. Records each call's form parameters and its Authorization header.
     */
    private static HttpServer stsStandIn(List<Map<String, String>> calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Map<String, String> call = form(exchange);
                calls.add(call);
                long seconds = Long.parseLong(call.getOrDefault("DurationSeconds", "3600"));
                String body = """
                        <GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <GetSessionTokenResult>
                            <Credentials>
                              <AccessKeyId>ASIAQUICKSTART000001</AccessKeyId>
                              <SecretAccessKey>%s</SecretAccessKey>
                              <SessionToken>%s</SessionToken>
                              <Expiration>%s</Expiration>
                            </Credentials>
                          </GetSessionTokenResult>
                          <ResponseMetadata><RequestId>quick-start-1</RequestId></ResponseMetadata>
                        </GetSessionTokenResponse>
                        """.formatted(SESSION_SECRET, SESSION_TOKEN,
                        Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS));
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/xml");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> call = new HashMap<>();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        List<String> pairs = new ArrayList<>(List.of(body.split("&")));
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                call.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        call.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        return call;
    }
}
