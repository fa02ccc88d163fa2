package dev.kiebot.postgres;

import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.support.TicketAnswer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Support tickets (schema: {@code V8__support_tickets.sql}); one per key, the first write wins. Their answers:
 * {@code V26__support_ticket_answers.sql}.
 */
public final class PgSupportTickets implements SupportTickets {
    private final Jdbi jdbi;

    public PgSupportTickets(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public SupportTicket open(String key, long userId, String text, Instant at) {
        return jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO support_tickets (ticket_key, user_id, text, created_at) "
                            + "VALUES (:key, :user, :text, :at) ON CONFLICT (ticket_key) DO NOTHING")
                    .bind("key", key)
                    .bind("user", userId)
                    .bind("text", text)
                    .bind("at", Sql.ts(at))
                    .execute();
            return h.createQuery("SELECT * FROM support_tickets WHERE ticket_key = :key").bind("key", key)
                    .map((rs, ctx) -> ticket(rs)).one();
        });
    }

    @Override
    public List<SupportTicket> recent(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM support_tickets WHERE user_id = :u "
                        + "ORDER BY id DESC LIMIT :n")
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> ticket(rs))
                .list());
    }

    @Override
    public List<SupportTicket> latest(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM support_tickets ORDER BY id DESC LIMIT :n")
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> ticket(rs))
                .list());
    }

    @Override
    public Optional<SupportTicket> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM support_tickets WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> ticket(rs))
                .findOne());
    }

    @Override
    public void answered(TicketAnswer answer) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO support_ticket_answers (ticket_id, admin_id, text, "
                        + "answered_at) VALUES (:ticket, :admin, :text, :at)")
                .bind("ticket", answer.ticketId())
                .bind("admin", answer.adminId())
                .bind("text", answer.text())
                .bind("at", Sql.ts(answer.at()))
                .execute());
    }

    @Override
    public List<TicketAnswer> answers(long ticketId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM support_ticket_answers WHERE ticket_id = :t "
                        + "ORDER BY id")
                .bind("t", ticketId)
                .map((rs, ctx) -> new TicketAnswer(rs.getLong("ticket_id"), rs.getLong("admin_id"),
                        rs.getString("text"), Sql.instant(rs, "answered_at")))
                .list());
    }

    private static SupportTicket ticket(ResultSet rs) throws SQLException {
        return new SupportTicket(rs.getLong("id"), rs.getLong("user_id"), rs.getString("text"),
                Sql.instant(rs, "created_at"));
    }
}
