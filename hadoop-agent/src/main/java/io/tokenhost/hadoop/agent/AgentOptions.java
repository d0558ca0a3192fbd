package io.tokenhost.hadoop.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's arguments ({@code -javaagent:tokenhost-hadoop-agent.jar=file=/path,poll=1s}):
 * {@code file}, the token file (default: {@code HADOOP_TOKEN_FILE_LOCATION}); {@code poll}, how
 * often it is checked ({@code 1s}; {@code 100ms} to {@code 1h}, as {@code <n>ms}, {@code <n>s} or
 * {@code <n>m}). Anything else is refused with a message naming it.
 */
record AgentOptions(Path file, Duration poll) {

    static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    static final String ENV = "HADOOP_TOKEN_FILE_LOCATION";

    static AgentOptions parse(String args, Map<String, String> environment) {
        Optional<Path> file = Optional.empty();
        Duration poll = DEFAULT_POLL;
        if (args != null && !args.isBlank()) {
            for (String item : args.split(",")) {
                int eq = item.indexOf('=');
                String key = eq < 0 ? item.trim() : item.substring(0, eq).trim();
                String value = eq < 0 ? "" : item.substring(eq + 1).trim();
                switch (key) {
                    case "file" -> file = Optional.of(absolute(value));
                    case "poll" -> poll = duration(value);
                    default -> throw new IllegalArgumentException("unknown argument '" + key
                            + "': the arguments are file=<token file> and poll=<interval>, comma-separated");
                }
            }
        }
        Path path = file.orElseGet(() -> {
            String fromEnv = environment.get(ENV);
            if (fromEnv == null || fromEnv.isBlank()) {
                throw new IllegalArgumentException("no token file: set " + ENV + " or give file=<token file>");
            }
            return absolute(fromEnv);
        });
        return new AgentOptions(path, poll);
    }

    private static Path absolute(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("file: must be a path, got ''");
        }
        return Path.of(text).toAbsolutePath();
    }

    private static Duration duration(String text) {
        Duration d;
        try {
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                d = null;
            }
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null || d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("poll: must be from 100ms to 1h, such as 500ms, 1s or 2m, got '" + text + "'");
        }
        return d;
    }
}
