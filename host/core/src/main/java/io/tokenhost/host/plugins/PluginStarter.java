package io.tokenhost.host.plugins;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import io.tokenhost.api.Durations;
import io.tokenhost.host.config.ManagerConfiguration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the bundles FileInstall installs from {@code plugins/} (FileInstall itself only installs,
 * updates and uninstalls them: {@code felix.fileinstall.bundles.new.start=false}), one at a time on
 * its own thread, each start on a thread of its own with a deadline, {@code plugin.start-timeout}.
 * A start still running after it is reported (with the stack of the hanging thread), logged once and
 * quarantined: later plugins keep starting, and at the next host start the plugin is not started
 * until released ({@code token:release}) or its jar replaced. Starts are transient, so the framework
 * never starts a plugin on its own start-level thread at the next start.
 */
@Component(immediate = true, service = PluginStarter.class, configurationPid = ManagerConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PluginStarter implements BundleListener {

    static final String TIMEOUT_KEY = "plugin.start-timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String HOME = "tokenhost.home";
    static final String HUNG = "start() did not return within ";
    /** A plugin installed and queued for its start (behind the core bundles and earlier plugins). */
    static final String QUEUED = "waiting for its start";
    private static final String START_THREAD = "tokenhost-plugin-start-";
    /** Where the launcher installs core bundles from (see the launcher's CoreBundles). */
    static final String CORE_LOCATION = "tokenhost:bundle/";
    static final Duration CORE_WAIT = Duration.ofSeconds(20);

    private static final Logger LOG = LoggerFactory.getLogger(PluginStarter.class);

    /** A start that did not return in time, while it is still running. */
    record HungStart(Thread thread, Instant since, Duration timeout, Path jar, long jarModified) {
    }

    private final Clock clock = Clock.systemUTC();
    private final Map<Long, HungStart> hung = new ConcurrentHashMap<>();
    /** Bundles submitted for a start and not yet looked at by the starter's thread. */
    private final Map<Long, Integer> queued = new ConcurrentHashMap<>();
    /** Bundles the starter is starting now. */
    private final java.util.Set<Long> ourStarts = ConcurrentHashMap.newKeySet();
    /** Bundles seen STARTING by a start the starter did not make, since when. */
    private final Map<Long, Instant> startingSince = new ConcurrentHashMap<>();
    /** Bundle id to the last-modified stamp of the revision whose start was attempted. */
    private final Map<Long, Long> attempted = new ConcurrentHashMap<>();
    private volatile Duration timeout = DEFAULT_TIMEOUT;
    private BundleContext context;
    private Path directory;
    private PluginQuarantine quarantine;
    private LeftoverThreads leftovers;
    private ExecutorService coordinator;
    private ScheduledExecutorService watchdog;
    private final SynchronousBundleListener frameworkStopping = event -> {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
            abandonAll("the host is stopping");
        }
    };

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        configure(properties);
        String plugins = context.getProperty(PluginReporter.PLUGINS_DIR);
        if (plugins == null) {
            return;
        }
        directory = Path.of(plugins).toAbsolutePath().normalize();
        String home = context.getProperty(HOME);
        Path file = home == null ? context.getDataFile(PluginQuarantine.FILE_NAME).toPath()
                : Path.of(home).resolve("data").resolve(PluginQuarantine.FILE_NAME);
        quarantine = new PluginQuarantine(file);
        leftovers = new LeftoverThreads();
        coordinator = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-plugin-starter");
            thread.setDaemon(true);
            return thread;
        });
        watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tokenhost-plugin-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            abandonRemovedJars();
            watchOtherStarts();
        }, 250, 250, TimeUnit.MILLISECONDS);
        context.addBundleListener(frameworkStopping);
        context.addBundleListener(this);
        coordinator.execute(this::awaitCoreBundles);
        for (Bundle bundle : context.getBundles()) {
            leftovers.remember(bundle);
            submit(bundle);
        }
    }

    @Modified
    void configure(Map<String, Object> properties) {
        try {
            timeout = ConfigValues.of(properties, ManagerConfiguration.class)
                    .duration(TIMEOUT_KEY, Duration.ofMillis(100), Duration.ofHours(1));
        } catch (ConfigurationRefusedException e) {
            timeout = DEFAULT_TIMEOUT; // the manager's configuration refusal names the key
        }
    }

    @Deactivate
    void deactivate() {
        if (coordinator != null) {
            context.removeBundleListener(this);
            context.removeBundleListener(frameworkStopping);
            coordinator.shutdownNow();
            watchdog.shutdownNow();
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.RESOLVED -> submit(bundle);
            case BundleEvent.UPDATED -> {
                leftovers.leftBy(bundle, "updated");
                hung.remove(bundle.getBundleId());
                submit(bundle);
            }
            case BundleEvent.STARTED -> leftovers.remember(bundle);
            case BundleEvent.UNINSTALLED -> {
                leftovers.leftBy(bundle, "uninstalled");
                attempted.remove(bundle.getBundleId());
            }
            default -> {
                // nothing to do
            }
        }
    }

    /**
     * Before the first plugin starts, every core bundle (installed by the launcher from {@code bundle/})
     * is up: the console, the token manager and the remote role are there whatever a plugin does.
     * Waits at most {@link #CORE_WAIT}, then starts plugins anyway (a core bundle that cannot start is
     * the launcher's to report).
     */
    private void awaitCoreBundles() {
        long deadline = System.nanoTime() + CORE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean up = true;
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getLocation().startsWith(CORE_LOCATION) && bundle.getState() != Bundle.ACTIVE
                        && bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                    up = false;
                }
            }
            if (up) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("Not every core bundle is active after {}; starting plugins anyway", Durations.format(CORE_WAIT));
    }

    /**
     * Why a plugin bundle is not serving, as far as starting it goes: queued for its start (not yet
     * resolved only because nobody started it yet), hung or quarantined.
     */
    Optional<String> problem(Bundle bundle) {
        HungStart start = hung.get(bundle.getBundleId());
        if (start != null && bundle.getState() == Bundle.STARTING) {
            return Optional.of(HUNG + Durations.format(start.timeout()) + " (" + TIMEOUT_KEY + "), since "
                    + start.since() + "; quarantined at the next start; " + ThreadStacks.describe(start.thread()));
        }
        Optional<String> quarantined = quarantined(bundle).map(entry -> "QUARANTINED: not started because its"
                + " start() hung on " + entry.since() + "; release it with 'token:release " + entry.symbolicName()
                + "' or replace the jar");
        if (quarantined.isEmpty() && queued.containsKey(bundle.getBundleId())
                && (bundle.getState() == Bundle.INSTALLED || bundle.getState() == Bundle.RESOLVED)) {
            return Optional.of(QUEUED + " (plugins start one at a time, after the host's core bundles)");
        }
        return quarantined;
    }

    /** Threads still running code of uninstalled or updated plugin revisions, one line each. */
    List<String> leftoverThreads() {
        return leftovers == null ? List.of() : leftovers.current();
    }

    /** Deletes the quarantine entry of a plugin and starts it (with the deadline); says what it did. */
    public String release(String symbolicName) throws IOException {
        if (quarantine == null) {
            throw new IllegalStateException("this host has no plugins directory");
        }
        if (!quarantine.release(symbolicName)) {
            throw new IllegalArgumentException("no quarantined plugin " + symbolicName + " (quarantined: "
                    + (quarantine.entries().isEmpty() ? "none" : String.join(", ", quarantine.entries().keySet())) + ")");
        }
        LOG.info("Plugin {} released from quarantine; starting it", symbolicName);
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                attempted.remove(bundle.getBundleId());
                submit(bundle);
            }
        }
        return "Released " + symbolicName + "; starting it (see token:plugins).";
    }

    private Optional<PluginQuarantine.Entry> quarantined(Bundle bundle) {
        if (quarantine == null || bundle.getSymbolicName() == null) {
            return Optional.empty();
        }
        return jar(bundle).flatMap(jar -> quarantine.holding(bundle.getSymbolicName(), jar));
    }

    private Optional<Path> jar(Bundle bundle) {
        return PluginInspector.fileOf(bundle.getLocation()).filter(path -> directory.equals(path.getParent()));
    }

    private void submit(Bundle bundle) {
        if (coordinator == null || jar(bundle).isEmpty()) {
            return;
        }
        long id = bundle.getBundleId();
        queued.merge(id, 1, Integer::sum);
        try {
            coordinator.execute(() -> {
                try {
                    startIfDue(bundle);
                } finally {
                    unqueue(id);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            unqueue(id); // deactivated
        }
    }

    private void unqueue(long id) {
        queued.computeIfPresent(id, (key, count) -> count > 1 ? count - 1 : null);
    }

    private void startIfDue(Bundle bundle) {
        int state = bundle.getState();
        if ((state != Bundle.INSTALLED && state != Bundle.RESOLVED)
                || bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null
                || Long.valueOf(bundle.getLastModified()).equals(attempted.get(bundle.getBundleId()))) {
            return;
        }
        Optional<PluginQuarantine.Entry> entry = quarantined(bundle);
        if (entry.isPresent()) {
            attempted.put(bundle.getBundleId(), bundle.getLastModified());
            LOG.warn("Plugin {} {} is quarantined and not started: its start() hung on {}; release it with"
                    + " 'token:release {}' or replace the jar", bundle.getSymbolicName(), bundle.getVersion(),
                    entry.get().since(), bundle.getSymbolicName());
            return;
        }
        FutureTask<Void> start = new FutureTask<>(() -> {
            bundle.start(Bundle.START_TRANSIENT);
            return null;
        });
        Thread thread = new Thread(start, START_THREAD + bundle.getSymbolicName());
        thread.setDaemon(true);
        Instant began = clock.instant();
        Duration deadline = timeout;
        ourStarts.add(bundle.getBundleId());
        thread.start();
        try {
            start.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            attempted.put(bundle.getBundleId(), bundle.getLastModified());
        } catch (TimeoutException e) {
            attempted.put(bundle.getBundleId(), bundle.getLastModified());
            hang(bundle, thread, began, deadline, start);
        } catch (ExecutionException e) {
            failed(bundle, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ourStarts.remove(bundle.getBundleId());
        }
    }

    private void failed(Bundle bundle, Throwable cause) {
        if (cause instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR) {
            return; // token:plugins names what is missing; a RESOLVED event brings it back here
        }
        attempted.put(bundle.getBundleId(), bundle.getLastModified());
        LOG.error("Plugin {} {} did not start: {}", bundle.getSymbolicName(), bundle.getVersion(),
                rootCause(cause));
    }

    private void hang(Bundle bundle, Thread thread, Instant began, Duration deadline, FutureTask<Void> start) {
        report(bundle, thread, began, deadline);
        Thread watcher = new Thread(() -> lateReturn(bundle, start), "tokenhost-plugin-late-" + bundle.getSymbolicName());
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Reports a hung start (token:plugins, the log, once) and quarantines the plugin. */
    private HungStart report(Bundle bundle, Thread thread, Instant began, Duration deadline) {
        Path file = jar(bundle).orElse(directory.resolve("?"));
        HungStart hungStart = new HungStart(thread, began, deadline, file, modified(file));
        hung.put(bundle.getBundleId(), hungStart);
        leftovers.remember(bundle);
        LOG.error("Plugin {} {}: {}{} ({}); later plugins keep starting, and it is quarantined at the next start"
                + " (release: token:release {}); {}", bundle.getSymbolicName(), bundle.getVersion(), HUNG,
                Durations.format(deadline), TIMEOUT_KEY, bundle.getSymbolicName(), ThreadStacks.describe(thread));
        try {
            quarantine.add(bundle.getSymbolicName(), bundle.getVersion().toString(), file, began);
        } catch (IOException e) {
            LOG.error("Could not record plugin {} in quarantine ({}): it will hang the next start too",
                    bundle.getSymbolicName(), e.toString());
        }
        return hungStart;
    }

    /**
     * A plugin start the starter did not make: Felix restarts an active bundle after FileInstall
     * updated it, on FileInstall's watcher thread. One whose activator has not returned within the
     * deadline is reported and quarantined like any, and its thread stopped at once, since that
     * thread is FileInstall's and every later jar waits for it (Felix turns the stop into an
     * activator error, and FileInstall goes on).
     */
    private void watchOtherStarts() {
        Instant now = clock.instant();
        for (Bundle bundle : context.getBundles()) {
            long id = bundle.getBundleId();
            if (bundle.getState() != Bundle.STARTING || ourStarts.contains(id) || hung.containsKey(id)
                    || jar(bundle).isEmpty()) {
                startingSince.remove(id);
                continue;
            }
            Instant since = startingSince.computeIfAbsent(id, k -> now);
            Duration deadline = timeout;
            if (Duration.between(since, now).compareTo(deadline) < 0) {
                continue;
            }
            Optional<Thread> thread = activatorThread(bundle);
            if (thread.isPresent()) {
                startingSince.remove(id);
                abandon(id, report(bundle, thread.get(), since, deadline), "it ran on "
                        + thread.get().getName() + ", which must go on");
            }
        }
    }

    /** The thread running the bundle's activator's start(), found by its stack. */
    private static Optional<Thread> activatorThread(Bundle bundle) {
        String activator = bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATOR);
        if (activator == null) {
            return Optional.empty();
        }
        String name = activator.trim();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement frame : entry.getValue()) {
                if (frame.getClassName().equals(name) && frame.getMethodName().equals("start")) {
                    return Optional.of(entry.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Felix holds a bundle's lock while its activator runs, and uninstalling or updating the bundle
     * waits for that lock without a deadline: FileInstall's watcher would wait forever once the jar of
     * a hung plugin is deleted or replaced. So then (and when the host stops) the hung start's thread
     * is stopped: interrupted, and if it ignores that, {@link Thread#stop()}ped; its bundle goes back
     * to RESOLVED and the framework can go on.
     */
    private void abandonRemovedJars() {
        hung.forEach((id, start) -> {
            if (start.thread().isAlive() && modified(start.jar()) != start.jarModified()) {
                abandon(id, start, "its jar was deleted or replaced");
            }
        });
    }

    private void abandonAll(String why) {
        hung.forEach((id, start) -> abandon(id, start, why));
    }

    @SuppressWarnings({"removal", "deprecation"})
    private void abandon(long bundleId, HungStart start, String why) {
        Thread thread = start.thread();
        if (!hung.remove(bundleId, start) || !thread.isAlive()) {
            return;
        }
        boolean ours = thread.getName().startsWith(START_THREAD);
        Bundle bundle = context.getBundle(bundleId);
        try {
            if (ours) {
                thread.interrupt(); // never another's thread: FileInstall's watcher ends on an interrupt
                thread.join(200);
            }
            if (ours ? thread.isAlive() : bundle != null && bundle.getState() == Bundle.STARTING) {
                thread.stop();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (System.nanoTime() < until && (ours ? thread.isAlive()
                        : bundle != null && bundle.getState() == Bundle.STARTING)) {
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UnsupportedOperationException e) {
            LOG.error("Could not stop the hung start of plugin bundle [{}] ({}): this Java has no Thread.stop", bundleId, why);
            return;
        }
        boolean stillHung = ours ? thread.isAlive() : bundle != null && bundle.getState() == Bundle.STARTING;
        LOG.warn("Stopped the hung start of plugin bundle [{}] because {}{}", bundleId, why,
                stillHung ? ", but it still runs" : "");
    }

    private static long modified(Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A start that returns after all was slow, not hung: it leaves quarantine. */
    private void lateReturn(Bundle bundle, FutureTask<Void> start) {
        try {
            start.get();
            if (bundle.getState() != Bundle.ACTIVE) {
                return;
            }
            LOG.warn("Plugin {} {} started after all, late: released from quarantine", bundle.getSymbolicName(),
                    bundle.getVersion());
        } catch (ExecutionException | InterruptedException | java.util.concurrent.CancellationException e) {
            return; // failed late or stopped by abandon(): stays quarantined
        }
        hung.remove(bundle.getBundleId());
        try {
            quarantine.release(bundle.getSymbolicName());
        } catch (IOException e) {
            LOG.warn("Could not release plugin {} from quarantine: {}", bundle.getSymbolicName(), e.toString());
        }
    }

    /** The innermost cause, one bounded line. */
    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return io.tokenhost.host.core.Errors.oneLine(root.toString(), ActivationFailure.MAX_LENGTH);
    }
}
