package dev.kiebot.postgres;

import dev.kiebot.core.users.PersonalData;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * One user's personal data forgotten in PostgreSQL ({@link PersonalData}): each table's personal columns blanked in the
 * caller's transaction, every money row (ledger, invoices, Stars charges, manual top-ups' amount and reference) kept.
 * A text column that must hold something (a ticket's, an answer's) gets a dash.
 */
public final class PgPersonalData implements PersonalData {
    /** What is forgotten, {@code :u} the user (his private chat has his id). */
    private static final List<String> FORGET = List.of(
            "UPDATE users SET first_name = '', username = NULL, search_text = '', ban_reason = NULL WHERE id = :u",
            // a ban's line in the audit trail held its reason after the id (AdminBans): the id alone stays
            "UPDATE audit_events SET detail = CAST(:u AS text) WHERE correlation_id = 'ban:' || CAST(:u AS text) "
                    + "AND action = 'user.banned' AND detail <> CAST(:u AS text)",
            // a job under way keeps its inputs: the worker uploads them, the provider reads them
            "UPDATE jobs SET input_values = '{}'::jsonb, input_files = '{}'::jsonb, delivered_file_ids = '{}', "
                    + "delivered_file_urls = '{}', result_urls = CASE WHEN result_urls IS NULL THEN NULL ELSE '{}'::text[] END "
                    + "WHERE user_id = :u AND state IN ('DELIVERED', 'FAILED')",
            "UPDATE support_ticket_answers SET text = '\u2014' WHERE ticket_id IN "
                    + "(SELECT id FROM support_tickets WHERE user_id = :u)",
            "UPDATE support_tickets SET text = '\u2014' WHERE user_id = :u",
            "DELETE FROM manual_topup_receipts WHERE request_id IN (SELECT id FROM manual_topups WHERE user_id = :u)",
            "UPDATE manual_topups SET receipt_file_id = NULL WHERE user_id = :u",
            "DELETE FROM chat_states WHERE chat_id = :u",
            // an update not handled yet keeps its body: it is still to be handled
            "UPDATE processed_updates SET payload = '{}' WHERE chat_id = :u AND done_at IS NOT NULL",
            "UPDATE outbox_dead_letters SET body = '{}'::jsonb WHERE chat_id = :u");
    private static final String UNDER_WAY = "SELECT count(*) FROM jobs WHERE user_id = :u "
            + "AND state NOT IN ('DELIVERED', 'FAILED')";

    private final Jdbi jdbi;

    public PgPersonalData(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public int forget(long userId) {
        // all or nothing, joining the caller's transaction when there is one
        return jdbi.inTransaction(h -> {
            for (String sql : FORGET) {
                h.createUpdate(sql).bind("u", userId).execute();
            }
            return h.createQuery(UNDER_WAY).bind("u", userId).mapTo(Integer.class).one();
        });
    }
}
