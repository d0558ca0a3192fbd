package io.tokenhost.remote.wire;

import io.tokenhost.api.distribution.TokenContainer;

/**
 * A frame the manager sends to a worker, as {@link Frames#parseManagerFrame} reads it. Sealed: a
 * frame is one of these kinds and nothing else.
 */
public sealed interface ManagerFrame permits ManagerFrame.Welcome, ManagerFrame.Push {

    /**
     * WELCOME: the manager accepted the hello; {@code epoch} identifies this run of the manager, or,
     * if {@code leaderEpoch}, its term as the elected leader (monotonic: older ones are fenced).
     */
    record Welcome(long epoch, boolean leaderEpoch) implements ManagerFrame {
    }

    /** PUSH: a container version in force from now on. */
    record Push(long epoch, TokenContainer container) implements ManagerFrame {
    }
}
