package dev.kiebot.bench;

import java.util.Arrays;
import java.util.List;

/** Request latencies in nanoseconds, kept exactly up to a fixed number (later ones are counted as dropped). */
final class Latencies {
    private final int capacity;
    private long[] values = new long[1024];
    private int size;
    private long dropped;

    Latencies(int capacity) {
        this.capacity = capacity;
    }

    void add(long nanos) {
        if (size == capacity) {
            dropped++;
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.min(capacity, values.length * 2));
        }
        values[size++] = nanos;
    }

    static Latencies merge(List<Latencies> parts) {
        Latencies all = new Latencies(parts.stream().mapToInt(p -> p.capacity).sum());
        for (Latencies p : parts) {
            for (int i = 0; i < p.size; i++) {
                all.add(p.values[i]);
            }
            all.dropped += p.dropped;
        }
        return all;
    }

    int count() {
        return size;
    }

    long dropped() {
        return dropped;
    }

    /** Nearest-rank percentile ({@code 0 < p <= 100}) in milliseconds; NaN when empty. */
    double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[rank(p, size)] / 1e6;
    }

    /** The 0-based index of the nearest-rank {@code p}-th percentile of {@code n} sorted values. */
    static int rank(double p, int n) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(p / 100 * n) - 1));
    }
}
