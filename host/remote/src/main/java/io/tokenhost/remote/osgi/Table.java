package io.tokenhost.remote.osgi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with left-aligned columns, for shell output. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        rows.add(header);
        columns = header.length;
    }

    void row(Object... cells) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
    }

    boolean isEmpty() {
        return rows.size() == 1;
    }

    String render() {
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
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** "2026-01-01T00:00:00Z (5s ago)". */
    static String ago(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).toSeconds());
        return then.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (" + seconds + "s ago)";
    }
}
