package io.myelin.bench.stats;

import java.util.Arrays;

/**
 * Growable array of raw samples (nanoseconds). Exact percentiles over every sample are
 * affordable at bench scale (a few million longs) and avoid any histogram bucketing error.
 * Not thread-safe: each worker keeps its own and they are merged at the end.
 */
public final class LongSamples {
    private long[] values;
    private int size;

    public LongSamples() {
        this(1024);
    }

    public LongSamples(int initialCapacity) {
        values = new long[Math.max(16, initialCapacity)];
    }

    public void add(long value) {
        if (size == values.length) values = Arrays.copyOf(values, values.length * 2);
        values[size++] = value;
    }

    public void addAll(LongSamples other) {
        if (size + other.size > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, size + other.size));
        System.arraycopy(other.values, 0, values, size, other.size);
        size += other.size;
    }

    public int size() {
        return size;
    }

    /** A sorted copy of the samples. */
    public long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    public static LongSamples merge(Iterable<LongSamples> parts) {
        LongSamples all = new LongSamples();
        for (LongSamples p : parts) all.addAll(p);
        return all;
    }
}
