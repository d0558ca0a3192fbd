package io.tokenhost.host.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void alignsColumnsToTheWidestCellAndTrimsLineEnds() {
        TextTable table = new TextTable("SERVICE", "STATE", "DETAIL")
                .row("hdfs", "VALID", "")
                .row("s3.analytics", "FAILING", 3);

        assertThat(table.render()).isEqualTo("""
                SERVICE       STATE    DETAIL
                hdfs          VALID
                s3.analytics  FAILING  3
                """);
        assertThat(table).hasToString(table.render());
    }

    @Test
    void showsAMissingCellAsADashAndKeepsEachRowOnOneLine() {
        TextTable table = new TextTable("WORKER", "SUBJECT").row("w1", null).row("w2", "CN=a\nCN=b\tc");

        assertThat(table.render().lines()).containsExactly("WORKER  SUBJECT", "w1      -", "w2      CN=a CN=b c");
    }

    @Test
    void isEmptyUntilTheFirstRow() {
        TextTable table = new TextTable("A", "B");
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.render()).isEqualTo("A  B\n");

        table.row(1, 2);

        assertThat(table.isEmpty()).isFalse();
    }

    @Test
    void refusesARowWithTheWrongNumberOfCells() {
        TextTable table = new TextTable("A", "B");

        assertThatThrownBy(() -> table.row("only one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 2 cells, got 1");
    }

    @Test
    void anEmptyHeaderColumnStillAligns() {
        assertThat(new TextTable("", "B").row("x", "y").render()).isEqualTo("   B\nx  y\n");
    }
}
