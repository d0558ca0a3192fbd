package io.tokenhost.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSetupTest {

    @TempDir
    Path dir;

    @Test
    void theAuditLogIsCreatedOwnerOnlyAndAnExistingOneIsMadeSo() throws Exception {
        Path audit = dir.resolve("log").resolve(LogSetup.AUDIT_LOG);
        LogSetup.auditLogOwnerOnly(audit);
        assertThat(Files.getPosixFilePermissions(audit)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Files.writeString(audit, "{\"event\":\"obtain\"}\n");
        Files.setPosixFilePermissions(audit, PosixFilePermissions.fromString("rw-r--r--"));
        LogSetup.auditLogOwnerOnly(audit);
        assertThat(Files.getPosixFilePermissions(audit)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(audit)).as("kept, logback appends").isEqualTo("{\"event\":\"obtain\"}\n");
    }
}
