package io.tokenhost.api.distribution;

import java.io.IOException;

/**
 * Bytes that are not a valid encoded {@link TokenContainer}. The message says what is wrong and
 * at which offset; it never quotes the bytes.
 */
public class MalformedContainerException extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedContainerException(String message) {
        super(message);
    }
}
