package io.tokenhost.chaos;

import io.tokenhost.chaos.Sample.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads every worker's token file every 100 ms and judges each on its own: the token states its
 * valid-until. Keeps every sample (serial, valid-until, file time; never the bytes) and, in memory
 * only, the nonces it saw, so that the soak can look for them in the logs.
 */
final class Checker implements AutoCloseable {

    static final long INTERVAL_MS = 100;
    private static final Pattern TOKEN = Pattern.compile("chaos-token serial=(\\d+) valid-until=(\\d+) nonce=([0-9a-f]+)");

    private final List<Path> files;
    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-checker");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        return t;
    });
    private int round;
    private volatile Sample[] latest;

    Checker(List<Path> files) {
        this.files = List.copyOf(files);
    }

    void start() {
        timer.scheduleAtFixedRate(this::sampleAll, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void sampleAll() {
        try {
            sampleRound();
        } catch (RuntimeException e) {
            // never let one bad round end the sampling (a scheduled task that throws is not run again)
            e.printStackTrace();
        }
    }

    private void sampleRound() {
        Sample[] now = new Sample[files.size()];
        int r = round++;
        for (int w = 0; w < files.size(); w++) {
            now[w] = sample(w, r);
        }
        synchronized (samples) {
            samples.addAll(List.of(now));
        }
        latest = now;
    }

    private Sample sample(int worker, int r) {
        Path file = files.get(worker);
        long at = System.currentTimeMillis();
        byte[] bytes;
        long modified;
        try {
            bytes = Files.readAllBytes(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return new Sample(at, r, worker, State.ABSENT, 0, 0, 0); // none, or removed while being read
        }
        Matcher m = TOKEN.matcher(new String(bytes, StandardCharsets.UTF_8));
        if (!m.matches()) {
            return new Sample(at, r, worker, State.UNREADABLE, 0, 0, modified);
        }
        nonces.add(m.group(3));
        long validUntil = Long.parseLong(m.group(2));
        return new Sample(at, r, worker, validUntil > at ? State.VALID : State.EXPIRED, Long.parseLong(m.group(1)),
                validUntil, modified);
    }

    /** Whether every worker's file was valid in the last round. */
    boolean allValid() {
        Sample[] last = latest;
        if (last == null) {
            return false;
        }
        for (Sample s : last) {
            if (s.state() != State.VALID) {
                return false;
            }
        }
        return true;
    }

    /** The last round, or empty before the first. */
    List<Sample> latest() {
        Sample[] last = latest;
        return last == null ? List.of() : List.of(last);
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The nonces of every token seen (for the log scan; never printed). */
    Set<String> nonces() {
        return Set.copyOf(nonces);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
