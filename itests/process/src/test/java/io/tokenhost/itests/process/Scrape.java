package io.tokenhost.itests.process;

import io.tokenhost.itests.support.PythonVenv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One scrape of a host's {@code /metrics}, parsed by Prometheus's own Python parser
 * ({@code prometheus_client.parser}, in a venv the build makes once): the samples by {@code
 * name{label="value",...}} (labels sorted) and the family names with their types.
 */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path python;

    final Map<String, Double> samples;
    final Map<String, String> families;

    private Scrape(Map<String, Double> samples, Map<String, String> families) {
        this.samples = samples;
        this.families = families;
    }

    static synchronized Path python() throws Exception {
        if (python == null) {
            String version = System.getProperty("tokenhost.prometheus-client.version");
            String venv = System.getProperty("tokenhost.prometheus.venv");
            if (version == null || venv == null) {
                throw new IllegalStateException("run MetricsIT through Maven (-pl itests/process -am verify), which"
                        + " sets tokenhost.prometheus-client.version and tokenhost.prometheus.venv");
            }
            python = PythonVenv.python(Path.of(venv), List.of("prometheus_client==" + version), 9,
                    "MetricsIT (itests/process)");
        }
        return python;
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Scrape of(int port) throws Exception {
        HttpResponse<String> response = get(port, "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    static Scrape parse(String exposition) throws Exception {
        PythonVenv.Result parsed = PythonVenv.run(python(), List.of(script().toString(), "metrics"), exposition);
        if (parsed.exit() != 0) {
            throw new AssertionError("prometheus_client could not parse the exposition: " + parsed.output());
        }
        Map<String, Double> samples = new TreeMap<>();
        Map<String, String> families = new TreeMap<>();
        for (String line : parsed.output().lines().toList()) {
            String[] f = line.split("\t");
            if (f[0].equals("F")) {
                families.put(f[1], f[2]);
            } else if (f[0].equals("S")) {
                samples.put(f[1], Double.parseDouble(f[2]));
            }
        }
        return new Scrape(samples, families);
    }

    /** Each line's event name, after Python's json module read every line as one object. */
    static List<String> auditEvents(Path file) throws Exception {
        PythonVenv.Result parsed = PythonVenv.run(python(), List.of(script().toString(), "jsonl"), Files.readString(file));
        if (parsed.exit() != 0) {
            throw new AssertionError(file + " is not JSON lines: " + parsed.output());
        }
        return parsed.output().lines().toList();
    }

    private static Path script() throws Exception {
        return Path.of(Scrape.class.getResource("/prometheus_check.py").toURI());
    }

    Optional<Double> value(String sample) {
        return Optional.ofNullable(samples.get(sample));
    }

    double get(String sample) {
        Double v = samples.get(sample);
        if (v == null) {
            throw new AssertionError("no sample " + sample + " in the scrape; samples: " + samples.keySet());
        }
        return v;
    }

    /** Every family name and sample name (for checking the names docs/ uses). */
    Set<String> names() {
        Set<String> names = new TreeSet<>(families.keySet());
        samples.keySet().forEach(s -> names.add(s.substring(0, s.indexOf('{'))));
        return names;
    }
}
