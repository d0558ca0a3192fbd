package io.tokenhost.s3.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenhost.api.DelegationTokenProvider;
import io.tokenhost.s3.testing.Framework;
import io.tokenhost.s3.testing.RecordedProblems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/** The provider component in a real framework: what it registers, with which properties, for each configuration. */
class S3ProviderComponentTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

    @TempDir
    Path dir;

    private Framework framework;
    private final RecordedProblems problems = new RecordedProblems();
    private final S3ProviderComponent component = new S3ProviderComponent();

    @BeforeEach
    void start() throws Exception {
        framework = new Framework(dir);
        component.bindProblems(problems);
    }

    @AfterEach
    void stop() throws Exception {
        component.deactivate();
        framework.close();
    }

    private static Map<String, Object> lake(String... more) {
        Map<String, Object> properties = new HashMap<>(Map.of("service.pid", "io.tokenhost.s3~lake",
                "access-key", "AKIAEXAMPLEKEY", "secret-key", SECRET, "endpoint", "http://127.0.0.1:9"));
        properties.putAll(ProviderSettingsTest.config(more));
        return properties;
    }

    @Test
    void aRefusedConfigurationRegistersNoProvider() throws Exception {
        component.activate(framework.context(), lake("duration", "5m"));
        assertThat(framework.references(DelegationTokenProvider.class)).isEmpty();
        assertThat(problems.reports).containsExactly(
                "refused io.tokenhost.s3~lake: duration: must be from 15m to 36h for session-token, got '5m' (not started)");
    }

    @Test
    void theProviderIsRegisteredWithoutAnyConfigurationProperty() throws Exception {
        component.activate(framework.context(), lake());
        ServiceReference<?> provider = framework.references(DelegationTokenProvider.class).get(0);
        assertThat(provider.getPropertyKeys()).containsExactlyInAnyOrder("objectClass", "service.id",
                "service.bundleid", "service.scope", "tokenhost.s3.service", "tokenhost.s3.token-kind");
        assertThat(provider.getProperty("tokenhost.s3.service")).isEqualTo("s3.lake");
        assertThat(Arrays.stream(provider.getPropertyKeys()).map(provider::getProperty).map(String::valueOf))
                .noneMatch(value -> value.contains(SECRET) || value.contains("AKIAEXAMPLEKEY"));
        assertThat(framework.<DelegationTokenProvider>service(provider).serviceName()).isEqualTo("s3.lake");
    }

    @Test
    void aBadModificationKeepsTheRunningProviderAndAGoodOneReplacesIt() throws Exception {
        component.activate(framework.context(), lake());
        List<ServiceReference<?>> first = framework.references(DelegationTokenProvider.class);

        component.modified(lake("service.name", "lake-renamed", "region", "EU West"));
        assertThat(framework.references(DelegationTokenProvider.class)).as("previous provider in force").isEqualTo(first);
        assertThat(problems.reports).last().asString()
                .isEqualTo("refused io.tokenhost.s3~lake: region: must be a region name such as eu-west-1, got 'EU West'"
                        + " (previous kept)");

        component.modified(lake("service.name", "lake-renamed"));
        List<ServiceReference<?>> second = framework.references(DelegationTokenProvider.class);
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
        assertThat(second.get(0).getProperty("tokenhost.s3.service")).isEqualTo("lake-renamed");
        assertThat(problems.reports).last().isEqualTo("accepted io.tokenhost.s3~lake");
    }
}
