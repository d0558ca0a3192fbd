package io.tokenhost.plugin.test;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the shell's tables: cells with spaces, missing tables, lines after the table. */
class ShellTableTest {

    private static final String STATUS = """
            Container version 3
            Warning: receiver of service 'x' (b [4]) has no provider
            SERVICE  STATE    LAST OBTAIN                       VALID UNTIL  NEXT OBTAIN  FAILURES  TOKENS                 LAST ERROR
            example  VALID    2026-11-23T10:00:00Z (now)        later        soon         0         0123456789ab (32 B)    -
            s3       FAILING  -                                 -            -            2         -                      AccessDenied: no way
            Tokens received from the manager:
            """;

    @Test
    void readsCellsByTheirHeadersColumns() {
        ShellTable table = ShellTable.parse(STATUS, "SERVICE", "STATE", "LAST OBTAIN", "VALID UNTIL", "NEXT OBTAIN",
                "FAILURES", "TOKENS", "LAST ERROR");

        assertThat(table.rows()).hasSize(2);
        assertThat(table.row("SERVICE", "example").orElseThrow())
                .containsEntry("STATE", "VALID")
                .containsEntry("LAST OBTAIN", "2026-11-23T10:00:00Z (now)")
                .containsEntry("TOKENS", "0123456789ab (32 B)");
        assertThat(table.row("SERVICE", "s3").orElseThrow()).containsEntry("LAST ERROR", "AccessDenied: no way");
    }

    @Test
    void noSuchTableIsEmpty() {
        assertThat(ShellTable.parse("No providers.", "SERVICE", "STATE").rows()).isEmpty();
        assertThat(ShellTable.parse(STATUS, "FILE", "BUNDLE").rows()).isEmpty();
    }
}
