package io.tokenhost.remote.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a few files (size, modification time and file identity of what each path resolves to, so a
 * replaced symbolic link, as Kubernetes mounts secrets, counts) and runs an action once they
 * changed and then stayed the same for one more period: a certificate and its key written one after
 * the other are read together. Polling, not inotify: it also sees files behind symbolic links and on
 * network file systems, and a stat of a handful of files every {@link #PERIOD} costs nothing.
 */
public final class FileWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);
    /** How often the files are looked at: a change is acted on within two periods. */
    public static final Duration PERIOD = Duration.ofMillis(200);

    private final List<Path> files;
    private final Runnable onChange;
    private final ScheduledExecutorService thread;
    private List<Object> applied;
    private List<Object> seen;

    public FileWatch(List<Path> files, Duration period, Runnable onChange) {
        this.files = List.copyOf(files);
        this.onChange = onChange;
        this.applied = state();
        this.seen = applied;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "tokenhost-remote-file-watch");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::look, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void look() {
        try {
            List<Object> now = state();
            if (!now.equals(applied) && now.equals(seen)) {
                applied = now;
                onChange.run();
            }
            seen = now;
        } catch (RuntimeException e) {
            LOG.error("Reloading after a change of {}: {}", files, e.toString());
        }
    }

    private List<Object> state() {
        return files.stream().map(FileWatch::stateOf).toList();
    }

    private static Object stateOf(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            BasicFileAttributes link = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return List.of(a.size(), a.lastModifiedTime(), Objects.toString(a.fileKey()), link.lastModifiedTime(),
                    Objects.toString(link.fileKey()));
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
