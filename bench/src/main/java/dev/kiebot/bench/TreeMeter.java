package dev.kiebot.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a {@link ProcessTree} in the background to catch its peak and mean memory between {@link #resetPeak()}
 * and {@link #peak()} / {@link #mean()}; {@link #now()} reads it at once for the CPU figures.
 */
final class TreeMeter implements AutoCloseable {
    /** Peak memory since the last reset; PSS (distinct) 0 when smaps_rollup (pagemap) was never readable. */
    record Peak(long rssKb, long pssKb, long distinctKb) {
    }

    private final ProcessTree tree;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tree-meter");
        t.setDaemon(true);
        return t;
    });
    private long peakRssKb;
    private long peakPssKb;
    private long peakDistinctKb;
    private long samples;
    private long sumRssKb;
    private long sumDistinctKb;
    private long sumProcesses;

    /** Mean memory over the samples since the last reset: an idle tree's members come and go within a minute. */
    record Mean(double rssKb, double distinctKb, double processes) {
    }

    TreeMeter(ProcessTree tree, Duration interval) {
        this.tree = tree;
        sampler.scheduleWithFixedDelay(this::sampleForPeak, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    TreeSample now() {
        TreeSample s = tree.sample(true);
        remember(s);
        return s;
    }

    synchronized void resetPeak() {
        peakRssKb = 0;
        peakPssKb = 0;
        peakDistinctKb = 0;
        samples = 0;
        sumRssKb = 0;
        sumDistinctKb = 0;
        sumProcesses = 0;
    }

    synchronized Mean mean() {
        return samples == 0 ? new Mean(Double.NaN, Double.NaN, Double.NaN) : new Mean(sumRssKb / (double) samples,
                sumDistinctKb / (double) samples, sumProcesses / (double) samples);
    }

    synchronized Peak peak() {
        return new Peak(peakRssKb, peakPssKb, peakDistinctKb);
    }

    ProcessTree tree() {
        return tree;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private void sampleForPeak() {
        try {
            remember(tree.sample(true));
        } catch (RuntimeException e) {
            // a process vanishing mid-read: the next sample counts
        }
    }

    private synchronized void remember(TreeSample s) {
        peakRssKb = Math.max(peakRssKb, s.rssKb());
        peakPssKb = Math.max(peakPssKb, s.pssKb());
        peakDistinctKb = Math.max(peakDistinctKb, s.distinctKb());
        samples++;
        sumRssKb += s.rssKb();
        sumDistinctKb += s.distinctKb();
        sumProcesses += s.processes();
    }
}
