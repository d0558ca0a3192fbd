package io.tokenhost.s3.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenhost.api.ConfigValues;
import io.tokenhost.api.ConfigurationRefusedException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiverSettingsTest {

    static ReceiverSettings parse(Map<String, ?> properties) {
        return ReceiverSettings.parse(ConfigValues.of(properties, ReceiverConfig.class));
    }

    @Test
    void defaultsAreServiceS3MemoryOnlyAndProfileDefault() {
        assertThat(ConfigValues.declared(ReceiverConfig.class)).containsExactly(
                Map.entry("credential-process.command", ""), Map.entry("credentials-file", ""),
                Map.entry("profile", "default"), Map.entry("profile-style", "static"), Map.entry("service.name", ""));
        assertThat(parse(Map.of())).isEqualTo(new ReceiverSettings("s3", Optional.empty(), "default"));
    }

    @Test
    void serviceNameFileAndProfileAreRead() {
        assertThat(parse(Map.of("felix.fileinstall.filename", "file:/th/conf/io.tokenhost.s3.receiver-lake.cfg",
                "credentials-file", "/var/aws/credentials", "profile", "lake")))
                .isEqualTo(new ReceiverSettings("s3.lake", Optional.of(Path.of("/var/aws/credentials")), "lake"));
    }

    @Test
    void credentialProcessNeedsAFileAndRunsThisInstallationsCommandByDefault() {
        String before = System.getProperty(ReceiverSettings.HOME_PROPERTY);
        try {
            System.setProperty(ReceiverSettings.HOME_PROPERTY, "/opt/tokenhost");
            assertThat(parse(Map.of("credentials-file", "/var/aws/credentials", "profile-style", "credential-process")))
                    .isEqualTo(new ReceiverSettings("s3", Optional.of(Path.of("/var/aws/credentials")), "default",
                            Optional.of(Path.of("/opt/tokenhost/bin/tokenhost-aws-credentials"))));
            assertThat(parse(Map.of("credentials-file", "/var/aws/credentials", "profile-style", "credential-process",
                    "credential-process.command", "/usr/local/bin/creds")).processCommand())
                    .contains(Path.of("/usr/local/bin/creds"));
            assertThat(parse(Map.of("credentials-file", "/var/aws/credentials", "credential-process.command",
                    "/usr/local/bin/creds")).processCommand()).as("static style: no command").isEmpty();
            assertThatThrownBy(() -> parse(Map.of("profile-style", "credential-process")))
                    .hasMessage("profile-style: credential-process needs credentials-file (the profile lives there), "
                            + "got 'credential-process'");
            assertThatThrownBy(() -> parse(Map.of("credentials-file", "/var/it's/credentials",
                    "profile-style", "credential-process"))).hasMessageStartingWith("credentials-file: must not contain a single quote");
            System.clearProperty(ReceiverSettings.HOME_PROPERTY);
            assertThatThrownBy(() -> parse(Map.of("credentials-file", "/var/aws/credentials", "profile-style",
                    "credential-process"))).hasMessageStartingWith("credential-process.command: must be set: this host has no tokenhost.home");
        } finally {
            if (before == null) {
                System.clearProperty(ReceiverSettings.HOME_PROPERTY);
            } else {
                System.setProperty(ReceiverSettings.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void everyDeclaredKeyIsRefusedNamingItAndTheRule() {
        Map<String, String> bad = Map.of("service.name", "bad name", "credentials-file", "relative/credentials",
                "profile", "two words", "profile-style", "dynamic", "credential-process.command", "bin/creds");
        assertThat(bad.keySet()).isEqualTo(ConfigValues.declared(ReceiverConfig.class).keySet());
        bad.forEach((key, value) -> assertThatThrownBy(() -> parse(Map.of(key, value))).as(key)
                .isInstanceOfSatisfying(ConfigurationRefusedException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": must ").hasMessageEndingWith("got '" + value + "'"));
    }
}
