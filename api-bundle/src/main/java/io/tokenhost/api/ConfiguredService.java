package io.tokenhost.api;

import java.util.Map;
import java.util.Optional;

/**
 * What a component offers for its configuration, started by the component itself from accepted
 * settings (typically services it registers by hand) and replaced as a whole by every newly
 * accepted configuration: the old one stops before the new one starts, so consumers see it leave
 * and arrive as after a restart of the component. A refused configuration leaves it running, the
 * reaction of {@link Configured}; while no configuration was ever accepted, nothing runs.
 *
 * <p>The component itself stays active while its configuration is refused, so that the fixed
 * configuration reaches its modified method: once an activate method has thrown, Felix SCR 2.2 does
 * not activate again an immediate component that provides no service and declares a modified
 * method, whatever the configuration becomes.
 *
 * <pre>{@code
 * private final ConfiguredService<Settings> service = new ConfiguredService<>(
 *         new Configured<>(PID, Config.class, Settings::parse, LOG::error, LOG::warn), this::start);
 *
 * @Activate   void activate(BundleContext c, Map<String, Object> p) throws Exception { context = c; service.apply(p); }
 * @Modified   void modified(Map<String, Object> p) throws Exception { service.apply(p); }
 * @Deactivate void deactivate() throws Exception { service.stop(); }
 * }</pre>
 *
 * @param <S> the component's validated settings
 * @since 1.2
 */
public final class ConfiguredService<S> {

    /** Starts what runs for accepted settings. */
    @FunctionalInterface
    public interface Starter<S> {
        /** @return what stops it again (unregisters its services, releases what it holds) */
        AutoCloseable start(S settings) throws Exception;
    }

    private final Configured<S> configured;
    private final Starter<S> starter;
    private AutoCloseable running;

    public ConfiguredService(Configured<S> configured, Starter<S> starter) {
        this.configured = configured;
        this.starter = starter;
    }

    /** The configuration's reaction, e.g. for {@link Configured#reportTo}. */
    public Configured<S> configured() {
        return configured;
    }

    /**
     * Applies a configuration (on activate and on every modification): accepted, it replaces what
     * runs; refused, it changes nothing.
     *
     * @throws Exception what stopping the old or starting the new one threw; nothing runs then
     */
    public synchronized void apply(Map<String, ?> properties) throws Exception {
        Optional<S> accepted = configured.apply(properties);
        if (accepted.isPresent()) {
            stop();
            running = starter.start(accepted.get());
        }
    }

    /** Whether something runs, i.e. a configuration was accepted and not stopped since. */
    public synchronized boolean isRunning() {
        return running != null;
    }

    /** Stops what runs, if anything (on deactivate). */
    public synchronized void stop() throws Exception {
        AutoCloseable leaving = running;
        running = null;
        if (leaving != null) {
            leaving.close();
        }
    }
}
