package io.tokenhost.metrics;

import java.util.Map;

/** The plugin figures the metrics show; {@link PluginCensus} counts them in a running host. */
interface PluginCounts {

    /** None: a host without a plugins directory (a benchmark's manager in a plain JVM). */
    PluginCounts NONE = new PluginCounts() {
        @Override
        public Map<String, Integer> byState() {
            return Map.of();
        }

        @Override
        public int problems() {
            return 0;
        }
    };

    /** Plugin count by state, every state present. */
    Map<String, Integer> byState();

    /** Plugins with a problem. */
    int problems();
}
