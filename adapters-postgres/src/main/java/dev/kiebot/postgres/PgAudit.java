package dev.kiebot.postgres;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The audit trail: append, search by correlation id (all, or the last), list newest, purge old events. */
public final class PgAudit implements Audit {
    /** The first key of {@link #recordFirst}'s advisory locks (the ledger's are 1801). */
    static final int OCCASION_LOCK = 1802;

    private final Jdbi jdbi;

    public PgAudit(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public void record(AuditEvent e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_events (at, actor, action, detail, correlation_id) "
                        + "VALUES (:at, :actor, :action, :detail, :cid)")
                .bind("at", Sql.ts(e.at()))
                .bind("actor", e.actor())
                .bind("action", e.action())
                .bind("detail", e.detail())
                .bind("cid", e.correlationId().orElse(null))
                .execute());
    }

    /**
     * Under a transaction-scoped advisory lock on the action and correlation id: a second instance asking for the same
     * occasion waits for the first's transaction, then its own statement sees the first's event (a look then an
     * insert, unguarded, let both instances in).
     */
    @Override
    public boolean recordFirst(AuditEvent e, Instant since) {
        return PgTransactions.current(jdbi).map(h -> recordFirst(h, e, since))
                .orElseGet(() -> jdbi.inTransaction(h -> recordFirst(h, e, since)));
    }

    private static boolean recordFirst(org.jdbi.v3.core.Handle h, AuditEvent e, Instant since) {
        String cid = e.correlationId().orElse(null);
        h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + OCCASION_LOCK + ", hashtext(:key))) l")
                .bind("key", e.action() + " " + e.correlationId().orElse(""))
                .mapTo(Integer.class).one();
        // a statement of its own, after the lock: its snapshot sees what the lock's last holder committed
        return h.createUpdate("INSERT INTO audit_events (at, actor, action, detail, correlation_id) "
                        + "SELECT :at, :actor, :action, :detail, :cid WHERE NOT EXISTS (SELECT 1 FROM audit_events "
                        + "WHERE action = :action AND correlation_id IS NOT DISTINCT FROM :cid AND at >= :since)")
                .bind("at", Sql.ts(e.at()))
                .bind("actor", e.actor())
                .bind("action", e.action())
                .bind("detail", e.detail())
                .bind("cid", cid)
                .bind("since", Sql.ts(since))
                .execute() == 1;
    }

    @Override
    public List<AuditEvent> byCorrelation(String correlationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events WHERE correlation_id = :cid "
                        + "ORDER BY at, id")
                .bind("cid", correlationId)
                .map((rs, ctx) -> event(rs))
                .list());
    }

    /** The index {@code audit_events_correlation (correlation_id, at, id)} read backwards: one row, however long the trail. */
    @Override
    public Optional<AuditEvent> lastByCorrelation(String correlationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events WHERE correlation_id = :cid "
                        + "ORDER BY at DESC, id DESC LIMIT 1")
                .bind("cid", correlationId)
                .map((rs, ctx) -> event(rs))
                .findOne());
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events ORDER BY id DESC LIMIT :n")
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> event(rs))
                .list());
    }

    /** Rows per statement of {@link #purge(Instant)}, as {@code PgProcessedUpdates.PURGE_BATCH}. */
    static final int PURGE_BATCH = 5_000;

    /**
     * The oldest {@code :n} events before the cutoff, through {@code audit_events_at}, deleted by key. Locked in the
     * order they are picked, by time then id, as a forget takes a banned user's ({@code PgPersonalData}): the delete
     * took them as its plan met them (by time, at a month of events), the forget as its scan did (a row goes where a
     * purge left room, so the table's order is not time's), and the two deadlocked. The index gives the time's order,
     * a sort the id's among equal times (PostgreSQL's incremental sort, reading groups of 32).
     */
    static final String PURGE = "DELETE FROM audit_events WHERE id = ANY (ARRAY(SELECT id FROM audit_events "
            + "WHERE at < :cutoff ORDER BY at, id LIMIT :n FOR UPDATE))";

    /**
     * Bounded statements until one comes back short, each its own transaction unless the caller has one: one
     * statement deleting a month of events sorted, locked and held them all at once.
     */
    @Override
    public int purge(Instant cutoff) {
        return Sql.inBatches(PURGE_BATCH, n -> purge(cutoff, n));
    }

    /** The oldest {@code limit} events before {@code cutoff} ({@link #PURGE}). */
    int purge(Instant cutoff, int limit) {
        return jdbi.withHandle(h -> h.createUpdate(PURGE)
                .bind("cutoff", Sql.ts(cutoff))
                .bind("n", Math.max(0, limit))
                .execute());
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("detail"), Sql.optionalString(rs, "correlation_id"));
    }
}
