package dev.kiebot.core.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The catalog's model ids nearest to one that is not in it, for messages that must say what was probably meant
 * (a typo, an earlier bot's id without its vendor prefix). Nearness is the edit distance between lower-cased ids;
 * an id that contains the unknown one, or is contained in it, counts as nearer.
 */
public final class ClosestModelIds {
    /** How many ids a message suggests. */
    public static final int SUGGESTED = 3;

    private ClosestModelIds() {
    }

    /**
     * The {@value #SUGGESTED} catalog ids nearest to {@code unknown}, nearest first (ties by id).
     *
     * @param catalog the models on sale
     * @param unknown an id not in it
     * @return at most {@value #SUGGESTED} ids
     */
    public static List<String> to(Catalog catalog, String unknown) {
        String u = unknown.toLowerCase(Locale.ROOT);
        return catalog.models().stream().map(Model::id)
                .sorted(Comparator.comparingInt((String id) -> distance(u, id.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(SUGGESTED)
                .toList();
    }

    /** Levenshtein distance, minus the length of the shorter id when one contains the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        int d = previous[b.length()];
        boolean contained = !a.isEmpty() && !b.isEmpty() && (a.contains(b) || b.contains(a));
        return contained ? d - Math.min(a.length(), b.length()) : d;
    }
}
