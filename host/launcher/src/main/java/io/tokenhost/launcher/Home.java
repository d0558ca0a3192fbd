package io.tokenhost.launcher;

import io.tokenhost.host.common.ConsoleLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The directories of one installation. Every path is absolute, so that framework properties
 * do not depend on the working directory the host was started from. {@code consoleDirectory}
 * names where the console socket lives; null or blank for the default of {@link ConsoleLocation}.
 */
public record Home(Path root, String consoleDirectory) {

    /** The system property that {@code bin/tokenhost} sets to the installation directory. */
    public static final String PROPERTY = "tokenhost.home";

    public Home {
        root = root.toAbsolutePath().normalize();
    }

    /** The installation at {@code root}, its console directory from {@value ConsoleLocation#DIR_PROPERTY}. */
    public Home(Path root) {
        this(root, System.getProperty(ConsoleLocation.DIR_PROPERTY));
    }

    /** The home named by {@value #PROPERTY}; fails with a readable message if it is not set. */
    public static Home fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY
                    + " is not set (start the host with bin/tokenhost)");
        }
        return new Home(Path.of(value));
    }

    public Path bundleDir() {
        return root.resolve("bundle");
    }

    public Path pluginsDir() {
        return root.resolve("plugins");
    }

    public Path confDir() {
        return root.resolve("conf");
    }

    public Path logDir() {
        return root.resolve("log");
    }

    public Path dataDir() {
        return root.resolve("data");
    }

    public Path frameworkCache() {
        return dataDir().resolve("felix-cache");
    }

    /**
     * The console socket: outside the installation (see {@link ConsoleLocation}), in
     * {@link #consoleDirectory} if that is set.
     */
    public Path consoleSocket() {
        try {
            return ConsoleLocation.socketFor(root, consoleDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place the console socket of " + root + ": " + e.getMessage(), e);
        }
    }
}
