package io.tokenhost.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP(S) endpoint: {@code /metrics} (Prometheus text exposition, written by the client
 * library's own handler), {@code /live} and {@code /ready} (small JSON bodies). GET and HEAD only:
 * another method on those paths is 405, any other path 404; nothing else is served. Runs on the
 * JDK's {@code com.sun.net.httpserver}, with two threads.
 */
final class Endpoint implements AutoCloseable {

    private static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService threads;

    private Endpoint(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * @param tls null for plain HTTP
     * @param clientAuth with TLS: whether clients must present a certificate the context trusts
     * @throws IOException if the address cannot be bound (port in use, unknown host)
     */
    static Endpoint start(String host, int port, SSLContext tls, boolean clientAuth, HostMetrics metrics,
            HostViews views, Clock clock) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("unknown host " + host);
        }
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, 16);
        } else {
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = tls.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(clientAuth);
                    params.setSSLParameters(parameters);
                }
            });
            server = https;
        }
        MetricsHandler prometheus = new MetricsHandler(metrics.registry());
        Map<String, HttpHandler> routes = Map.of(
                "/metrics", prometheus,
                "/live", exchange -> json(exchange, 200, "{\"status\":\"live\"}\n"),
                "/ready", exchange -> {
                    Readiness.Verdict verdict = Readiness.check(views, clock.instant());
                    json(exchange, verdict.status(), Readiness.json(verdict));
                });
        server.createContext("/", exchange -> route(exchange, routes));
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "tokenhost-metrics-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        return new Endpoint(server, threads);
    }

    /** The port it listens on (the one chosen, for port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private static void route(HttpExchange exchange, Map<String, HttpHandler> routes) throws IOException {
        try (exchange) {
            HttpHandler handler = routes.get(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            if (handler == null) {
                text(exchange, 404, "not found: only /metrics, /live and /ready are served\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                text(exchange, 405, "method not allowed: GET or HEAD only\n");
            } else {
                handler.handle(exchange);
            }
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
