package dev.kiebot.postgres;

import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.payments.ManualTransition;
import dev.kiebot.core.payments.RequestNotice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Manual top-up requests (schema: {@code V7__manual_topups.sql}; their receipts' content ids: {@code
 * V32__manual_topup_receipts.sql}). Each change of state is one
 * {@code UPDATE ... WHERE state IN ('REQUESTED', 'CLAIMED_PAID')}: PostgreSQL re-checks the condition after waiting
 * for a row lock, so of racing changes exactly one finds the request open.
 */
public final class PgManualTopUps implements ManualTopUps {
    private static final String OPEN = "('REQUESTED', 'CLAIMED_PAID')";
    /** The first key of {@link #create}'s advisory locks, one per user (the ledger's are 1801, the audit's 1802). */
    static final int USER_LOCK = 1803;

    /**
     * The other requests that got a receipt of request {@code :id}'s content, oldest first, {@code :n} at most: from the
     * request's few receipts through the index on the content's id, then each request by its key
     * ({@code PgManualTopUpReceiptsTest} checks the plan).
     */
    static final String SHARING_A_RECEIPT = "SELECT m.* FROM manual_topup_receipts mine "
            + "JOIN manual_topup_receipts other ON other.unique_id = mine.unique_id "
            + "AND other.request_id <> mine.request_id "
            + "JOIN manual_topups m ON m.id = other.request_id "
            + "WHERE mine.request_id = :id GROUP BY m.id ORDER BY m.id LIMIT :n";

    private final Jdbi jdbi;

    public PgManualTopUps(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /**
     * Under a transaction-scoped advisory lock on the user: a second request of his at the same moment waits for the
     * first's transaction, then its own count sees the first's row (a count then an insert, unguarded, let both in).
     */
    @Override
    public ManualTopUpCreation create(ManualTopUpDraft d, int openMax) {
        return PgTransactions.current(jdbi).map(h -> create(h, d, openMax))
                .orElseGet(() -> jdbi.inTransaction(h -> create(h, d, openMax)));
    }

    private static ManualTopUpCreation create(Handle h, ManualTopUpDraft d, int openMax) {
        h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + USER_LOCK + ", hashtext(:u::text))) l")
                .bind("u", d.userId())
                .mapTo(Integer.class).one();
        Optional<ManualTopUp> known = byKey(h, d.key());
        if (known.isPresent()) {
            return new ManualTopUpCreation.Created(known.get());
        }
        List<ManualTopUp> open = h.createQuery("SELECT * FROM manual_topups WHERE user_id = :u AND state IN " + OPEN
                        + " AND expires_at > :at ORDER BY id")
                .bind("u", d.userId())
                .bind("at", Sql.ts(d.createdAt()))
                .map((rs, ctx) -> request(rs))
                .list();
        if (open.size() >= openMax) {
            return new ManualTopUpCreation.TooManyOpen(open);
        }
        Optional<ManualTopUp> created = h.createQuery("INSERT INTO manual_topups (request_key, user_id, chat_id, "
                        + "amount, reference, state, created_at, expires_at) VALUES (:key, :user, :chat, :amount, "
                        + "upper(:reference), 'REQUESTED', :at, :expires) ON CONFLICT DO NOTHING RETURNING *")
                .bind("key", d.key())
                .bind("user", d.userId())
                .bind("chat", d.chatId())
                .bind("amount", d.amount())
                .bind("reference", d.reference())
                .bind("at", Sql.ts(d.createdAt()))
                .bind("expires", Sql.ts(d.expiresAt()))
                .map((rs, ctx) -> request(rs))
                .findOne();
        // nothing inserted: the key was taken meanwhile (that request is the answer), or the reference was
        Optional<ManualTopUp> stored = created.isPresent() ? created : byKey(h, d.key());
        return stored.<ManualTopUpCreation>map(ManualTopUpCreation.Created::new)
                .orElseGet(ManualTopUpCreation.ReferenceTaken::new);
    }

    private static Optional<ManualTopUp> byKey(Handle h, String key) {
        return h.createQuery("SELECT * FROM manual_topups WHERE request_key = :key").bind("key", key)
                .map((rs, ctx) -> request(rs)).findOne();
    }

    @Override
    public Optional<ManualTopUp> find(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    private static Optional<ManualTopUp> find(Handle h, long id) {
        return h.createQuery("SELECT * FROM manual_topups WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> request(rs)).findOne();
    }

    @Override
    public Optional<ManualTopUp> findByReference(String reference) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM manual_topups WHERE upper(reference) = upper(:r)")
                .bind("r", reference.strip())
                .map((rs, ctx) -> request(rs))
                .findOne());
    }

    @Override
    public Optional<ManualTransition> claimPaid(long id) {
        return transition(id, "UPDATE manual_topups SET state = 'CLAIMED_PAID' WHERE id = :id AND state = 'REQUESTED' "
                + "RETURNING *", null, null, null);
    }

    /** The receipt's file id on the request, and its content's id beside the others, in one transaction. */
    @Override
    public Optional<ManualTopUp> attachReceipt(long id, String fileId, Optional<String> uniqueId) {
        return PgTransactions.current(jdbi).map(h -> attachReceipt(h, id, fileId, uniqueId))
                .orElseGet(() -> jdbi.inTransaction(h -> attachReceipt(h, id, fileId, uniqueId)));
    }

    private static Optional<ManualTopUp> attachReceipt(Handle h, long id, String fileId, Optional<String> uniqueId) {
        Optional<ManualTopUp> attached = h.createQuery("UPDATE manual_topups SET receipt_file_id = :f WHERE id = :id "
                        + "AND state IN " + OPEN + " RETURNING *")
                .bind("id", id)
                .bind("f", fileId)
                .map((rs, ctx) -> request(rs))
                .findOne();
        if (attached.isPresent() && uniqueId.isPresent()) {
            h.createUpdate("INSERT INTO manual_topup_receipts (request_id, unique_id) VALUES (:id, :u) "
                            + "ON CONFLICT DO NOTHING")
                    .bind("id", id)
                    .bind("u", uniqueId.get())
                    .execute();
        }
        return attached;
    }

