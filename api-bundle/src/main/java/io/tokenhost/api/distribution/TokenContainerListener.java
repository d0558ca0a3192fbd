package io.tokenhost.api.distribution;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every new version of the host's token container, e.g. to push it to remote workers.
 * Register an implementation as an OSGi service; the host calls it with the current container when
 * it appears (if any tokens were obtained yet) and then with every new version.
 *
 * <p>Calls for one listener never overlap and come in increasing version order; if several
 * versions appear while a call runs, only the newest is passed next. Calls run on a host thread:
 * return quickly. The container holds token bytes: never log it beyond its {@code toString()}.
 *
 * @since 1.1
 */
@ConsumerType
public interface TokenContainerListener {

    void onContainer(TokenContainer container);
}
