package io.tokenhost.host.plugins;

import java.util.Optional;

/**
 * One file in {@code plugins/} as {@code token:plugins} shows it.
 *
 * @param fileName the file's name
 * @param bundle the bundle installed from it ({@code symbolic-name version [id]}), if any
 * @param state the bundle's state, or what happened to the file
 * @param problem why it is not serving, if it is not
 */
public record PluginFile(String fileName, Optional<String> bundle, String state, Optional<String> problem) {
}
