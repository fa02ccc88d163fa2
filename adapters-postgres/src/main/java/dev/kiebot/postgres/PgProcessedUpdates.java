package dev.kiebot.postgres;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable update inbox. {@code record} is insert-or-skip, so a re-delivered {@code update_id} is recorded
 * once even when two deliveries race. {@code claim} hands out the lowest unhandled update whose chat has no
 * earlier unhandled update (NOT EXISTS) and which no live claim holds; {@code FOR UPDATE SKIP LOCKED} keeps
 * racing claimers (also in other instances) off the same row, and the re-check PostgreSQL does on a row
 * changed meanwhile keeps them off a row just claimed. So one chat is handled by one claimer at a time, in
 * order.
 */
public final class PgProcessedUpdates implements ProcessedUpdates {
    private static final String CLAIM = "UPDATE processed_updates u SET claimed_by = :worker, claimed_until = :until "
            + "WHERE u.update_id = (SELECT c.update_id FROM processed_updates c "
            + "WHERE c.done_at IS NULL AND (c.claimed_until IS NULL OR c.claimed_until <= :now) "
            + "AND NOT EXISTS (SELECT 1 FROM processed_updates e WHERE e.chat_id = c.chat_id AND e.done_at IS NULL "
            + "AND e.update_id < c.update_id) "
            + "ORDER BY c.update_id LIMIT 1 FOR UPDATE SKIP LOCKED) "
            + "RETURNING u.update_id, u.chat_id, u.payload";

    private final Jdbi jdbi;

    public PgProcessedUpdates(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public boolean record(long updateId, long chatId, String payload, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO processed_updates (update_id, chat_id, payload, "
                        + "recorded_at) VALUES (:id, :chat, :payload, :now) ON CONFLICT (update_id) DO NOTHING")
                .bind("id", updateId)
                .bind("chat", chatId)
                .bind("payload", payload)
                .bind("now", Sql.ts(now))
                .execute()) == 1;
    }

    @Override
    public Optional<PendingUpdate> claim(String worker, Instant now, Duration lease) {
        return jdbi.withHandle(h -> h.createQuery(CLAIM)
                .bind("worker", worker)
                .bind("until", Sql.ts(now.plus(lease)))
                .bind("now", Sql.ts(now))
                .map((rs, ctx) -> new PendingUpdate(rs.getLong("update_id"), rs.getLong("chat_id"),
                        rs.getString("payload")))
                .findOne());
    }

    @Override
    public void done(long updateId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE processed_updates SET done_at = :now, claimed_until = NULL "
                        + "WHERE update_id = :id AND done_at IS NULL")
                .bind("id", updateId)
                .bind("now", Sql.ts(now))
                .execute());
    }

    @Override
    public int purge(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM processed_updates WHERE done_at IS NOT NULL "
                        + "AND recorded_at < :cutoff")
                .bind("cutoff", Sql.ts(cutoff))
                .execute());
    }
}
