package io.tokenhost.itests.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.itests.support.Await;
import io.tokenhost.itests.support.Installation;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real moto server ({@code python -m moto.server}, the Python of the build's own venv:
 * {@link MotoVenv}) on a free loopback port, with STS, IAM and S3. Authentication is off until {@link #enableAuth()}: setup calls before it need no valid
 * signature; every call after it is checked (SigV4, known keys, session tokens, IAM policies).
 */
final class MotoServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The venv's moto version and where it is imported from; fails when that is not the pinned one. */
    static String installedVersion(Path python) throws Exception {
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import moto, flask; print(moto.__version__, moto.__file__)").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(python + " answers").isTrue();
        String pinned = System.getProperty("tokenhost.moto.version");
        if (p.exitValue() != 0 || !out.startsWith(pinned + " ")) {
            throw new AssertionError(python + " does not have moto[server]==" + pinned + " (delete "
                    + python.getParent().getParent() + " and the build sets it up again): " + out);
        }
        return out;
    }

    static MotoServer start(Path python, Path log) throws Exception {
        return start(List.of(python.toString(), "-m", "moto.server"), Map.of(), log);
    }

    /**
     * moto with AssumeRole sessions of at most {@code sessionSeconds} that are refused once expired
     * ({@code moto_short_sessions.py}, a launcher that changes only that), for tests that must see
     * several renewals and real expiry within a minute.
     */
    static MotoServer startWithShortSessions(Path python, Path log, int sessionSeconds) throws Exception {
        Path launcher = Path.of(System.getProperty("tokenhost.worker.classes"), "moto_short_sessions.py");
        return start(List.of(python.toString(), launcher.toString()),
                Map.of("TOKENHOST_MOTO_SESSION_SECONDS", String.valueOf(sessionSeconds)), log);
    }

    private static MotoServer start(List<String> command, Map<String, String> env, Path log) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> full = new java.util.ArrayList<>(command);
        full.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        MotoServer moto = new MotoServer(process, port);
        try {
            // An IOException (not listening yet) counts as not ready.
            Await.atMost(START_TIMEOUT).until("the moto server to answer", () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("moto server exited with " + process.exitValue());
                }
                return moto.http.send(HttpRequest.newBuilder(moto.uri("/moto-api/")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
            return moto;
        } catch (AssertionError notReady) { // exited, or not ready in time: show its log
            moto.close();
            throw new AssertionError(notReady.getMessage() + ": " + Installation.read(log), notReady);
        }
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * A Query API call (IAM, STS) while authentication is still off: the Authorization header only
     * tells moto's single-port dispatcher which service is meant; its signature is not checked.
     */
    String query(String service, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIASETUPSETUPSETUP1/20260101/us-east-1/"
                        + service + "/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(service + " " + form + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Creates a bucket with an unsigned request (authentication still off). */
    void createBucket(String bucket) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("create bucket: " + response.body()).isEqualTo(200);
    }

    /** From now on moto checks every request's signature, keys, session token and IAM policy. */
    void enableAuth() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/moto-api/reset-auth"))
                .POST(HttpRequest.BodyPublishers.ofString("0")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("reset-auth: " + response.body()).isEqualTo(200);
    }

    static String xml(String body, String element) {
        int start = body.indexOf("<" + element + ">");
        int end = body.indexOf("</" + element + ">");
        if (start < 0 || end < 0) {
            throw new AssertionError("no <" + element + "> in " + body);
        }
        return body.substring(start + element.length() + 2, end);
    }

    @Override
    public void close() throws Exception {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
