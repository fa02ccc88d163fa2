package dev.kiebot.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a {@link ProcessTree} in the background to catch its peak memory between {@link #resetPeak()} and
 * {@link #peak()}; {@link #now()} reads it at once for the CPU figures.
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
    }
}
