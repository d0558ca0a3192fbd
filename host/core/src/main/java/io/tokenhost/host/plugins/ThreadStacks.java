package io.tokenhost.host.plugins;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A thread's stack as operators read it: its name and at most {@value #MAX_FRAMES} frames. */
final class ThreadStacks {

    static final int MAX_FRAMES = 20;

    private ThreadStacks() {
    }

    static String describe(Thread thread) {
        return describe(thread.getName(), thread.getStackTrace());
    }

    static String describe(String name, StackTraceElement[] frames) {
        String shown = Arrays.stream(frames).limit(MAX_FRAMES).map(f -> "at " + f).collect(Collectors.joining(" | "));
        String more = frames.length > MAX_FRAMES ? " | ... " + (frames.length - MAX_FRAMES) + " more" : "";
        return "thread '" + name + "' " + (frames.length == 0 ? "(no frames)" : shown + more);
    }
}
