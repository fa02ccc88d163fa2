package dev.kiebot.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One target's figures over the rounds of {@code --rounds} reduced to one set: the median, which one slow round
 * (another job on the shared machine) moves less than it moves the mean.
 */
final class Median {
    private Median() {
    }

    /**
     * Numbers: the median over the rounds that have the figure; text (load average, jar path, an error): the
     * value of the first round that has it.
     */
    static Figures of(List<Figures> rounds) {
        Set<String> names = new LinkedHashSet<>();
        rounds.forEach(f -> names.addAll(f.asMap().keySet()));
        Figures median = new Figures();
        for (String name : names) {
            List<Number> numbers = new ArrayList<>();
            Object firstText = null;
            for (Figures f : rounds) {
                Object v = f.asMap().get(name);
                if (v instanceof Number n) {
                    numbers.add(n);
                } else if (v != null && firstText == null) {
                    firstText = v;
                }
            }
            median.put(name, numbers.isEmpty() ? firstText : ofNumbers(numbers));
        }
        return median;
    }

    /**
     * The middle value, or the mean of the two middle ones for an even count. NaN (a percentile not reached
     * within the max wait, a figure that could not be read) counts as larger than any number: a round that did
     * not finish is the worst round, not a missing one. Whole numbers (counts) stay whole when the median is.
     */
    static Number ofNumbers(List<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        double m = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        boolean whole = values.stream().allMatch(v -> v instanceof Integer || v instanceof Long);
        return whole && Double.compare(m, Math.rint(m)) == 0 ? (Number) (long) m : (Number) m;
    }
}
