package io.tokenhost.plugin.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a table a {@code token:*} command printed: left-aligned columns under a header line, each
 * cell starting where its header starts (cells may hold single spaces: {@code 2026-... (in 45m)}).
 */
public final class ShellTable {

    private final List<Map<String, String>> rows;

    private ShellTable(List<Map<String, String>> rows) {
        this.rows = rows;
    }

    /**
     * The first table in {@code output} whose header line holds every name in {@code headers}, in
     * order, starting with the first; an empty table if there is none.
     */
    public static ShellTable parse(String output, String... headers) {
        List<String> lines = output.lines().toList();
        for (int at = 0; at < lines.size(); at++) {
            int[] starts = starts(lines.get(at), headers);
            if (starts == null) {
                continue;
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (int i = at + 1; i < lines.size() && isRow(lines.get(i), starts); i++) {
                Map<String, String> row = new LinkedHashMap<>();
                String line = lines.get(i);
                for (int c = 0; c < headers.length; c++) {
                    int from = Math.min(starts[c], line.length());
                    int to = c + 1 < headers.length ? Math.min(starts[c + 1], line.length()) : line.length();
                    row.put(headers[c], line.substring(from, to).strip());
                }
                rows.add(row);
            }
            return new ShellTable(rows);
        }
        return new ShellTable(List.of());
    }

    public List<Map<String, String>> rows() {
        return rows;
    }

    /** The first row whose {@code column} is {@code value}. */
    public Optional<Map<String, String>> row(String column, String value) {
        return rows.stream().filter(r -> value.equals(r.get(column))).findFirst();
    }

    private static int[] starts(String line, String[] headers) {
        if (!line.startsWith(headers[0])) {
            return null;
        }
        int[] starts = new int[headers.length];
        int from = 0;
        for (int c = 0; c < headers.length; c++) {
            int at = line.indexOf(headers[c], from);
            if (at < 0 || (at > 0 && line.charAt(at - 1) != ' ')) {
                return null;
            }
            starts[c] = at;
            from = at + headers[c].length();
        }
        return starts;
    }

    /** A row has text in its first column and a gap before each further column's start. */
    private static boolean isRow(String line, int[] starts) {
        if (line.isBlank() || line.startsWith(" ") || line.startsWith("Warning:")) {
            return false;
        }
        for (int c = 1; c < starts.length; c++) {
            if (line.length() > starts[c] && line.charAt(starts[c] - 1) != ' ') {
                return false;
            }
        }
        return true;
    }
}
