package dev.kiebot.postgres;

import dev.kiebot.core.users.FreeUsage;
import java.time.LocalDate;
import java.util.Objects;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The free daily allowance. {@code tryUse} locks the user's day row (and, with a cap on everyone's uses together,
 * the day's row of user 0 before it), so the limits hold under concurrency (ledger.md invariant 14) also across
 * instances. {@code tryWelcome} counts the day's welcome bonuses up in the day's row of {@code welcome_days}, under
 * its lock until the caller's transaction ends.
 */
public final class PgFreeUsage implements FreeUsage {
    /** The lock row of every user's uses together: Telegram's user ids are positive. */
    private static final long EVERYONE = 0;
    private final Jdbi jdbi;

    public PgFreeUsage(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public boolean tryUse(long userId, LocalDate day, int limit, OptionalInt totalMax, String key) {
        return Sql.retrying(jdbi, "free use", () -> jdbi.inTransaction(h -> {
            if (totalMax.isPresent()) {
                // always before a user's row, so locks are taken in one order and no two tryUse deadlock; held until
                // the caller's transaction (the update's) commits: free starts of every user wait for each other
                lockDay(h, EVERYONE, day);
            }
            lockDay(h, userId, day);
            boolean mine = h.createQuery("SELECT EXISTS (SELECT 1 FROM free_uses WHERE user_id = :u AND day = :d "
                            + "AND key = :k)")
                    .bind("u", userId).bind("d", day).bind("k", key).mapTo(Boolean.class).one();
            if (mine) {
                return true;
            }
            if (used(h, userId, day) >= limit || (totalMax.isPresent() && usedByAll(h, day) >= totalMax.getAsInt())) {
                return false;
            }
            h.createUpdate("INSERT INTO free_uses (user_id, day, key) VALUES (:u, :d, :k)")
                    .bind("u", userId).bind("d", day).bind("k", key).execute();
            return true;
        }));
    }

    /** Takes the day's lock row of a user, or of {@link #EVERYONE}, for this transaction. */
    private static void lockDay(Handle h, long userId, LocalDate day) {
        h.createUpdate("INSERT INTO free_use_days (user_id, day) VALUES (:u, :d) ON CONFLICT DO NOTHING")
                .bind("u", userId).bind("d", day).execute();
        h.createQuery("SELECT 1 FROM free_use_days WHERE user_id = :u AND day = :d FOR UPDATE")
                .bind("u", userId).bind("d", day).mapTo(Integer.class).one();
    }

    private static int used(Handle h, long userId, LocalDate day) {
        return h.createQuery("SELECT count(*) FROM free_uses WHERE user_id = :u AND day = :d")
                .bind("u", userId).bind("d", day).mapTo(Integer.class).one();
    }

    private static int usedByAll(Handle h, LocalDate day) {
        return h.createQuery("SELECT count(*) FROM free_uses WHERE day = :d").bind("d", day).mapTo(Integer.class).one();
    }

    @Override
    public void release(long userId, LocalDate day, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM free_uses WHERE user_id = :u AND day = :d AND key = :k")
                .bind("u", userId).bind("d", day).bind("k", key).execute());
    }

    @Override
    public boolean tryWelcome(LocalDate day, int max) {
        if (max <= 0) {
            return false;
        }
        // one statement: a racing one waits for this row's lock and then sees its count (ON CONFLICT DO UPDATE
        // re-reads the row it locked), so two at the last place give one
        return Sql.retrying(jdbi, "welcome count", () -> jdbi.withHandle(h -> h.createQuery("INSERT INTO welcome_days "
                        + "(day, given) VALUES (:d, 1) ON CONFLICT (day) DO UPDATE SET given = welcome_days.given + 1 "
                        + "WHERE welcome_days.given < :max RETURNING given")
                .bind("d", day).bind("max", max).mapTo(Integer.class).findOne().isPresent()));
    }

    @Override
    public int welcomed(LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("SELECT given FROM welcome_days WHERE day = :d").bind("d", day)
                .mapTo(Integer.class).findOne().orElse(0));
    }

    @Override
    public int used(long userId, LocalDate day) {
        return jdbi.withHandle(h -> used(h, userId, day));
    }

    @Override
    public int usedByAll(LocalDate day) {
        return jdbi.withHandle(h -> usedByAll(h, day));
    }

    @Override
    public int purge(LocalDate day) {
        return jdbi.inTransaction(h -> {
            int uses = h.createUpdate("DELETE FROM free_uses WHERE day < :d").bind("d", day).execute();
            h.createUpdate("DELETE FROM free_use_days WHERE day < :d").bind("d", day).execute();
            h.createUpdate("DELETE FROM welcome_days WHERE day < :d").bind("d", day).execute();
            return uses;
        });
    }
}
