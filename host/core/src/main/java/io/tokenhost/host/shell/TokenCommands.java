package io.tokenhost.host.shell;

import io.tokenhost.api.ReceiverStatus;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.host.config.ConfigurationProblemBoard;
import io.tokenhost.host.core.Errors;
import io.tokenhost.host.core.ReceivedService;
import io.tokenhost.host.common.TextTable;
import io.tokenhost.host.osgi.TokenControl;
import io.tokenhost.host.console.ConsoleComponent;
import io.tokenhost.host.plugins.PluginFile;
import io.tokenhost.host.plugins.PluginReporter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Gogo commands of scope {@code token}. Each returns its text; a failure is thrown, so that a
 * non-interactive caller ({@code bin/tokenhost client}) sees a non-zero exit. Nothing printed here
 * carries token bytes: services show a fingerprint, a size and an expiry.
 */
@Component(service = TokenCommands.class, property = {
    "osgi.command.scope=token",
    "osgi.command.function=providers",
    "osgi.command.function=receivers",
    "osgi.command.function=status",
    "osgi.command.function=obtain",
    "osgi.command.function=plugins",
    "osgi.command.function=config",
    "osgi.command.function=release"
})
public final class TokenCommands {

    /** Wait for obtain beyond the obtain timeout itself. */
    private static final Duration OBTAIN_GRACE = Duration.ofSeconds(5);

    private final TokenControl control;
    private final PluginReporter plugins;
    private final ConfigurationProblemBoard configurationProblems;
    private final Clock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConsoleComponent console;

    @Activate
    public TokenCommands(@Reference TokenControl control, @Reference PluginReporter plugins,
            @Reference ConfigurationProblemBoard configurationProblems) {
        this(control, plugins, configurationProblems, Clock.systemUTC());
    }

    TokenCommands(TokenControl control, PluginReporter plugins, ConfigurationProblemBoard configurationProblems,
            Clock clock) {
        this.control = control;
        this.plugins = plugins;
        this.configurationProblems = configurationProblems;
        this.clock = clock;
    }

    @Descriptor("lists the token providers: service, bundle, state, enabled")
    public String providers() {
        TextTable table = new TextTable("SERVICE", "BUNDLE", "STATE", "ENABLED");
        control.services().forEach(s -> table.row(s.serviceName(), s.origin(), s.state(), s.enabled()));
        return table.isEmpty() ? "No providers." : lines(table);
    }

    @Descriptor("lists the token receivers and what each was last given")
    public String receivers() {
        Instant now = clock.instant();
        TextTable table = new TextTable("SERVICE", "BUNDLE", "VERSION", "LAST DELIVERY", "FINGERPRINT", "FAILURES",
                "LAST ERROR");
        for (ReceiverStatus r : control.receivers()) {
            table.row(r.serviceName(), r.origin(), r.deliveredVersion() == 0 ? "-" : r.deliveredVersion(),
                    Display.time(r.lastDelivery(), now), r.fingerprint().orElse("-"), r.failures(),
                    r.lastError().orElse("-"));
        }
        return table.isEmpty() ? "No receivers." : lines(table);
    }

    @Descriptor("shows every bundle's refused configurations and, per service, the last obtain, validity,"
            + " next obtain, failures and tokens held (marked if a plugin update's previous revision obtained them)")
    public String status() {
        Instant now = clock.instant();
        StringBuilder out = new StringBuilder();
        out.append("Container version ").append(control.containerVersion())
                .append(control.configurationInForce().isEmpty() ? "; the manager is NOT STARTED: its configuration is refused"
                        : control.settings().enabled() ? "" : "; the manager is DISABLED (enabled=false)").append('\n');
        control.standbyReason().ifPresent(why -> out.append("NOT LEADING, no obtains here: ").append(why).append('\n'));
        configurationProblems.problems().forEach(p -> out.append("Configuration ").append(p.pid()).append(" of ")
                .append(p.bundle()).append(" refused (").append(p.previousKept() ? "previous settings in force" : "not started")
                .append("): ").append(p.reason()).append('\n'));
        control.configurationWarnings().forEach(w -> out.append("Configuration warning: ").append(w).append('\n'));
        warnings().forEach(w -> out.append("Warning: ").append(w).append('\n'));
        ConsoleComponent currentConsole = console;
        if (currentConsole != null && currentConsole.refusals().values().stream().anyMatch(count -> count > 0)) {
            out.append("Refused: ").append(Display.counts(currentConsole.refusals())).append('\n');
        }
        List<ServiceStatus> services = control.services();
        if (services.isEmpty()) {
            out.append("No providers.\n");
        } else {
            TextTable table = new TextTable("SERVICE", "STATE", "LAST OBTAIN", "VALID UNTIL", "NEXT OBTAIN", "FAILURES",
                    "TOKENS", "LAST ERROR");
            for (ServiceStatus s : services) {
                String tokens = s.fingerprint().map(f -> f + " (" + s.tokenBytes() + " B)"
                        + (s.fromPreviousRevision() ? " of the previous revision" : "")).orElse("-");
                table.row(s.serviceName(), s.state(), Display.time(s.lastObtain(), now), Display.time(s.validUntil(), now),
                        Display.time(s.nextObtain(), now), s.consecutiveFailures(), tokens, s.lastError().orElse("-"));
            }
            out.append(table);
        }
        List<ReceivedService> received = control.receivedServices();
        if (!received.isEmpty()) {
            TextTable table = new TextTable("SERVICE", "STATE", "VALID UNTIL", "CONTAINER", "RECEIVED", "TOKENS");
            for (ReceivedService r : received) {
                String tokens = r.fingerprint().map(f -> f + " (" + r.tokenBytes() + " B)").orElse("-");
                table.row(r.service(), r.state(), Display.time(r.validUntil(), now), r.containerVersion(),
                        Display.time(Optional.of(r.received()), now), tokens);
            }
            out.append("Tokens received from the manager:\n").append(table);
        }
        return lines(out);
    }

