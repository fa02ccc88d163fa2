package dev.kiebot.postgres;

import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.payments.UncreditedRefund;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Stars invoices (first write wins), charges (each {@code telegram_payment_charge_id} once) and the payments that
 * credited nothing (each once; their refund moves by compare-and-set on the row).
 */
public final class PgPayments implements Payments {
    /**
     * The first key of {@link #lockCharge}'s advisory locks, one per charge id (the ledger's are 1801, the audit's
     * 1802, the manual top-ups' 1803).
     */
    static final int CHARGE_LOCK = 1807;

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
     * One transaction: the charge is inserted first (a charge id seen before inserts nothing and is then a replay —
     * same details — or a conflict), and only a new charge claims its invoice ({@code paid_charge_id} set where still
     * empty, under its row lock): a new payment costs two statements, no read before them.
     */
    @Override
    public ChargeRecord recordCharge(StarsCharge c) {
        return Sql.retrying(jdbi, "recordCharge", () -> jdbi.inTransaction(h -> {
            int inserted = h.createUpdate("INSERT INTO stars_charges (charge_id, user_id, payload, stars, amount, at) "
                            + "VALUES (:id, :u, :p, :s, :a, :t) ON CONFLICT (charge_id) DO NOTHING")
                    .bind("id", c.chargeId())
                    .bind("u", c.userId())
                    .bind("p", c.payload())
                    .bind("s", c.stars())
                    .bind("a", c.amount())
                    .bind("t", Sql.ts(c.at()))
                    .execute();
            if (inserted == 0) {
                return h.createQuery("SELECT * FROM stars_charges WHERE charge_id = :id").bind("id", c.chargeId())
                        .map((rs, ctx) -> charge(rs)).findOne().filter(k -> k.sameAs(c))
                        .map(k -> ChargeRecord.REPLAYED).orElse(ChargeRecord.CONFLICT);
            }
            // the invoice's first payment marks it paid; a second one (Telegram took it too) is recorded all the same
            h.createUpdate("UPDATE invoices SET paid_charge_id = :id WHERE payload = :p AND paid_charge_id IS NULL")
                    .bind("id", c.chargeId())
                    .bind("p", c.payload())
                    .execute();
            return ChargeRecord.NEW;
        }));
    }

    @Override
    public Optional<StarsCharge> charge(String chargeId) {
        return charge(chargeId, "");
    }