    /** By the index on the content's id ({@code V32__manual_topup_receipts.sql}). */
    @Override
    public List<ManualTopUp> sharingAReceipt(long id, int limit) {
        return jdbi.withHandle(h -> h.createQuery(SHARING_A_RECEIPT)
                .bind("id", id)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> request(rs))
                .list());
    }

    @Override
    public Optional<ManualTransition> decide(long id, ManualTopUpState decision, long adminId, Instant at) {
        if (decision != ManualTopUpState.APPROVED && decision != ManualTopUpState.DECLINED) {
            throw new IllegalArgumentException("a decision is APPROVED or DECLINED, not " + decision);
        }
        return transition(id, "UPDATE manual_topups SET state = :state, decided_by = :admin, decided_at = :at "
                + "WHERE id = :id AND state IN " + OPEN + " RETURNING *", decision, adminId, at);
    }

    /** Runs a conditional update; when it changes nothing, the request as it is. */
    private Optional<ManualTransition> transition(long id, String sql, ManualTopUpState state, Long admin,
                                                  Instant at) {
        return jdbi.withHandle(h -> {
            var update = h.createQuery(sql).bind("id", id);
            if (state != null) {
                update.bind("state", state.name()).bind("admin", admin).bind("at", Sql.ts(at));
            }
            Optional<ManualTopUp> changed = update.map((rs, ctx) -> request(rs)).findOne();
            if (changed.isPresent()) {
                return Optional.of(new ManualTransition(changed.get(), true));
            }
            return find(h, id).map(r -> new ManualTransition(r, false));
        });
    }

    @Override
    public List<ManualTopUp> expire(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<ManualTopUp> expired = jdbi.withHandle(h -> h.createQuery("UPDATE manual_topups m "
                        + "SET state = 'EXPIRED', decided_at = :now FROM (SELECT id FROM manual_topups "
                        + "WHERE state IN " + OPEN + " AND expires_at <= :now ORDER BY expires_at, id LIMIT :n "
                        + "FOR UPDATE SKIP LOCKED) due WHERE m.id = due.id RETURNING m.*")
                .bind("now", Sql.ts(now))
                .bind("n", limit)
                .map((rs, ctx) -> request(rs))
                .list());
        return expired.stream().sorted(Comparator.comparing(ManualTopUp::expiresAt).thenComparing(ManualTopUp::id))
                .toList();
    }

    @Override
    public void addNotice(long id, AdminNotice notice) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO manual_topup_notices (request_id, chat_id) "
                        + "VALUES (:id, :chat) ON CONFLICT DO NOTHING")
                .bind("id", id)
                .bind("chat", notice.chatId())
                .execute());
    }

    /**
     * One bounded statement: the notices of closed requests (every closed one has {@code decided_at}, V7's check),
     * found through each notice's request by its key. The notices kept are those of the last weeks' requests, so
     * reading them all is cheap.
     */
    @Override
    public List<RequestNotice> forgetNotices(Instant closedBefore, int limit) {
        return jdbi.withHandle(h -> h.createQuery("DELETE FROM manual_topup_notices n USING (SELECT o.request_id, "
                        + "o.chat_id FROM manual_topup_notices o JOIN manual_topups m ON m.id = o.request_id "
                        + "WHERE m.state NOT IN " + OPEN + " AND m.decided_at < :before "
                        // locked in the order of their keys, as a forget takes a user's (PgPersonalData)
                        + "ORDER BY o.request_id, o.chat_id LIMIT :n FOR UPDATE OF o) old "
                        + "WHERE n.request_id = old.request_id AND n.chat_id = old.chat_id "
                        + "RETURNING n.request_id, n.chat_id")
                .bind("before", Sql.ts(closedBefore))
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> new RequestNotice(rs.getLong("request_id"), rs.getLong("chat_id")))
                .list());
    }

    @Override
    public List<AdminNotice> notices(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT chat_id FROM manual_topup_notices "
                        + "WHERE request_id = :id ORDER BY chat_id")
                .bind("id", id)
                .map((rs, ctx) -> new AdminNotice(rs.getLong("chat_id")))
                .list());
    }

    @Override
    public List<ManualTopUp> recent(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM manual_topups WHERE user_id = :u "
                        + "ORDER BY id DESC LIMIT :n")
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> request(rs))
                .list());
    }

    @Override
    public List<ManualTopUp> open(long userId, Instant at) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM manual_topups WHERE user_id = :u AND state IN " + OPEN
                        + " AND expires_at > :at ORDER BY id DESC")
                .bind("u", userId)
                .bind("at", Sql.ts(at))
                .map((rs, ctx) -> request(rs))
                .list());
    }

    @Override
    public long countOpen() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM manual_topups WHERE state IN " + OPEN)
                .mapTo(Long.class).one());
    }

    private static ManualTopUp request(ResultSet rs) throws SQLException {
        long decidedBy = rs.getLong("decided_by");
        Optional<Long> by = rs.wasNull() ? Optional.empty() : Optional.of(decidedBy);
        return new ManualTopUp(rs.getLong("id"), rs.getLong("user_id"), rs.getLong("chat_id"), rs.getLong("amount"),
                rs.getString("reference"), ManualTopUpState.valueOf(rs.getString("state")),
                Sql.optionalString(rs, "receipt_file_id"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"), by, Sql.optionalInstant(rs, "decided_at"));
    }
}
