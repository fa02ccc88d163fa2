package dev.kiebot.postgres;

import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.broadcast.Recipient;
import dev.kiebot.core.broadcast.RecipientOutcome;
import dev.kiebot.core.broadcast.Tally;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Broadcasts and their recipients. Queueing fixes the recipients in the same transaction that leaves DRAFT,
 * so a double confirmation queues once; {@link #claim} sets {@code claimed_at} with
 * {@code FOR UPDATE SKIP LOCKED} before anything is sent, so each recipient is handed out once across
 * instances and restarts.
 *
 * <p>Users who had blocked the bot when the broadcast was queued get no row; their number is kept on the
 * broadcast ({@code skipped}) for the admin's report. A finished broadcast keeps its figures on its row
 * ({@code V37__broadcast_counts.sql}), and its recipients are forgotten after the upkeep's retention.
 */
public final class PgBroadcasts implements Broadcasts {
    private static final String CLAIM = "UPDATE broadcast_recipients r SET claimed_at = :now "
            + "FROM (SELECT p.broadcast_id, p.user_id FROM broadcast_recipients p "
            + "JOIN broadcasts b ON b.id = p.broadcast_id AND b.state = 'QUEUED' "
            + "WHERE p.claimed_at IS NULL ORDER BY p.broadcast_id, p.user_id LIMIT :n FOR UPDATE OF p SKIP LOCKED) c "
            + "WHERE r.broadcast_id = c.broadcast_id AND r.user_id = c.user_id RETURNING r.broadcast_id, r.user_id";

    /** A broadcast's recipients as they stand, counted from their rows. */
    private static final String COUNT = "SELECT count(*) AS total, "
            + "count(*) FILTER (WHERE claimed_at IS NULL) AS pending, "
            + "count(*) FILTER (WHERE claimed_at IS NOT NULL AND outcome IS NULL) AS sending, "
            + "count(*) FILTER (WHERE outcome = 'SENT') AS sent, "
            + "count(*) FILTER (WHERE outcome = 'BLOCKED') AS blocked, "
            + "count(*) FILTER (WHERE outcome = 'FAILED') AS failed, "
            + "count(*) FILTER (WHERE outcome = 'ABANDONED') AS abandoned, "
            + "(SELECT skipped FROM broadcasts WHERE id = :id) AS skipped "
            + "FROM broadcast_recipients WHERE broadcast_id = :id";

    private final Jdbi jdbi;
    private final PgNotifier worker;

    /** The broadcast worker is woken here when a broadcast is queued. */
    public static final String CHANNEL = "kiebot_broadcasts";

    /** Notifies other instances only; {@link #PgBroadcasts(Jdbi, Wakeups)} also wakes this one's threads. */
    public PgBroadcasts(Jdbi jdbi) {
        this(jdbi, Wakeups.sharedDatabase());
    }

    public PgBroadcasts(Jdbi jdbi, Wakeups wakeups) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.worker = new PgNotifier(jdbi, CHANNEL, wakeups);
    }

    @Override
    public Broadcast draft(long adminId, long chatId, String text, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("INSERT INTO broadcasts (admin_id, chat_id, text, state, "
                        + "created_at) VALUES (:a, :c, :t, 'DRAFT', :now) RETURNING *")
                .bind("a", adminId)
                .bind("c", chatId)
                .bind("t", text)
                .bind("now", Sql.ts(now))
                .map((rs, ctx) -> broadcast(rs))
                .one());
    }

    @Override
    public Optional<Broadcast> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM broadcasts WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> broadcast(rs))
                .findOne());
    }

    @Override
    public Optional<Broadcast> queue(long id, Optional<Long> progressMessageId, Instant now) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE broadcasts SET state = 'QUEUED', progress_message_id = :m "
                            + "WHERE id = :id AND state = 'DRAFT'")
                    .bind("id", id)
                    .bind("m", progressMessageId.orElse(null))
                    .execute();
            if (changed == 0) {
                return Optional.<Broadcast>empty();
            }
            worker.afterCommit();
            int recipients = h.createUpdate("INSERT INTO broadcast_recipients (broadcast_id, user_id) "
                            + "SELECT :id, u.id FROM users u WHERE NOT u.blocked")
                    .bind("id", id)
                    .execute();
            return h.createQuery("UPDATE broadcasts SET recipients = :n, "
                            + "skipped = (SELECT count(*) FROM users WHERE blocked) WHERE id = :id RETURNING *")
                    .bind("id", id)
                    .bind("n", recipients)
                    .map((rs, ctx) -> broadcast(rs))
                    .findOne();
        });
    }

    @Override
    public boolean cancel(long id) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE broadcasts SET state = 'CANCELLED' "
                        + "WHERE id = :id AND state = 'DRAFT'")
                .bind("id", id)
                .execute()) == 1;
    }

    /**
     * Leaving QUEUED first takes the broadcast from every claim ({@link #CLAIM} joins on QUEUED); a claim already under
     * way holds its rows, which the delete then skips as claimed. Its figures go on its row as {@link #finish} keeps
     * them, its count of recipients as it was queued (the report says how many of them got it).
     */
    @Override
    public boolean stop(long id, Instant now) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE broadcasts SET state = 'CANCELLED' WHERE id = :id AND state = 'QUEUED'")
                    .bind("id", id)
                    .execute();
            if (changed == 0) {
                return false;
            }
            h.createUpdate("DELETE FROM broadcast_recipients WHERE broadcast_id = :id AND claimed_at IS NULL")
                    .bind("id", id)
                    .execute();
            h.createUpdate("UPDATE broadcasts b SET finished_at = :now, sent = c.sent, blocked = c.blocked, "
                            + "failed = c.failed, abandoned = c.abandoned FROM (" + COUNT + ") c WHERE b.id = :id")
                    .bind("id", id)
                    .bind("now", Sql.ts(now))
                    .execute();
            return true;
        });
    }

    @Override
    public List<Recipient> claim(int limit, Instant now) {
        return jdbi.withHandle(h -> h.createQuery(CLAIM)
                .bind("now", Sql.ts(now))
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> new Recipient(rs.getLong("broadcast_id"), rs.getLong("user_id")))
                .list());
    }

    @Override
    public void record(Recipient recipient, RecipientOutcome outcome) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE broadcast_recipients SET outcome = :o "
                        + "WHERE broadcast_id = :b AND user_id = :u AND outcome IS NULL")
                .bind("o", outcome.name())
                .bind("b", recipient.broadcastId())
                .bind("u", recipient.userId())
                .execute());
    }

    @Override
    public void release(List<Recipient> recipients) {
        jdbi.useHandle(h -> {
            var batch = h.prepareBatch("UPDATE broadcast_recipients SET claimed_at = NULL "
                    + "WHERE broadcast_id = :b AND user_id = :u AND outcome IS NULL");
            for (Recipient r : recipients) {
                batch.bind("b", r.broadcastId()).bind("u", r.userId()).add();
            }
            if (!recipients.isEmpty()) {
                batch.execute();
            }
        });
    }

    @Override
    public int abandon(Instant now, Duration after) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE broadcast_recipients SET outcome = 'ABANDONED' "
                        + "WHERE claimed_at IS NOT NULL AND outcome IS NULL AND claimed_at <= :cutoff")
                .bind("cutoff", Sql.ts(now.minus(after)))
                .execute());
    }

    @Override
    public List<Broadcast> queued() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM broadcasts WHERE state = 'QUEUED' ORDER BY id")
                .map((rs, ctx) -> broadcast(rs))
                .list());
    }

    /** A finished broadcast's figures are on its row (its recipients may be forgotten); the others' are counted. */
    @Override
    public Tally tally(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT recipients, sent, blocked, failed, skipped, abandoned "
                        + "FROM broadcasts WHERE id = :id AND sent IS NOT NULL")
                .bind("id", id)
                .map((rs, ctx) -> new Tally(rs.getInt("recipients"), 0, 0, rs.getInt("sent"), rs.getInt("blocked"),
                        rs.getInt("failed"), rs.getInt("skipped"), rs.getInt("abandoned")))
                .findOne()
                .orElseGet(() -> h.createQuery(COUNT)
                        .bind("id", id)
                        .map((rs, ctx) -> new Tally(rs.getInt("total"), rs.getInt("pending"), rs.getInt("sending"),
                                rs.getInt("sent"), rs.getInt("blocked"), rs.getInt("failed"), rs.getInt("skipped"),
                                rs.getInt("abandoned")))
                        .one()));
    }

    /** Finished with no time given: {@link #finish(long, Instant)} at this machine's clock. */
    @Override
    public boolean finish(long id) {
        return finish(id, Instant.now());
    }

    /** Its figures are counted and kept on its row in the same statement that finishes it. */
    @Override
    public boolean finish(long id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE broadcasts b SET state = 'DONE', finished_at = :now, "
                        + "recipients = c.total, sent = c.sent, blocked = c.blocked, failed = c.failed, "
                        + "abandoned = c.abandoned "
                        + "FROM (" + COUNT + ") c WHERE b.id = :id AND b.state = 'QUEUED'")
                .bind("id", id)
                .bind("now", Sql.ts(now))
                .execute()) == 1;
    }

    /**
     * In passes of {@code limit} rows (the upkeep's), so that a large audience's rows never make one long
     * transaction; the primary key leads with the broadcast, so each pass reads only the finished broadcasts' rows.
     */
    @Override
    public int forgetRecipients(Instant finishedBefore, int limit) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM broadcast_recipients r USING ("
                        + "SELECT p.broadcast_id, p.user_id FROM broadcast_recipients p "
                        + "JOIN broadcasts b ON b.id = p.broadcast_id "
                        + "WHERE b.state IN ('DONE', 'CANCELLED') AND b.sent IS NOT NULL AND b.finished_at < :before LIMIT :n) d "
                        + "WHERE r.broadcast_id = d.broadcast_id AND r.user_id = d.user_id")
                .bind("before", Sql.ts(finishedBefore))
                .bind("n", Math.max(0, limit))
                .execute());
    }

    private static Broadcast broadcast(ResultSet rs) throws SQLException {
        long progress = rs.getLong("progress_message_id");
        Optional<Long> progressId = rs.wasNull() ? Optional.empty() : Optional.of(progress);
        return new Broadcast(rs.getLong("id"), rs.getLong("admin_id"), rs.getLong("chat_id"), rs.getString("text"),
                BroadcastState.valueOf(rs.getString("state")), rs.getInt("recipients"), progressId,
                Sql.instant(rs, "created_at"));
    }
}