    @Override
    public Optional<StarsCharge> lockCharge(String chargeId) {
        // the id first, recorded or not: a row lock holds only a row that exists, and /reconcile_stars records a
        // charge while Telegram's report of its refund may be finding none (Payments.lockCharge)
        jdbi.useHandle(h -> h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + CHARGE_LOCK
                        + ", hashtext(:id))) l")
                .bind("id", chargeId)
                .mapTo(Integer.class)
                .one());
        return charge(chargeId, " FOR UPDATE");
    }

    private Optional<StarsCharge> charge(String chargeId, String lock) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stars_charges WHERE charge_id = :id" + lock)
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

    @Override
    public boolean recordUncredited(UncreditedCharge c) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO uncredited_charges "
                        + "(charge_id, user_id, payload, stars, reason, at, refund, attempt, asked_at) "
                        + "VALUES (:id, :u, :p, :s, :r, :t, :refund, :n, :asked) ON CONFLICT (charge_id) DO NOTHING")
                .bind("id", c.chargeId())
                .bind("u", c.userId())
                .bind("p", c.payload())
                .bind("s", c.stars())
                .bind("r", c.reason())
                .bind("t", Sql.ts(c.at()))
                .bind("refund", c.refund().name())
                .bind("n", c.attempt())
                .bindByType("asked", c.askedAt().map(Sql::ts).orElse(null), OffsetDateTime.class)
                .execute()) == 1;
    }

    @Override
    public Optional<UncreditedCharge> uncredited(String chargeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM uncredited_charges WHERE charge_id = :id")
                .bind("id", chargeId)
                .map((rs, ctx) -> uncredited(rs))
                .findOne());
    }

    @Override
    public List<UncreditedCharge> uncreditedCharges(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM uncredited_charges WHERE user_id = :u "
                        + "ORDER BY at DESC, charge_id LIMIT :n")
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> uncredited(rs))
                .list());
    }

    @Override
    public Optional<UncreditedCharge> claimUncreditedRefund(String chargeId, Instant now, Instant staleBefore) {
        return jdbi.withHandle(h -> h.createQuery("UPDATE uncredited_charges "
                        + "SET refund = 'REFUNDING', attempt = attempt + 1, asked_at = :now "
                        + "WHERE charge_id = :id AND (refund = 'OPEN' OR refund = 'REFUNDING' AND asked_at < :stale) "
                        + "RETURNING *")
                .bind("id", chargeId)
                .bind("now", Sql.ts(now))
                .bind("stale", Sql.ts(staleBefore))
                .map((rs, ctx) -> uncredited(rs))
                .findOne());
    }

    @Override
    public boolean settleUncreditedRefund(String chargeId, int attempt, boolean refunded) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE uncredited_charges SET refund = :to "
                        + "WHERE charge_id = :id AND refund = 'REFUNDING' AND attempt = :n")
                .bind("to", (refunded ? UncreditedRefund.REFUNDED : UncreditedRefund.OPEN).name())
                .bind("id", chargeId)
                .bind("n", attempt)
                .execute()) == 1;
    }

    @Override
    public boolean uncreditedRefunded(String chargeId) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE uncredited_charges SET refund = 'REFUNDED' "
                        + "WHERE charge_id = :id AND refund <> 'REFUNDED'")
                .bind("id", chargeId)
                .execute()) == 1;
    }

    @Override
    public boolean recordHeldRefund(HeldStarsRefund o) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO held_stars_refunds (charge_id, hold_id, user_id, "
                        + "amount, at) VALUES (:c, :h, :u, :a, :t) ON CONFLICT (charge_id, hold_id) DO NOTHING")
                .bind("c", o.chargeId())
                .bind("h", o.holdId())
                .bind("u", o.userId())
                .bind("a", o.amount())
                .bind("t", Sql.ts(o.at()))
                .execute()) == 1;
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOnHold(String holdId) {
        return heldRefunds("hold_id = :k", holdId, Integer.MAX_VALUE);
    }

    @Override
    public List<HeldStarsRefund> heldRefundsOfCharge(String chargeId) {
        return heldRefunds("charge_id = :k", chargeId, Integer.MAX_VALUE);
    }

    @Override
    public List<HeldStarsRefund> openHeldRefunds(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM held_stars_refunds o WHERE settled_at IS NULL "
                        // a pending hold's rows (a running job's) left out: the oldest of them filled every page
                        + "AND EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = o.hold_id) "
                        + "ORDER BY at, charge_id, hold_id LIMIT :n")
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> heldRefund(rs))
                .list());
    }

    private List<HeldStarsRefund> heldRefunds(String where, String key, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM held_stars_refunds WHERE " + where
                        + " ORDER BY at, charge_id, hold_id LIMIT :n")
                .bind("k", key)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> heldRefund(rs))
                .list());
    }

    private static HeldStarsRefund heldRefund(ResultSet rs) throws SQLException {
        return new HeldStarsRefund(rs.getString("charge_id"), rs.getString("hold_id"), rs.getLong("user_id"),
                rs.getLong("amount"), Sql.instant(rs, "at"));
    }

    @Override
    public boolean heldRefundSettled(String chargeId, String holdId) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE held_stars_refunds SET settled_at = now() "
                        + "WHERE charge_id = :c AND hold_id = :h AND settled_at IS NULL")
                .bind("c", chargeId)
                .bind("h", holdId)
                .execute()) == 1;
    }

    @Override
    public boolean keepsStars() {
        return true;
    }

    private static UncreditedCharge uncredited(ResultSet rs) throws SQLException {
        return new UncreditedCharge(rs.getString("charge_id"), rs.getLong("user_id"), rs.getString("payload"),
                rs.getLong("stars"), rs.getString("reason"), Sql.instant(rs, "at"),
                UncreditedRefund.valueOf(rs.getString("refund")), rs.getInt("attempt"), Sql.optionalInstant(rs,
                "asked_at"));
    }
}
