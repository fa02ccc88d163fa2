package dev.kiebot.postgres;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable update inbox. {@code record} is insert-or-skip in one statement that also moves the chat's head
 * ({@code inbox_chats}) and notifies waiting handlers ({@value #CHANNEL}), so a re-delivered {@code update_id} is
 * recorded once even when two deliveries race.
 *
 * <p>{@code claimNext} locks the chat row with the smallest head ({@code FOR UPDATE SKIP LOCKED}, one probe of a
 * partial index, whatever the backlog and whatever the table statistics say) and reads that update by its key.
 * The lock is the claim: it lasts as long as the handling transaction — a commit, a rollback or a dead
 * connection ends it — so a chat is handled by one transaction at a time, in order, across instances.
 */
public final class PgProcessedUpdates implements ProcessedUpdates {
    /** Handlers waiting for work LISTEN here. */
    public static final String CHANNEL = "kiebot_inbox";

    private static final String RECORD = "WITH added AS (INSERT INTO processed_updates (update_id, chat_id, payload, "
            + "recorded_at) VALUES (:id, :chat, :payload, :now) ON CONFLICT (update_id) DO NOTHING "
            + "RETURNING update_id, chat_id), "
            + "head AS (INSERT INTO inbox_chats (chat_id, head_id) SELECT chat_id, update_id FROM added "
            + "ON CONFLICT (chat_id) DO UPDATE SET head_id = LEAST(inbox_chats.head_id, excluded.head_id) "
            + "RETURNING 1) "
            + "SELECT (SELECT count(*) FROM added) AS added, (SELECT count(*) FROM head) AS heads, "
            + "pg_notify('" + CHANNEL + "', '')";
    static final String CLAIM = "SELECT u.update_id, u.chat_id, u.payload, u.recorded_at "
            + "FROM (SELECT chat_id, head_id FROM inbox_chats WHERE head_id IS NOT NULL "
            + "ORDER BY head_id LIMIT 1 FOR UPDATE SKIP LOCKED) c "
            + "JOIN processed_updates u ON u.update_id = c.head_id";
    static final String DONE = "WITH handled AS (UPDATE processed_updates SET done_at = :now "
            + "WHERE update_id = :id AND done_at IS NULL RETURNING chat_id) "
            + "UPDATE inbox_chats c SET head_id = (SELECT min(n.update_id) FROM processed_updates n "
            + "WHERE n.chat_id = c.chat_id AND n.done_at IS NULL AND n.update_id <> :id) "
            + "FROM handled h WHERE c.chat_id = h.chat_id";

    private final Jdbi jdbi;

    public PgProcessedUpdates(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public boolean record(long updateId, long chatId, String payload, Instant now) {
        return jdbi.withHandle(h -> h.createQuery(RECORD)
                .bind("id", updateId)
                .bind("chat", chatId)
                .bind("payload", payload)
                .bind("now", Sql.ts(now))
                .map((rs, ctx) -> rs.getInt("added"))
                .one()) == 1;
    }

    @Override
    public Optional<PendingUpdate> claimNext() {
        return jdbi.withHandle(h -> h.createQuery(CLAIM)
                .map((rs, ctx) -> new PendingUpdate(rs.getLong("update_id"), rs.getLong("chat_id"),
                        rs.getString("payload"), Sql.instant(rs, "recorded_at")))
                .findOne());
    }

    @Override
    public void done(long updateId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate(DONE)
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