    @Descriptor("obtains the tokens of every enabled service now")
    public String obtain() throws Exception {
        return report(control.obtainAllNow());
    }

    @Descriptor("obtains the tokens of one service now")
    public String obtain(@Descriptor("service name") String service) throws Exception {
        return report(Map.of(service, control.obtainNow(service)));
    }

    @Descriptor("shows every key of the manager configuration in force, key=value, as in conf/io.tokenhost.manager.cfg")
    public String config() {
        StringBuilder out = new StringBuilder();
        Optional<Map<String, String>> inForce = control.configurationInForce();
        inForce.ifPresent(keys -> keys.forEach((key, value) -> out.append(key).append('=').append(value).append('\n')));
        control.configurationProblem().ifPresent(problem -> out.append(inForce.isPresent()
                ? "# refused, previous settings in force: " : "# refused, the manager is not started: ")
                .append(problem).append('\n'));
        return lines(out);
    }

    @Descriptor("lists each file in plugins/: its bundle and state, or why it is not running; then warnings"
            + " (a bundle installed twice, a receiver whose service has no provider)")
    public String plugins(
            @Descriptor("fail (non-zero exit) if any plugin is not serving or any warning is shown")
            @Parameter(names = {"-c", "--check"}, presentValue = "true", absentValue = "false") boolean check)
            throws IOException {
        List<PluginFile> files = plugins.inspect();
        StringBuilder out = new StringBuilder();
        if (files.isEmpty()) {
            out.append("No files in ").append(plugins.directory().map(Object::toString).orElse("plugins/")).append(".\n");
        } else {
            TextTable table = new TextTable("FILE", "BUNDLE", "STATE", "PROBLEM");
            files.forEach(f -> table.row(f.fileName(), f.bundle().orElse("-"), f.state(), f.problem().orElse("-")));
            out.append(table);
        }
        List<String> warnings = warnings();
        warnings.forEach(w -> out.append("Warning: ").append(w).append('\n'));
        long broken = files.stream().filter(PluginReporter::broken).count();
        if (check && (broken > 0 || !warnings.isEmpty())) {
            throw new IllegalStateException("check failed: " + broken + " plugin(s) not serving, " + warnings.size()
                    + " warning(s)\n" + lines(out));
        }
        return lines(out);
    }

    @Descriptor("releases a plugin quarantined because its start hung, and starts it again (with plugin.start-timeout)")
    public String release(@Descriptor("bundle symbolic name, as token:plugins shows it") String symbolicName)
            throws IOException {
        return plugins.release(symbolicName);
    }

    /** Bundles installed twice and receivers nothing serves: shown by {@code token:plugins} and {@code token:status}. */
    private List<String> warnings() {
        List<String> warnings = new ArrayList<>(plugins.duplicateBundles());
        warnings.addAll(plugins.leftoverThreads());
        warnings.addAll(UnservedReceivers.find(control.receivers(), control.services(), control.receivedServices()));
        return warnings;
    }

    /** Waits for each obtain; throws, listing them, if any failed. */
    private String report(Map<String, CompletableFuture<ServiceStatus>> attempts) throws Exception {
        if (attempts.isEmpty()) {
            return "No enabled providers.";
        }
        long deadline = System.nanoTime() + control.settings().renewal().obtainTimeout().plus(OBTAIN_GRACE).toNanos();
        TextTable table = new TextTable("SERVICE", "RESULT", "DETAIL");
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<ServiceStatus>> attempt : attempts.entrySet()) {
            String service = attempt.getKey();
            try {
                ServiceStatus s = attempt.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                boolean ok = s.state() == ServiceStatus.State.VALID || s.state() == ServiceStatus.State.NOT_REQUIRED;
                table.row(service, ok ? s.state() : "FAILED", ok ? s.fingerprint().map(f -> "fingerprint " + f)
                        .orElse("-") : s.lastError().orElse("-"));
                if (!ok) {
                    failed.add(service);
                }
            } catch (ExecutionException e) {
                table.row(service, "FAILED", Errors.describe(e.getCause()));
                failed.add(service);
            } catch (TimeoutException e) {
                table.row(service, "FAILED", "no answer within the obtain timeout");
                failed.add(service);
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("obtain failed for " + String.join(", ", failed) + "\n" + lines(table));
        }
        return lines(table);
    }

    /** Gogo prints a line break after a command's result, so the text itself ends without one. */
    private static String lines(Object text) {
        return text.toString().stripTrailing();
    }
}
