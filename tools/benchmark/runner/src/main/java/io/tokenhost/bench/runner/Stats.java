package io.tokenhost.bench.runner;

import java.util.List;

/** Median and maximum of a few measurements, in milliseconds. */
final class Stats {

    private Stats() {
    }

    static String of(List<Double> millis) {
        if (millis.isEmpty()) {
            return "no data";
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%5.0f ms / %5.0f ms", sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }
}
