package io.tokenhost.bench.runner;

import java.util.concurrent.TimeUnit;

/** A running {@code bin/tokenhost --headless}; closing sends SIGTERM and waits for the exit. */
final class HostProcess implements AutoCloseable {

    private final Process process;

    HostProcess(Process process) {
        this.process = process;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the host did not stop within 10 s of SIGTERM");
        }
    }
}
