package io.tokenhost.itests.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.api.ObtainedTokens;
import io.tokenhost.api.ServiceStatus;
import io.tokenhost.api.TokenStatusView;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.inject.Inject;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The host's configuration as OSGi sees it in a real Felix: the Metatype declarations served to
 * ConfigAdmin tooling, and the manager component built before DS binds any provider to it.
 */
public class HostConfigurationIT extends HostTestBase {

    @Inject
    private MetaTypeService metaType;

    @Test
    public void theManagersKeysAndDefaultsAreServedByTheMetaTypeService() {
        ObjectClassDefinition manager = definition(bundle("io.tokenhost.host"), "io.tokenhost.manager");

        assertThat(manager.getName()).isEqualTo("Tokenhost token manager");
        assertThat(defaults(manager)).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("enabled", "true"),
                Map.entry("renewal.time-ratio", "0.75"),
                Map.entry("renewal.retry.backoff", "30s"),
                Map.entry("renewal.retry.backoff.max", "10m"),
                Map.entry("renewal.retry.jitter", "0.2"),
                Map.entry("renewal.retry.max-wait-without-tokens", "15s"),
                Map.entry("renewal.fallback-period", "1h"),
                Map.entry("renewal.min-interval", "1s"),
                Map.entry("obtain.timeout", "30s"),
                Map.entry("plugin.start-timeout", "10s"),
                Map.entry("update.grace", "20s"))));
    }

    @Test
    public void aPluginsDeclarationIsServedToo() throws Exception {
        Bundle provider = Fixtures.installAndStart(context, "example-provider");

        ObjectClassDefinition definition = definition(provider, "io.tokenhost.example.provider");

        assertThat(defaults(definition)).isEqualTo(Map.of("service.name", "example", "token.lifetime", "1h"));
    }

    @Test
    public void providersRegisteredBeforeAndAfterTheManagerStartsAllReachIt() throws Exception {
        Bundle host = bundle("io.tokenhost.host");
        host.stop();
        context.registerService(DelegationTokenProvider.class, new FixedProvider("before"), null);

        host.start();
        context.registerService(DelegationTokenProvider.class, new FixedProvider("after"), null);

        for (String service : new String[] {"before", "after"}) {
            ServiceStatus status = AWAIT.value("'" + service + "' obtained by the manager",
                    () -> statusView().flatMap(view -> view.service(service))
                            .filter(s -> s.state() == ServiceStatus.State.VALID));
            assertThat(status.tokenBytes()).isEqualTo(16);
        }
    }

    private Optional<TokenStatusView> statusView() {
        ServiceReference<TokenStatusView> reference = context.getServiceReference(TokenStatusView.class);
        return reference == null ? Optional.empty() : Optional.ofNullable(context.getService(reference));
    }

    private ObjectClassDefinition definition(Bundle bundle, String pid) {
        ObjectClassDefinition definition = metaType.getMetaTypeInformation(bundle).getObjectClassDefinition(pid, null);
        assertThat(definition).as("ObjectClassDefinition for " + pid).isNotNull();
        return definition;
    }

    private static Map<String, String> defaults(ObjectClassDefinition definition) {
        Map<String, String> defaults = new TreeMap<>();
        for (AttributeDefinition attribute : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            defaults.put(attribute.getID(), attribute.getDefaultValue()[0]);
        }
        return defaults;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Public, fixed test bytes: no secret to keep out of the output. */
    private static final class FixedProvider implements DelegationTokenProvider {
        private final String service;

        FixedProvider(String service) {
            this.service = service;
        }

        @Override
        public String serviceName() {
            return service;
        }

        @Override
        public ObtainedTokens obtainDelegationTokens() {
            return ObtainedTokens.of(new byte[16], Instant.now().plus(Duration.ofHours(1)));
        }
    }
}
