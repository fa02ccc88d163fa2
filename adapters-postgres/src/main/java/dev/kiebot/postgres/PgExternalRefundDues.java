package dev.kiebot.postgres;

import dev.kiebot.core.payments.ExternalRefundDue;
import dev.kiebot.core.payments.ExternalRefundDues;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * What each refund of an external payment was due, in PostgreSQL: a row per refund id, never purged, so that racing
 * reports of one refund record it once (the second insert waits for the first's transaction, then finds its row).
 */
public final class PgExternalRefundDues implements ExternalRefundDues {
    private final Jdbi jdbi;

    public PgExternalRefundDues(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public boolean record(ExternalRefundDue due) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO external_refund_dues (refund_id, credit_id, due, "
                        + "recorded_at) VALUES (:refund, :credit, :due, :at) ON CONFLICT (refund_id) DO NOTHING")
                .bind("refund", due.refundId())
                .bind("credit", due.creditId())
                .bind("due", due.due())
                .bind("at", Sql.ts(due.at()))
                .execute()) == 1;
    }

    @Override
    public List<ExternalRefundDue> of(String creditId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT refund_id, credit_id, due, recorded_at "
                        + "FROM external_refund_dues WHERE credit_id = :credit ORDER BY recorded_at, refund_id")
                .bind("credit", creditId)
                .map((rs, ctx) -> new ExternalRefundDue(rs.getString("credit_id"), rs.getString("refund_id"),
                        rs.getLong("due"), Sql.instant(rs, "recorded_at")))
                .list());
    }
}
