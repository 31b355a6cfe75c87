package io.myelin.bench.stats;

/**
 * Summary of a latency distribution in nanoseconds, using the nearest-rank definition: the
 * p-th percentile is the smallest sample such that at least p% of samples are at or below it.
 * Nearest-rank always reports a latency that actually occurred, never an interpolation.
 */
public record Percentiles(long count, long p50, long p90, long p99, long p999, long max, double mean) {

    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0, 0);

    public static Percentiles of(LongSamples samples) {
        return ofSorted(samples.sorted());
    }

    public static Percentiles ofSorted(long[] sorted) {
        if (sorted.length == 0) return EMPTY;
        double sum = 0;
        for (long v : sorted) sum += v;
        return new Percentiles(sorted.length,
                nearestRank(sorted, 50), nearestRank(sorted, 90), nearestRank(sorted, 99), nearestRank(sorted, 99.9),
                sorted[sorted.length - 1], sum / sorted.length);
    }

    /** Nearest-rank percentile of an ascending array: element at rank ceil(p/100 * n), 1-based. */
    public static long nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) throw new IllegalArgumentException("no samples");
        if (p <= 0) return sorted[0];
        if (p >= 100) return sorted[sorted.length - 1];
        // p * n / 100 keeps exact integers exact (99 * 100 / 100 == 99); the epsilon absorbs
        // binary rounding of fractional p such as 99.9, which would otherwise bump the rank.
        long rank = (long) Math.ceil(p * sorted.length / 100.0 - 1e-9);
        return sorted[(int) Math.max(1, rank) - 1];
    }

    public static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
