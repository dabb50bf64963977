package dev.etcdagent.it.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and percentiles of measured samples. */
final class Stats {

    /** How many runs a figure is the median of, at the least (docs/benchmarks.md: "medians of 5 runs or more"). */
    static final int RUNS = 5;

    private Stats() {
    }

    static double median(List<Double> samples) {
        return percentile(samples, 50);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> samples, double percent) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
