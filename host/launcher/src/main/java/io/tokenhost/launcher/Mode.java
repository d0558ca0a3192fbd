package io.tokenhost.launcher;

/** How the host talks to the terminal it was started from. */
public enum Mode {
    /** Gogo shell on stdin/stdout; logging stays off the terminal. */
    INTERACTIVE,
    /** No shell on stdin; warnings and errors go to the terminal; runs until SIGTERM/SIGINT. */
    HEADLESS
}
