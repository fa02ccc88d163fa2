package dev.kiebot.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * For two targets of one runner over several rounds: in how many rounds B's key figure was lower than A's, the
 * rounds paired by index (both ran back to back in that round, on nearly the same machine). The medians alone
 * hide how often B won; a difference that holds in 5 of 5 rounds is one, a difference of medians with B lower
 * in 3 of 5 is noise.
 *
 * @param figure the figure's name
 * @param lower  in how many of the paired rounds B's value was lower than A's
 * @param paired how many rounds have a number (not NaN) for the figure on both sides
 */
record Comparison(String figure, int lower, int paired) {
    /** The figures the comparison is printed for, when the targets have them. */
    static final List<String> KEY_FIGURES = List.of("burst_cpu_s_per_1000", "burst2_cpu_s_per_1000", "idle_rss_mb",
            "idle_rss_mean_mb", "load_accepted_per_s", "ready_fresh_s");
    private static final Set<String> HIGHER_IS_BETTER = Set.of("load_accepted_per_s");
    static final int MIN_ROUNDS = 3;
    static final String DEFINITION = "B lower than A in n of K rounds (printed for two targets of one runner and "
            + MIN_ROUNDS + " or more rounds): round i of B against round i of A, the two ran back to back; K counts "
            + "the rounds with a number on both sides. With no real difference n is near K/2; n = 0 or n = K "
            + "happens by chance once in 2^(K-1) (e.g. 1 in 16 for K = 5)";

    /** Whether the comparison applies: exactly two targets, of one runner, and enough rounds to count. */
    static boolean applies(List<Target> targets, int rounds) {
        return targets.size() == 2 && targets.get(0).runner() == targets.get(1).runner() && rounds >= MIN_ROUNDS;
    }

    /** The key figures that both sides have in at least one common round, A's and B's rounds in order. */
    static List<Comparison> of(List<Figures> a, List<Figures> b) {
        List<Comparison> result = new ArrayList<>();
        for (String figure : KEY_FIGURES) {
            int lower = 0;
            int paired = 0;
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                double x = number(a.get(i), figure);
                double y = number(b.get(i), figure);
                if (!Double.isNaN(x) && !Double.isNaN(y)) {
                    paired++;
                    lower += y < x ? 1 : 0;
                }
            }
            if (paired > 0) {
                result.add(new Comparison(figure, lower, paired));
            }
        }
        return List.copyOf(result);
    }

    /** E.g. {@code burst_cpu_s_per_1000: s03 lower than base in 4 of 5 rounds (lower is better)}. */
    String line(String labelA, String labelB) {
        return String.format(Locale.ROOT, "%s: %s lower than %s in %d of %d rounds (%s is better)", figure, labelB,
                labelA, lower, paired, HIGHER_IS_BETTER.contains(figure) ? "higher" : "lower");
    }

    /** For the JSON: the figure, B's lower rounds and the paired rounds. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("figure", figure);
        m.put("b_lower_rounds", lower);
        m.put("paired_rounds", paired);
        return m;
    }

    private static double number(Figures f, String figure) {
        return f.asMap().get(figure) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
