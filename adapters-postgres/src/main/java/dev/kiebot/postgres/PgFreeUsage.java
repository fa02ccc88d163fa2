package dev.kiebot.postgres;

import dev.kiebot.core.users.FreeUsage;
import java.time.LocalDate;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * The free daily allowance. {@code tryUse} locks the user's day row, so the limit holds under concurrency
 * (ledger.md invariant 14) also across instances.
 */
public final class PgFreeUsage implements FreeUsage {
    private final Jdbi jdbi;

    public PgFreeUsage(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public boolean tryUse(long userId, LocalDate day, int limit, String key) {
        return Sql.retrying("free use", () -> jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO free_use_days (user_id, day) VALUES (:u, :d) ON CONFLICT DO NOTHING")
                    .bind("u", userId).bind("d", day).execute();
            h.createQuery("SELECT 1 FROM free_use_days WHERE user_id = :u AND day = :d FOR UPDATE")
                    .bind("u", userId).bind("d", day).mapTo(Integer.class).one();
            boolean mine = h.createQuery("SELECT EXISTS (SELECT 1 FROM free_uses WHERE user_id = :u AND day = :d "
                            + "AND key = :k)")
                    .bind("u", userId).bind("d", day).bind("k", key).mapTo(Boolean.class).one();
            if (mine) {
                return true;
            }
            int used = h.createQuery("SELECT count(*) FROM free_uses WHERE user_id = :u AND day = :d")
                    .bind("u", userId).bind("d", day).mapTo(Integer.class).one();
            if (used >= limit) {
                return false;
            }
            h.createUpdate("INSERT INTO free_uses (user_id, day, key) VALUES (:u, :d, :k)")
                    .bind("u", userId).bind("d", day).bind("k", key).execute();
            return true;
        }));
    }

    @Override
    public void release(long userId, LocalDate day, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM free_uses WHERE user_id = :u AND day = :d AND key = :k")
                .bind("u", userId).bind("d", day).bind("k", key).execute());
    }

    @Override
    public int used(long userId, LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM free_uses WHERE user_id = :u AND day = :d")
                .bind("u", userId).bind("d", day).mapTo(Integer.class).one());
    }

    @Override
    public int purge(LocalDate day) {
        return jdbi.inTransaction(h -> {
            int uses = h.createUpdate("DELETE FROM free_uses WHERE day < :d").bind("d", day).execute();
            h.createUpdate("DELETE FROM free_use_days WHERE day < :d").bind("d", day).execute();
            return uses;
        });
    }
}
