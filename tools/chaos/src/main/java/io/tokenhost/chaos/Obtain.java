package io.tokenhost.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One obtain of the chaos provider, from its obtain log (one line per obtain, written when it
 * ended; see {@code ChaosProvider}). An obtain that was running when its manager was killed has
 * no line.
 *
 * @param validUntil epoch millis for {@code ok}, else 0
 */
record Obtain(long serial, long start, long end, String outcome, long validUntil, String revision) {

    boolean ok() {
        return outcome.equals("ok");
    }

    /** Every line of the log, in the order written; lines that do not parse are skipped. */
    static List<Obtain> read(Path log) throws IOException {
        List<Obtain> obtains = new ArrayList<>();
        if (!Files.exists(log)) {
            return obtains;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            parse(line).ifPresent(obtains::add);
        }
        return obtains;
    }

    static Optional<Obtain> parse(String line) {
        if (!line.startsWith("obtain ")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String word : line.substring("obtain ".length()).trim().split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        try {
            String until = fields.getOrDefault("valid-until", "-");
            return Optional.of(new Obtain(Long.parseLong(fields.get("serial")), Long.parseLong(fields.get("start")),
                    Long.parseLong(fields.get("end")), fields.get("outcome"), until.equals("-") ? 0 : Long.parseLong(until),
                    fields.getOrDefault("revision", "?")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
