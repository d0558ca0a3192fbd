package io.tokenhost.chaos;

/**
 * One fault as it happened.
 *
 * @param kind what was done
 * @param worker the worker it hit (0-based), or -1 when it hit the manager or the provider
 * @param start when it began (epoch millis)
 * @param end when it was lifted: the process restarted, the relay back, the outage marker removed;
 *     for a plugin update the moment the new jar was in place ({@code == start})
 * @param ready for a restart, when the restarted host answered its console; 0 if it never did or
 *     there was no restart
 * @param detail for the report (a revision, a pause), never token bytes
 */
record Fault(Kind kind, int worker, long start, long end, long ready, String detail) {

    enum Kind {
        PLUGIN_UPDATE("update provider plugin"),
        WORKER_KILL("kill -9 worker"),
        WORKER_CUT("cut worker"),
        MANAGER_KILL("kill -9 manager"),
        PROVIDER_OUTAGE("provider outage");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }
}
