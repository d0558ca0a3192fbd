package io.tokenhost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @interface Declared {
        String enabled() default "true";
        String renewal_time$_$ratio() default "0.75";
        String obtain_timeout() default "30s";
        String listen_port() default "7443";
        String role() default "standalone";
        String file() default "";
        String with__underscore$$dollar() default "";
    }

    @interface Prefixed {
        String PREFIX_ = "tls.";
        String ca() default "";
    }

    private static ConfigValues values(Map<String, ?> properties) {
        return ConfigValues.of(properties, Declared.class);
    }

    @Test
    void keysAreNamedAsDeclarativeServicesNamesThem() {
        assertThat(ConfigValues.declared(Declared.class)).containsOnlyKeys("enabled", "renewal.time-ratio",
                "obtain.timeout", "listen.port", "role", "file", "with_underscore$dollar");
        assertThat(ConfigValues.declared(Prefixed.class)).containsOnlyKeys("tls.ca");
        assertThat(ConfigValues.declared(Declared.class)).containsEntry("obtain.timeout", "30s");
    }

    @Test
    void declaredDefaultsApplyAndSetValuesWin() {
        ConfigValues values = values(Map.of("obtain.timeout", " 2m ", "enabled", "FALSE"));
        assertThat(values.duration("obtain.timeout")).isEqualTo(Duration.ofMinutes(2));
        assertThat(values.bool("enabled")).isFalse();
        assertThat(values.fraction("renewal.time-ratio", false)).isEqualTo(0.75);
        assertThat(values.integer("listen.port", 1, 65535)).isEqualTo(7443);
        assertThat(values.text("file")).isEmpty();
        assertThat(values.oneOf("role", Set.of("standalone", "manager"))).isEqualTo("standalone");
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndTheRule() {
        assertThatThrownBy(() -> values(Map.of("obtain.timeout", "soon")).duration("obtain.timeout"))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessage("obtain.timeout: must be " + Durations.SYNTAX + ", got 'soon'")
                .extracting(e -> ((ConfigurationRefusedException) e).key()).isEqualTo("obtain.timeout");
        assertThatThrownBy(() -> values(Map.of("obtain.timeout", "0s")).duration("obtain.timeout"))
                .hasMessage("obtain.timeout: must be more than 0 and at most 365d, got '0s'");
        assertThatThrownBy(() -> values(Map.of("enabled", "yes")).bool("enabled"))
                .hasMessage("enabled: must be true or false, got 'yes'");
        assertThatThrownBy(() -> values(Map.of("renewal.time-ratio", "1")).fraction("renewal.time-ratio", false))
                .hasMessage("renewal.time-ratio: must be a number strictly between 0 and 1, got '1'");
        assertThatThrownBy(() -> values(Map.of("listen.port", "99999")).integer("listen.port", 1, 65535))
                .hasMessage("listen.port: must be a whole number from 1 to 65535, got '99999'");
        assertThatThrownBy(() -> values(Map.of("role", "boss")).oneOf("role", Set.of("standalone", "manager")))
                .hasMessage("role: must be one of manager, standalone, got 'boss'");
        assertThatThrownBy(() -> values(Map.of()).required("file")).hasMessage("file: must be set");
    }

    @interface Named {
        String service_name() default "example";
    }

    @Test
    void aServiceNameFollowsTheServiceNamesRule() {
        assertThat(ConfigValues.of(Map.of(), Named.class).serviceName("service.name")).isEqualTo("example");
        assertThat(ConfigValues.of(Map.of("service.name", "s3.backup"), Named.class).serviceName("service.name"))
                .isEqualTo("s3.backup");
        assertThatThrownBy(() -> ConfigValues.of(Map.of("service.name", "no spaces"), Named.class).serviceName("service.name"))
                .isInstanceOf(ConfigurationRefusedException.class)
                .hasMessage("service.name: must be a service name (" + ServiceNames.RULE + "), got 'no spaces'");
    }

    @Test
    void aShownValueIsCutAndHasNoControlCharacters() {
        String shown = ConfigurationRefusedException.shown("a\nb" + "x".repeat(100));
        assertThat(shown).startsWith("a?b").hasSize(63).endsWith("...");
    }

    @Test
    void anUndeclaredKeyIsAProgrammingError() {
        assertThatThrownBy(() -> values(Map.of()).text("nope")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'nope' is not declared");
    }

    @Test
    void givenTellsASetValueFromADefaultAndReadsKeysOutsideTheDeclaration() {
        ConfigValues values = values(Map.of("role", " manager ", "file", "  ", "flink.alias", "x"));
        assertThat(values.given("role")).contains("manager");
        assertThat(values.given("enabled")).as("left to its default").isEmpty();
        assertThat(values.text("enabled")).contains("true");
        assertThat(values.given("file")).as("blank").isEmpty();
        assertThat(values.given("flink.alias")).contains("x");
    }

    @Test
    void unknownKeysLeaveOutFrameworkKeysAndAcceptedFamilies() {
        ConfigValues values = values(Map.of("enabeld", "true", "service.pid", "x", "felix.fileinstall.filename", "f",
                "component.name", "c", "hadoop.fs.defaultFS", "hdfs://x"));
        assertThat(values.unknownKeys(key -> key.startsWith("hadoop."))).containsExactly("enabeld");
        assertThat(values.withPrefix("hadoop.")).containsExactly(Map.entry("hadoop.fs.defaultFS", "hdfs://x"));
    }

    @Test
    void factoryNamesComeFromThePidOrTheFileInstallFileName() {
        assertThat(values(Map.of("service.pid", "io.tokenhost.s3~prod")).factoryName("io.tokenhost.s3")).contains("prod");
        assertThat(values(Map.of("felix.fileinstall.filename", "file:/x/conf/io.tokenhost.s3-dev.cfg"))
                .factoryName("io.tokenhost.s3")).contains("dev");
        assertThat(values(Map.of("service.pid", "other")).factoryName("io.tokenhost.s3")).isEmpty();
    }
}
