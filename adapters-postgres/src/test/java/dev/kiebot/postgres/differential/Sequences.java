package dev.kiebot.postgres.differential;

import java.util.List;

/**
 * The seeds and counts of the differential tests, and how a disagreement is told. The seeds are fixed, so the build
 * runs the same sequences every time (a failure is the same failure again); {@code -Ddiff.seed=} starts elsewhere and
 * {@code -Ddiff.n=} runs more of them (README, "Tests"). The default counts (6 ledger sequences, 8 per other store)
 * cost the build 10 to 25 s on a shared 2-core machine once the test database is up (measured: the ledger's cost a
 * second each, the others' a fifth), and the fixed seeds catch both disagreements review R1 found (an expiry sweep's
 * order and date, a second claim in one transaction) when the in-memory stores are put back as they were.
 */
final class Sequences {
    /** The first sequence's seed unless {@code -Ddiff.seed=} says another; sequence k runs from this plus k. */
    static final long BASE_SEED = 6_501L;

    private Sequences() {
    }

    static long baseSeed() {
        return Long.getLong("diff.seed", BASE_SEED);
    }

    /**
     * How many sequences a test runs.
     *
     * @param byDefault the test's own count, small enough for the build
     * @return {@code -Ddiff.n=} when given, else {@code byDefault}
     */
    static int count(int byDefault) {
        return Integer.getInteger("diff.n", byDefault);
    }

    /** The first line where two states differ, each side's, so a failure does not print both states whole. */
    static String firstDifference(String mem, String pg) {
        String[] a = mem.split("\n", -1);
        String[] b = pg.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(none)";
            String y = i < b.length ? b[i] : "(none)";
            if (!x.equals(y)) {
                return "state, line " + (i + 1) + ":\n  mem=" + x + "\n  pg =" + y;
            }
        }
        return "state: the same";
    }

    /** A disagreement as the failure tells it: the seed to run it again from and its shortest sequence. */
    static String report(String name, long seed, List<String> steps, CharSequence why) {
        StringBuilder b = new StringBuilder(name).append(": the in-memory and the PostgreSQL store disagree (run again"
                + " with -Ddiff.seed=").append(seed).append(" -Ddiff.n=1); shortest sequence, ").append(steps.size())
                .append(" steps:\n");
        steps.forEach(s -> b.append("  ").append(s).append('\n'));
        return b.append(why).toString();
    }
}
