package dev.kiebot.core.shop;

import java.util.function.IntUnaryOperator;

/**
 * Work taken in batches (the job worker, the broadcaster, the expiry of card / SBP requests: each given a batch size,
 * each returning how many it took) run again while its batches come back full, but at most {@link #MAX} times in one
 * run, so that one busy run cannot keep its thread, and the tasks behind it, for ever.
 */
final class Passes {
    static final int MAX = 10;

    private Passes() {
    }

    /** @return how many items the passes took in all */
    static int run(int batchSize, IntUnaryOperator pass) {
        return run(batchSize, MAX, pass);
    }

    /**
     * As {@link #run(int, IntUnaryOperator)}, but at most {@code passes} passes: work whose backlog can be far larger
     * than an hour's batches (a year of personal texts when their retention is first set) takes more of its run.
     *
     * @return how many items the passes took in all
     */
    static int run(int batchSize, int passes, IntUnaryOperator pass) {
        int total = 0;
        for (int i = 0; i < passes; i++) {
            int taken = pass.applyAsInt(batchSize);
            total += taken;
            if (taken < batchSize) {
                break;
            }
        }
        return total;
    }
}
