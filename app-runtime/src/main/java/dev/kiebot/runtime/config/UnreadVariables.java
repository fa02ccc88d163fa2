package dev.kiebot.runtime.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Variables that look like the bot's (by their prefix) but that nothing read: a misspelled name ({@code ADMINS_IDS})
 * is otherwise silently the default, and an empty admin list sends every alert and {@code /paysupport} ticket
 * nowhere. Checked after every concern was read, so "read" means asked for with these settings: a variable only
 * another mode reads ({@code KIE_API_KEY} with {@code KIE_STUB=1}) is named too, which is true of it. One notice
 * each, with the closest read name when one is near; never a value.
 */
final class UnreadVariables {
    /** The prefixes of the bot's variables; others in the environment (PATH, RENDER_*, JAVA_*) are not ours. */
    static final List<String> PREFIXES = List.of("KIE_", "TELEGRAM_", "ADMIN", "FREE_", "WELCOME_", "PAYMENT_",
            "DATABASE_", "STAR", "REFERRAL_", "WEBHOOK_", "METRICS_", "SUPPORT_", "SMOKE_", "PRICING_", "FX_",
            "BOT_", "LOG_");
    /** Edits apart at most, for a read name to be offered as the one meant. */
    private static final int SUGGESTED_DISTANCE_MAX = 3;

    private UnreadVariables() {
    }

    /**
     * One notice per variable set (not blank: {@code render.yaml}'s optional fields are empty) with a prefix of ours
     * that nothing read, nor the earlier bots' table names.
     */
    static void check(Env env) {
        Set<String> read = env.names();
        env.setNames().stream().sorted()
                .filter(name -> PREFIXES.stream().anyMatch(name::startsWith) && env.isSet(name))
                .filter(name -> !read.contains(name) && !EarlierVariables.WITHOUT_EFFECT.containsKey(name))
                .forEach(name -> env.notice(name + " is set but not read (with these settings it has no effect)"
                        + closest(name, read).map(n -> "; did you mean " + n + "?").orElse("")));
    }

    static Optional<String> closest(String name, Set<String> read) {
        return read.stream().filter(n -> distance(name, n) <= SUGGESTED_DISTANCE_MAX)
                .min(Comparator.comparingInt((String n) -> distance(name, n)).thenComparing(n -> n));
    }

    /** Levenshtein distance: the fewest single-letter insertions, deletions and substitutions. */
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
        return previous[b.length()];
    }
}
