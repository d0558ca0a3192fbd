package io.tokenhost.api;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Tokenhost's one reaction to a configuration, for every component of every bundle: a refused
 * value is logged at ERROR naming the key and the rule and is reported to {@link
 * ConfigurationProblems} (so {@code token:status} lists it); the previous good settings stay in
 * force, and a component that never had good settings does no work and offers nothing until a
 * good configuration arrives. Unknown keys are warned about. Thread-safe.
 *
 * <pre>{@code
 * private final Configured<Settings> settings = new Configured<>(PID, Config.class, Settings::parse,
 *         LOG::error, LOG::warn);
 *
 * @Activate  void activate(Map<String, Object> p) { settings.apply(p).ifPresent(this::start); }
 * @Modified  void modified(Map<String, Object> p) { settings.apply(p).ifPresent(this::restart); }
 * }</pre>
 *
 * <p>Never let an activate method throw for a refused configuration: once it has thrown, Felix SCR
 * 2.2 hands later configurations to the modified method of a component that has no instance, and an
 * immediate component is then never activated again, even after the file is fixed. A component
 * that offers services registers them itself from accepted settings: {@link ConfiguredComponent}
 * (or {@link ConfiguredService} where the component needs its own wiring).
 *
 * @param <S> the component's validated settings
 * @since 1.2
 */
public final class Configured<S> {

    /** Turns the values of one configuration into settings, or refuses them. */
    @FunctionalInterface
    public interface Parser<S> {
        S parse(ConfigValues values) throws ConfigurationRefusedException;
    }

    private final String pid;
    private final Class<? extends Annotation> declaration;
    private final Parser<S> parser;
    private final Consumer<String> errorLog;
    private final Consumer<String> warningLog;
    private Predicate<String> alsoKnown = key -> false;
    private volatile ConfigurationProblems problems;
    private volatile S current;
    private volatile String label;
    private volatile String problem;
    private volatile List<String> warnings = List.of();

    /**
     * @param pid the configuration PID (or factory PID)
     * @param declaration the component property type declaring every key and default
     * @param errorLog where refusals are logged (the component's logger at ERROR)
     * @param warningLog where unknown keys are logged (the component's logger at WARN)
     */
    public Configured(String pid, Class<? extends Annotation> declaration, Parser<S> parser,
            Consumer<String> errorLog, Consumer<String> warningLog) {
        this.pid = pid;
        this.label = pid;
        this.declaration = declaration;
        this.parser = parser;
        this.errorLog = errorLog;
        this.warningLog = warningLog;
    }

    /** Keys outside the declaration that are still known, e.g. a family such as {@code hadoop.*}. */
    public Configured<S> alsoAccepting(Predicate<String> keys) {
        this.alsoKnown = keys;
        return this;
    }

    /** Where problems are reported; {@code null} when the host's service is gone. */
    public void reportTo(ConfigurationProblems problems) {
        this.problems = problems;
        String now = problem;
        if (problems != null && now != null) {
            problems.refused(label, now, current != null);
        }
    }

    /**
     * Stops reporting to a service that is going away, unless another one took its place already
     * (for a dynamic reference, DS binds the replacement before it unbinds the one that left).
     */
    public void stopReportingTo(ConfigurationProblems leaving) {
        if (problems == leaving) {
            problems = null;
        }
    }

    /**
     * Applies a configuration, at activation and at every modification: the new settings, or empty
     * when refused (the previous settings, if any, stay in force).
     */
    public synchronized Optional<S> apply(Map<String, ?> properties) {
        ConfigValues values = ConfigValues.of(properties, declaration);
        label = values.factoryName(pid).map(name -> pid + "~" + name).orElse(pid);
        S parsed;
        try {
            parsed = parser.parse(values);
        } catch (ConfigurationRefusedException e) {
            problem = e.getMessage();
            boolean kept = current != null;
            errorLog.accept("Configuration " + label + " refused: " + problem
                    + (kept ? "; the previous settings stay in force" : "; the component is not started"));
            ConfigurationProblems sink = problems;
            if (sink != null) {
                sink.refused(label, problem, kept);
            }
            return Optional.empty();
        }
        current = parsed;
        problem = null;
        warnings = values.unknownKeys(alsoKnown).stream()
                .map(key -> "unknown key '" + key + "' is ignored; known keys: "
                        + String.join(", ", ConfigValues.declared(declaration).keySet()))
                .toList();
        warnings.forEach(w -> warningLog.accept("Configuration " + label + ": " + w));
        ConfigurationProblems sink = problems;
        if (sink != null) {
            sink.accepted(label);
        }
        return Optional.of(parsed);
    }

    /** The settings in force, if any were ever accepted. */
    public Optional<S> current() {
        return Optional.ofNullable(current);
    }

    /** Why the last configuration was refused, if it was. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Unknown keys of the configuration in force. */
    public List<String> warnings() {
        return warnings;
    }

    /** The PID as reported, with a factory configuration's name. */
    public String label() {
        return label;
    }
}
