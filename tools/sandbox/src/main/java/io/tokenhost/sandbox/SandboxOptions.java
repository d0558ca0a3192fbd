package io.tokenhost.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/** Command-line options of the sandbox. */
record SandboxOptions(boolean interactive, OptionalInt renewals, OptionalInt seconds, Duration renewInterval,
        Path workDir, Path artifacts) {

    static final String USAGE = """
            usage: tools/sandbox.sh [--renewals N | --seconds N] [--renew-interval SECONDS] [--work DIR]
              (no option)          interactive: the Tokenhost shell on this terminal; 'stop 0' or Ctrl-D ends it
              --renewals N         non-interactive: run until the token was renewed N times, then exit
              --seconds N          non-interactive: run N seconds, then exit
              --renew-interval S   the NameNode's delegation-token renew interval (default 20, non-interactive 8)
              --work DIR           where the KDC, HDFS and host live (default target/sandbox/run)
            exit status (non-interactive): 0 when tokens were obtained, renewed and every read worked""";

    static SandboxOptions parse(String[] args, Path artifacts) {
        OptionalInt renewals = OptionalInt.empty();
        OptionalInt seconds = OptionalInt.empty();
        Integer interval = null;
        Path work = artifacts.getParent().resolve("run");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--renewals" -> renewals = OptionalInt.of(positive(arg, value(args, ++i, arg)));
                case "--seconds" -> seconds = OptionalInt.of(positive(arg, value(args, ++i, arg)));
                case "--renew-interval" -> interval = positive(arg, value(args, ++i, arg));
                case "--work" -> work = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        boolean interactive = renewals.isEmpty() && seconds.isEmpty();
        Duration renewInterval = Duration.ofSeconds(interval != null ? interval : interactive ? 20 : 8);
        return new SandboxOptions(interactive, renewals, seconds, renewInterval, work, artifacts);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + value + "' is not a positive number");
    }
}
