package io.tokenhost.host.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns, as the host's shell commands print them. A missing cell shows as {@code -};
 * control characters in a cell (a line break in a certificate subject, say) become spaces, so that
 * one row stays one line.
 */
public final class TextTable {

    private static final String GAP = "  ";

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public TextTable(String... headers) {
        this.columns = headers.length;
        rows.add(headers.clone());
    }

    /** Adds a row; its cells are shown with {@code toString()}. */
    public TextTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = cells[i] == null ? "-" : cells[i].toString().replaceAll("\\p{Cntrl}", " ");
        }
        rows.add(text);
        return this;
    }

    /** True while the table has only its header. */
    public boolean isEmpty() {
        return rows.size() == 1;
    }

    /** The header and the rows, one line each, every line ending in a line break. */
    public String render() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length())).append(GAP);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
