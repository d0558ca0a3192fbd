package io.tokenhost.chaos;

/**
 * One look at one worker's token file.
 *
 * @param at when the file was read (epoch millis, taken just before reading)
 * @param round the sampling round (every worker is read once per round, every 100 ms)
 * @param worker the worker's index, 0-based ({@code w1} is 0)
 * @param state what the file showed at {@code at}
 * @param serial the token's serial, 0 unless the file was read
 * @param validUntil the token's valid-until (epoch millis), 0 unless the file was read
 * @param modified the file's last-modified time (epoch millis), 0 unless the file was read
 */
record Sample(long at, int round, int worker, State state, long serial, long validUntil, long modified) {

    /** What a token file showed. */
    enum State {
        /** Present, and its valid-until is after the moment of reading. */
        VALID,
        /** Present, but its valid-until had passed. */
        EXPIRED,
        /** No file. */
        ABSENT,
        /** A file that is not a chaos token (never expected: files are replaced atomically). */
        UNREADABLE
    }
}
