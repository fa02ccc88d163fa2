package dev.kiebot.postgres;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/** The audit trail: append, search by correlation id, list newest, purge old events. */
public final class PgAudit implements Audit {
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

    @Override
    public List<AuditEvent> byCorrelation(String correlationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events WHERE correlation_id = :cid "
                        + "ORDER BY at, id")
                .bind("cid", correlationId)
                .map((rs, ctx) -> event(rs))
                .list());
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_events ORDER BY id DESC LIMIT :n")
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> event(rs))
                .list());
    }

    @Override
    public int purge(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM audit_events WHERE at < :cutoff")
                .bind("cutoff", Sql.ts(cutoff))
                .execute());
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("detail"), Sql.optionalString(rs, "correlation_id"));
    }
}
