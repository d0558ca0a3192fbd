package io.tokenhost.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.telemetry.ObtainRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The endpoint on a real socket: what it serves, what it refuses, and a port in use. */
class EndpointTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsLiveAndReadyAndNothingElse() throws Exception {
        HostViews views = new HostViews();
        HostMetrics metrics = new HostMetrics(views, new PluginCensus(null), Clock.systemUTC());
        metrics.obtainEnded(new ObtainRecord("s3", ObtainRecord.Result.FAILURE, Duration.ofMillis(30), Optional.empty(),
                Optional.empty(), 1));
        try (Endpoint endpoint = Endpoint.start("127.0.0.1", 0, null, false, metrics, views, Clock.systemUTC())) {
            int port = endpoint.port();
            HttpResponse<String> scrape = send(port, "GET", "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("tokenhost_obtains_total{result=\"failure\",service=\"s3\"} 1.0",
                    "tokenhost_obtains_total{result=\"success\",service=\"s3\"} 0.0",
                    "tokenhost_obtain_duration_seconds_bucket{service=\"s3\",le=\"0.05\"} 1",
                    "tokenhost_role{role=\"standalone\"} 1.0", "# TYPE jvm_memory_used_bytes gauge");
            assertThat(send(port, "GET", "/live").body()).isEqualTo("{\"status\":\"live\"}\n");
            HttpResponse<String> ready = send(port, "GET", "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(send(port, "POST", "/metrics").statusCode()).isEqualTo(405);
            assertThat(send(port, "PUT", "/ready").headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(send(port, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(send(port, "GET", "/-/healthy").statusCode()).isEqualTo(404);
            assertThat(send(port, "GET", "/metrics/x").statusCode()).isEqualTo(404);
            assertThat(send(port, "HEAD", "/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusalCountersOfEverySourceAreServedAndOneThatThrowsIsLeftOut() throws Exception {
        HostViews views = new HostViews();
        HostMetrics metrics = new HostMetrics(views, new PluginCensus(null), Clock.systemUTC());
        views.counters("console", () -> Map.of("console.busy", 2L, "console.idle-closed", 0L));
        views.counters("remote", () -> Map.of("malformed-frames", 7L));
        views.counters("gone", () -> {
            throw new IllegalStateException("its bundle stopped");
        });
        try (Endpoint endpoint = Endpoint.start("127.0.0.1", 0, null, false, metrics, views, Clock.systemUTC())) {
            String body = send(endpoint.port(), "GET", "/metrics").body();
            assertThat(body).contains("# TYPE tokenhost_refusals_total counter",
                    "tokenhost_refusals_total{reason=\"busy\",source=\"console\"} 2.0",
                    "tokenhost_refusals_total{reason=\"idle-closed\",source=\"console\"} 0.0",
                    "tokenhost_refusals_total{reason=\"malformed-frames\",source=\"remote\"} 7.0")
                    .doesNotContain("source=\"gone\"");
        }
    }

    @Test
    void aPortInUseIsRefused() throws Exception {
        HostViews views = new HostViews();
        HostMetrics metrics = new HostMetrics(views, new PluginCensus(null), Clock.systemUTC());
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> Endpoint.start("127.0.0.1", taken.getLocalPort(), null, false, metrics, views,
                    Clock.systemUTC())).isInstanceOf(IOException.class);
        }
    }
}
