package dev.kiebot.postgres;

import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Stars invoices (first write wins) and charges (each {@code telegram_payment_charge_id} once). */
public final class PgPayments implements Payments {
    private final Jdbi jdbi;

    public PgPayments(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public void saveInvoice(Invoice invoice) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO invoices (payload, user_id, stars, amount, created_at) "
                        + "VALUES (:p, :u, :s, :a, :t) ON CONFLICT (payload) DO NOTHING")
                .bind("p", invoice.payload())
                .bind("u", invoice.userId())
                .bind("s", invoice.stars())
                .bind("a", invoice.amount())
                .bind("t", Sql.ts(invoice.createdAt()))
                .execute());
    }

    @Override
    public Optional<Invoice> invoice(String payload) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM invoices WHERE payload = :p")
                .bind("p", payload)
                .map((rs, ctx) -> new Invoice(rs.getString("payload"), rs.getLong("user_id"), rs.getLong("stars"),
                        rs.getLong("amount"), Sql.instant(rs, "created_at"), Sql.optionalString(rs, "paid_charge_id")))
                .findOne());
    }

    /**
     * One transaction: a charge id seen before is a replay (same details) or a conflict; otherwise the invoice
     * is claimed ({@code paid_charge_id} set where still empty, under its row lock) and the charge inserted.
     */
    @Override
    public ChargeRecord recordCharge(StarsCharge c) {
        return Sql.retrying("recordCharge", () -> jdbi.inTransaction(h -> {
            Optional<StarsCharge> known = h.createQuery("SELECT * FROM stars_charges WHERE charge_id = :id")
                    .bind("id", c.chargeId())
                    .map((rs, ctx) -> charge(rs))
                    .findOne();
            if (known.isPresent()) {
                return known.get().sameAs(c) ? ChargeRecord.REPLAYED : ChargeRecord.CONFLICT;
            }
            int claimed = h.createUpdate("UPDATE invoices SET paid_charge_id = :id "
                            + "WHERE payload = :p AND paid_charge_id IS NULL")
                    .bind("id", c.chargeId())
                    .bind("p", c.payload())
                    .execute();
            if (claimed == 0) {
                return ChargeRecord.CONFLICT;
            }
            h.createUpdate("INSERT INTO stars_charges (charge_id, user_id, payload, stars, amount, at) "
                            + "VALUES (:id, :u, :p, :s, :a, :t)")
                    .bind("id", c.chargeId())
                    .bind("u", c.userId())
                    .bind("p", c.payload())
                    .bind("s", c.stars())
                    .bind("a", c.amount())
                    .bind("t", Sql.ts(c.at()))
                    .execute();
            return ChargeRecord.NEW;
        }));
    }

    @Override
    public Optional<StarsCharge> charge(String chargeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stars_charges WHERE charge_id = :id")
                .bind("id", chargeId)
                .map((rs, ctx) -> charge(rs))
                .findOne());
    }

    @Override
    public List<StarsCharge> charges(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stars_charges WHERE user_id = :u "
                        + "ORDER BY at DESC, charge_id LIMIT :n")
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> charge(rs))
                .list());
    }

    private static StarsCharge charge(ResultSet rs) throws SQLException {
        return new StarsCharge(rs.getString("charge_id"), rs.getLong("user_id"), rs.getString("payload"),
                rs.getLong("stars"), rs.getLong("amount"), Sql.instant(rs, "at"));
    }
}
