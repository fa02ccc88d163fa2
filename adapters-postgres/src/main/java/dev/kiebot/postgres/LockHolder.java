package dev.kiebot.postgres;

import java.time.Instant;
import java.util.Optional;

/**
 * A database session holding a lock the bot's pooled connections wait for ({@link Database#lockHolders()}): what an
 * operator needs to find it ({@code pg_stat_activity}) and end it ({@code pg_terminate_backend(pid)}). Never its
 * query's text, which may quote users' rows. The times are empty where the server shows them only to a superuser or
 * a role with {@code pg_read_all_stats} (another role's session).
 *
 * @param pid              the holder's backend process id
 * @param application      its {@code application_name} ({@code psql}, {@code kiebot}); empty when none was set
 * @param state            {@code idle in transaction}, {@code active}, …
 * @param transactionStart when its transaction began: the lock is held at least since then
 * @param queryStart       when its last statement began
 * @param waiting          how many of the bot's sessions wait for it
 */
public record LockHolder(int pid, String application, Optional<String> state, Optional<Instant> transactionStart,
                         Optional<Instant> queryStart, int waiting) {
    /** For a log line: pid, application, state and times, no query text. */
    public String describe() {
        return "pid " + pid + " (" + (application.isEmpty() ? "no application name" : application) + ", "
                + state.orElse("state hidden from this role") + transactionStart.map(t -> ", transaction since " + t)
                .orElse("") + queryStart.map(t -> ", last statement since " + t).orElse("") + "; " + waiting
                + " of the bot's sessions wait for it)";
    }
}
