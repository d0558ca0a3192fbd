package io.tokenhost.api;

import java.util.Dictionary;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Declarative Services wiring every configured plugin component shares: it applies each
 * configuration through a {@link ConfiguredService}, reports to the host's {@link
 * ConfigurationProblems}, and stops what runs when it is deactivated. A subclass is a
 * {@code @Component(service = {}, immediate = true, configurationPid = ...)} that passes its
 * {@link Configured} to this constructor and implements {@link #start}, usually registering its
 * provider or receiver with {@link #context()}.
 *
 * <p>The DS annotations here are on inherited methods: a bundle with subclasses builds with bnd's
 * {@code -dsannotations-options: inherit}, so that its component descriptions name them. The
 * lifecycle methods are public so that tests can drive a component without SCR; nothing else holds
 * a component object (it offers no service itself).
 *
 * @param <S> the component's validated settings
 * @since 1.2
 */
public abstract class ConfiguredComponent<S> {

    private final ConfiguredService<S> service;
    private volatile BundleContext context;

    protected ConfiguredComponent(Configured<S> configured) {
        this.service = new ConfiguredService<>(configured, this::start);
    }

    /** Starts what runs for accepted settings; the returned handle stops it again. */
    protected abstract AutoCloseable start(S settings) throws Exception;

    /** The bundle context of the component, for registering what {@link #start} starts. */
    protected final BundleContext context() {
        return context;
    }

    /**
     * Registers a service that {@link #start} started, under a type and with properties (or
     * {@code null}); the handle unregisters it, unless the framework already did as the bundle stops.
     */
    protected final AutoCloseable register(Class<?> type, Object service, Dictionary<String, ?> properties) {
        ServiceRegistration<?> registration = context.registerService(type.getName(), service, properties);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyUnregistered) {
                // the bundle is stopping: the framework unregistered it
            }
        };
    }

    /** The configuration's reaction, with the settings in force. */
    protected final Configured<S> configured() {
        return service.configured();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void bindProblems(ConfigurationProblems problems) {
        service.configured().reportTo(problems);
    }

    public void unbindProblems(ConfigurationProblems problems) {
        service.configured().stopReportingTo(problems);
    }

    @Activate
    public void activate(BundleContext bundleContext, Map<String, Object> properties) throws Exception {
        context = bundleContext;
        service.apply(properties);
    }

    @Modified
    public void modified(Map<String, Object> properties) throws Exception {
        service.apply(properties);
    }

    @Deactivate
    public void deactivate() throws Exception {
        service.stop();
    }
}
