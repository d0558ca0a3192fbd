package io.tokenhost.remote.wire;

/** A frame that breaks {@link Frames}; its message names the problem, never the frame's content. */
public final class MalformedFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
