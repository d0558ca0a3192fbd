package io.tokenhost.host.core;

import java.util.Objects;

/**
 * The plugin bundle a provider came from, as plain values: its symbolic name, which an update of
 * the bundle keeps, and its id, which the framework gave it at install.
 */
public record PluginBundle(String symbolicName, long id) {

    public PluginBundle {
        Objects.requireNonNull(symbolicName, "symbolicName");
    }

    /** As the shell shows a provider's origin: {@code io.tokenhost.example.provider [12]}. */
    @Override
    public String toString() {
        return symbolicName + " [" + id + "]";
    }
}
