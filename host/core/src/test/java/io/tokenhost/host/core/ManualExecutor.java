package io.tokenhost.host.core;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Queues tasks until the test runs them, so tests decide exactly when plugin code runs. */
final class ManualExecutor implements Executor {

    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs queued tasks, and the tasks they queue, until none is left. */
    int runAll() {
        int ran = 0;
        Runnable task;
        while ((task = poll()) != null) {
            task.run();
            ran++;
        }
        return ran;
    }

    synchronized int pending() {
        return tasks.size();
    }

    private synchronized Runnable poll() {
        return tasks.poll();
    }
}
