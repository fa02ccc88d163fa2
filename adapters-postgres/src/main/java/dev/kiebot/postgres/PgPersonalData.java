package dev.kiebot.postgres;

import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.users.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * One user's personal data forgotten in PostgreSQL ({@link PersonalData}): each table's personal columns blanked in the
 * caller's transaction, every money row (ledger, invoices, Stars charges, manual top-ups' amount and reference) kept.
 * A text column that must hold something (a ticket's, an answer's) gets a dash. His chat's queued replies that
 * {@link PersonalData#forgets} names, and the screens about his card / SBP requests queued to the admins told of them,
 * leave the outbox as {@code dropQueue} takes replies out: each chat's row locked first (in the order of the
 * chats' ids), the head moved in the statement that deletes them. Among those rows, the chat of the update the
 * transaction handles, if any ({@link HeldWrites#claimedChat}): the answer its done mark queues there (an admin's
 * {@code /forget}) then takes no row out of that order.
 *
 * <p>The lock order. A forget locks rows of every table below; each other transaction of these stores that locks
 * rows of two of them, or several rows of one that a forget locks too, takes them in this order, the rows of a table
 * in the order given, so that beside a forget it waits rather than deadlocks ({@code PgOutboxLockOrderTest}):
 * <ol>
 * <li>{@code users}: the user's row (a forget's first statement; a handling's {@code seen}, before any write of it).
 * <li>{@code audit_events}, by time then id: his bans' lines; the purge ({@code PgAudit.PURGE}).
 * <li>{@code jobs}: his finished ones. Nothing else waits for several (the retention and the workers take them
 * {@code SKIP LOCKED}); a settle that keeps a status message locks its job, then its chat's outbox row.
 * <li>{@code support_tickets} by id, then their answers ({@link #OLD_TICKETS} too: its batch locked by id as it
 * is picked, whatever order the update's join then meets the rows in).
 * <li>his requests: the lock {@code PgManualTopUps.create} takes on a user, then {@code manual_topups} by id, then
 * their receipts' contents ({@link #OLD_RECEIPTS} too: its batch locked by id before the update, whatever its plan;
 * the expiry takes them {@code SKIP LOCKED}).
 * <li>{@code chat_states}: his chat's.
 * <li>{@code processed_updates}, by time then id: his chat's handled ones; the purge
 * ({@code PgProcessedUpdates.PURGE}). A done mark locks its own update, not yet done, which neither takes.
 * <li>{@code outbox_dead_letters}, by the time moved then id ({@code PgPendingReplies.forgetDeadLetters}).
 * <li>{@code manual_topup_notices} by key, then the {@code tagged_messages} of those notices (the upkeep's
 * {@code forgetNotices} and {@code untag}); a settle that tags a message takes the tag, then its chat's row.
 * <li>{@code outbox_chats} by chat id, each chat's {@code outbox} rows after its row: an append (a done mark's too),
 * a settle, a drop, the clock's step back, {@code releaseAll}. Last in every transaction that takes it with another.
 * </ol>
 * The ledger keeps an order of its own ({@code V1__ledger.sql}: its request locks, the holds, the wallets, the system
 * accounts). A handling that writes it (a credit, a refund) does so after its user's row and before its done mark,
 * which takes the outbox. A job's end takes its hold's ledger locks before the job's row, whoever ends it, so that
 * two ends of one job at once wait rather than deadlock ({@code PgJobEndsAtOnceTest}): a result
 * ({@code Generations.complete}) posts, then moves the job; a failure ({@code Generations.fail}: the provider's, the
 * sweep of an expired hold, an admin's stop) voids, then moves it; the failure of a job not sent or cut off mid-send
 * ({@code failUnsent}: the user's Cancel, the worker at the deadline; {@code failCutOff}), which must move the job
 * before it voids, takes the void's request lock first ({@code Ledger.findAwaiting} of its id). Delivering it then
 * locks the job's row, then its chat's outbox row. Telegram's report of a Stars refund takes its charge's lock, the
 * user's turn, then his running holds' post, void and expiry locks, before his wallet; it locks no job.
 */
public final class PgPersonalData implements PersonalData {
    /** A card / SBP request an admin may still decide (PgManualTopUps' open states). */
    private static final String OPEN_STATES = "('REQUESTED', 'CLAIMED_PAID')";
    /** What is forgotten first, {@code :u} the user; then his jobs ({@link #HIS_JOBS}), then {@link #FORGET}. */
    private static final List<String> FORGET_FIRST = List.of(
            "UPDATE users SET first_name = '', username = NULL, search_text = '', ban_reason = NULL WHERE id = :u",
            // a ban's line in the audit trail held its reason after the id (AdminBans): the id alone stays; the
            // rows locked in the order the upkeep's purge takes them (PgAudit.purge)
            "UPDATE audit_events a SET detail = CAST(:u AS text) FROM (SELECT id FROM audit_events "
                    + "WHERE correlation_id = 'ban:' || CAST(:u AS text) AND action = 'user.banned' "
                    + "AND detail <> CAST(:u AS text) ORDER BY at, id FOR UPDATE) o WHERE a.id = o.id");
    /** A finished job whose inputs or results are still there: V45's and V46's partial indexes, word for word. */
    private static final String NOT_BLANKED = "state IN ('DELIVERED', 'FAILED') AND (input_values <> '{}'::jsonb "
            + "OR input_files <> '{}'::jsonb OR delivered_file_ids <> '{}' OR delivered_file_urls <> '{}' "
            + "OR result_urls <> '{}')";
    /** How many of his jobs one statement of {@link #HIS_JOBS} blanks. */
    static final int JOBS_BATCH = 1_000;
    /**
     * His finished jobs not blanked yet, {@code :n} at a time, newest first, through V46's partial index of them by
     * user: a job under way keeps its inputs (the worker uploads them, the provider reads them). Rewriting every
     * finished job of his, those blanked long ago too, was 3.3 s in one statement for a user of 17,000 jobs at a
     * year's data (review RY); the retention had blanked all but his last month's 1,356.
     */
    static final String HIS_JOBS = "WITH due AS (SELECT id FROM jobs WHERE user_id = :u AND " + NOT_BLANKED
            + " ORDER BY id DESC LIMIT :n) UPDATE jobs j SET input_values = '{}'::jsonb, input_files = '{}'::jsonb, "
            + "delivered_file_ids = '{}', delivered_file_urls = '{}', result_urls = CASE WHEN j.result_urls IS NULL "
            + "THEN NULL ELSE '{}'::text[] END FROM due WHERE j.id = due.id";
    /**
     * What is forgotten after his jobs, {@code :u} the user: his tickets; then his requests ({@link #REQUESTS_LOCK},
     * {@link #HIS_REQUESTS}, {@link #TOLD}), then {@link #AFTER_REQUESTS}.
     */
    private static final List<String> FORGET = List.of(
            // a ticket before its answers, a request before its receipts' contents, as the retention's passes take
            // them (OLD_TICKETS, OLD_RECEIPTS: their main statement first, the WITH's write after it); in the other
            // order, a forget beside such a pass on his old tickets or receipts deadlocked with it
            // his tickets locked in the order of their keys, as the retention's pass locks its batch (OLD_TICKETS,
            // whatever its update's plan): as the index of a user's tickets gave them, newest first, a forget beside a
            // pass on two old tickets of his deadlocked with it. No stronger than the update's own lock: an admin's
            // answer (its key share of the ticket) does not wait for it
            "UPDATE support_tickets t SET text = '\u2014' FROM (SELECT id FROM support_tickets WHERE user_id = :u "
                    + "ORDER BY id FOR NO KEY UPDATE) o WHERE t.id = o.id",
            "UPDATE support_ticket_answers SET text = '\u2014' WHERE ticket_id IN "
                    + "(SELECT id FROM support_tickets WHERE user_id = :u)");
    /**
     * No request of his is created until the forget commits (the lock {@code PgManualTopUps.create} takes, on its
     * user), and one created before has committed: {@link #HIS_REQUESTS}, a statement after it, sees them all. Taken
     * after his row of {@code users}, as his handling takes the two (its {@code seen} first).
     */
    private static final String REQUESTS_LOCK = "SELECT 1 FROM (SELECT pg_advisory_xact_lock("
            + PgManualTopUps.USER_LOCK + ", hashtext(:u::text))) l";
    /**
     * His requests' receipt file ids blanked, every request of his locked first, in the order of their keys and
     * {@code FOR UPDATE}: a notice of an admin told of one ({@code manual_topup_notices}, whose key names the
     * request) cannot be added until the forget commits, as its insert takes a key share of the request's row. So
     * {@link #TOLD}, read after it, names every admin told, and no other transaction adds one before the commit: read
     * before the forget waited for his row (his own «Оплачено» holding it, showing the request to an admin), it missed
     * that admin, and the screen naming him stayed queued there after the forget.
     */
    private static final String HIS_REQUESTS = "UPDATE manual_topups m SET receipt_file_id = NULL FROM (SELECT id "
            + "FROM manual_topups WHERE user_id = :u ORDER BY id FOR UPDATE) o WHERE m.id = o.id";
    /** What is forgotten after his requests, {@code :u} the user (his private chat has his id). */
    private static final List<String> AFTER_REQUESTS = List.of(
            "DELETE FROM manual_topup_receipts WHERE request_id IN (SELECT id FROM manual_topups WHERE user_id = :u)",
            "DELETE FROM chat_states WHERE chat_id = :u",
            // an update not handled yet keeps its body: it is still to be handled; the rows locked in the order
            // the upkeep's purge takes them (PgProcessedUpdates.PURGE)
            "UPDATE processed_updates p SET payload = '{}' FROM (SELECT update_id FROM processed_updates "
                    + "WHERE chat_id = :u AND done_at IS NOT NULL ORDER BY recorded_at, update_id FOR UPDATE) o "
                    + "WHERE p.update_id = o.update_id",
            // the rows locked in the order the upkeep deletes them (PgPendingReplies.forgetDeadLetters)
            "UPDATE outbox_dead_letters d SET body = '{}'::jsonb FROM (SELECT id FROM outbox_dead_letters "
                    + "WHERE chat_id = :u ORDER BY moved_at, id FOR UPDATE) o WHERE d.id = o.id");
    /**
     * The admins' notices of his closed requests (an open request keeps them, and its decision edits those messages),
     * locked in the order of their keys, as the upkeep's {@link PgManualTopUps#forgetNotices} takes them; the tags
     * of their messages ({@link #TAGS_GONE}) go after them, as there. Tags first, found through the notices, then the
     * notices, as it was: the upkeep took a notice, the forget its message's tag, and each waited for the other's.
     */
    private static final String CLOSED_NOTICES_GONE = "DELETE FROM manual_topup_notices n USING (SELECT o.request_id, "
            + "o.chat_id FROM manual_topup_notices o JOIN manual_topups m ON m.id = o.request_id WHERE m.user_id = :u "
            + "AND m.state NOT IN " + OPEN_STATES + " ORDER BY o.request_id, o.chat_id FOR UPDATE OF o) d "
            + "WHERE n.request_id = d.request_id AND n.chat_id = d.chat_id RETURNING n.chat_id, n.request_id";
    /** The tag {@code ManualTopUpDesk} gave each admin's message about a request, of the notices gone. */
    private static final String TAGS_GONE = "DELETE FROM tagged_messages t USING unnest(CAST(:chats AS bigint[]), "
            + "CAST(:tags AS text[])) AS g(chat_id, tag) WHERE t.chat_id = g.chat_id AND t.tag = g.tag";
    /**
     * The admins' chats told about his requests, with the request: the screens about it still queued to those chats
     * (tagged {@code manual:<request id>}, his name in them) go. A closed request's go with its notices and tags (sent
     * with the tag gone, each would be a new message in the admin's chat, his name in it again); an open one's keep
     * theirs, and the shop queues its screen anew, his name blank.
     */
    private static final String TOLD = "SELECT n.chat_id, n.request_id FROM manual_topup_notices n "
            + "JOIN manual_topups m ON m.id = n.request_id WHERE m.user_id = :u";
    private static final String UNDER_WAY = "SELECT count(*) FROM jobs WHERE user_id = :u "
            + "AND state NOT IN ('DELIVERED', 'FAILED')";

    /**
     * The finished jobs ordered before {@code :before} whose inputs or results are not blanked yet, {@code :n} at most,
     * read through the partial index of those (V45: its predicate is this statement's, word for word);
     * but a job whose result was noted not sent (UnsentResults' {@code gen.result_unsent} in its user's
     * {@code unsent:<id>} trail, its detail the job's number first): sent at his asking it goes by its URL, refunded
     * should its file be gone, and blanked it was answered as erased, paid and never got. It is blanked once the note
     * leaves with the audit trail.
     */
    static final String OLD_JOBS = "WITH due AS (SELECT id FROM jobs j WHERE created_at < :before "
            + "AND " + NOT_BLANKED + " "
            + "AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.correlation_id = 'unsent:' || CAST(j.user_id AS text) "
            + "AND a.action = 'gen.result_unsent' AND split_part(btrim(a.detail), ' ', 1) = 'gen_' || CAST(j.id AS text)) "
            + "ORDER BY created_at, id LIMIT :n FOR UPDATE SKIP LOCKED) "
            + "UPDATE jobs j SET input_values = '{}'::jsonb, input_files = '{}'::jsonb, delivered_file_ids = '{}', "
            + "delivered_file_urls = '{}', result_urls = CASE WHEN j.result_urls IS NULL THEN NULL "
            + "ELSE '{}'::text[] END FROM due WHERE j.id = due.id";
    /**
     * The tickets asked and last answered before {@code :before}, not blanked yet (V45's partial index), with their
     * answers: one nobody answered yet keeps its text, an admin still to read it. The batch is locked as it is picked,
     * by the tickets' keys, as a forget takes a user's: the update took them in the order its join met them, by the
     * keys with the indexes (a year's data), in the order stored by a hash over a scan (a table of a few rows), and
     * beside a forget of the user of two of them it deadlocked (PgOutboxLockOrderTest). No stronger than the update's
     * own lock.
     */
    static final String OLD_TICKETS = "WITH due AS (SELECT t.id FROM support_tickets t "
            + "WHERE t.created_at < :before AND t.text <> '\u2014' "
            + "AND EXISTS (SELECT 1 FROM support_ticket_answers a WHERE a.ticket_id = t.id) "
            + "AND NOT EXISTS (SELECT 1 FROM support_ticket_answers a "
            + "WHERE a.ticket_id = t.id AND a.answered_at >= :before) ORDER BY t.id LIMIT :n FOR NO KEY UPDATE OF t), "
            + "answers AS (UPDATE support_ticket_answers a SET text = '\u2014' FROM due WHERE a.ticket_id = due.id) "
            + "UPDATE support_tickets t SET text = '\u2014' FROM due WHERE t.id = due.id";
    /**
     * The requests closed before {@code :before} that still keep a receipt: its file id and its contents' ids go. Two
     * branches rather than one {@code OR}, so that the first reads the partial index of the requests keeping a file id
     * (V45) and the second the contents' table, which holds only receipts not blanked (blanking deletes them). The
     * batch's requests are locked by their keys, as a forget takes a user's, each found by its key (a union cannot
     * lock): the update took them in the order its join met them, by the keys with the indexes (a year's data), in the
     * order stored by a hash over a scan (a table of a few rows), and beside a forget of the user of two of them it
     * deadlocked (PgOutboxLockOrderTest). No stronger than the update's own lock.
     */
    static final String OLD_RECEIPTS = "WITH due AS (SELECT m.id FROM manual_topups m WHERE m.id IN (SELECT id "
            + "FROM manual_topups WHERE state NOT IN " + OPEN_STATES + " AND decided_at < :before "
            + "AND receipt_file_id IS NOT NULL "
            + "UNION SELECT c.id FROM manual_topup_receipts r JOIN manual_topups c ON c.id = r.request_id "
            + "WHERE c.state NOT IN " + OPEN_STATES + " AND c.decided_at < :before ORDER BY id LIMIT :n) "
            + "ORDER BY m.id FOR NO KEY UPDATE OF m), "
            + "gone AS (DELETE FROM manual_topup_receipts r USING due WHERE r.request_id = due.id) "
            + "UPDATE manual_topups m SET receipt_file_id = NULL FROM due WHERE m.id = due.id";

    private final Jdbi jdbi;
    private final HeldWrites held;

    /**
     * {@code forget} reads and deletes queued replies and chat states: it first sends what the stores
     * {@link PgStores#create} makes hold in the thread's transaction ({@link HeldWrites}), however this one was made.
     */
    public PgPersonalData(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.held = HeldWrites.AT_ONCE;
    }

    @Override
    public int forget(long userId) {
        held.send(jdbi);
        // all or nothing, joining the caller's transaction when there is one
        return jdbi.inTransaction(h -> {
            for (String sql : FORGET_FIRST) {
                h.createUpdate(sql).bind("u", userId).execute();
            }
            // in batches, each bounded, in the one transaction (all or nothing); each takes only jobs not blanked,
            // so the loop ends
            int blanked;
            do {
                blanked = h.createUpdate(HIS_JOBS).bind("u", userId).bind("n", JOBS_BATCH).execute();
            } while (blanked == JOBS_BATCH);
            for (String sql : FORGET) {
                h.createUpdate(sql).bind("u", userId).execute();
            }
            h.createQuery(REQUESTS_LOCK).bind("u", userId).mapTo(Integer.class).one();
            h.createUpdate(HIS_REQUESTS).bind("u", userId).execute();
            // under the locks of his requests, in a statement of its own (its snapshot taken after them), and before
            // CLOSED_NOTICES_GONE deletes some of those notices
            Map<Long, Set<String>> told = new TreeMap<>();
            h.createQuery(TOLD).bind("u", userId).map((rs, ctx) -> Map.entry(rs.getLong("chat_id"),
                    "manual:" + rs.getLong("request_id"))).forEach(e -> told.computeIfAbsent(e.getKey(),
                    k -> new HashSet<>()).add(e.getValue()));
            for (String sql : AFTER_REQUESTS) {
                h.createUpdate(sql).bind("u", userId).execute();
            }
            List<Map.Entry<Long, String>> untold = h.createQuery(CLOSED_NOTICES_GONE).bind("u", userId)
                    .map((rs, ctx) -> Map.entry(rs.getLong("chat_id"), "manual:" + rs.getLong("request_id"))).list();
            if (!untold.isEmpty()) {
                h.createUpdate(TAGS_GONE)
                        .bindArray("chats", Long.class, untold.stream().map(Map.Entry::getKey).toList())
                        .bindArray("tags", String.class, untold.stream().map(Map.Entry::getValue).toList())
                        .execute();
            }
            // a user's private chat has his id; the chats locked in the order of their ids, with the chat of the
            // update this transaction handles: its done mark queues the answer there (an admin's /forget), and
            // taken after the user's it was taken against the order an append to both (the user's own handling
            // asking the admins, a sender's) takes, and the two deadlocked
            Set<Long> chats = new TreeSet<>(told.keySet());
            chats.add(userId);
            Optional<Long> answered = held.claimedChat(jdbi);
            answered.ifPresent(chats::add);
            for (long chat : chats) {
                if (chat != userId && !told.containsKey(chat)) {
                    h.createQuery("SELECT 1 FROM outbox_chats WHERE chat_id = :chat FOR UPDATE").bind("chat", chat)
                            .mapTo(Integer.class).findOne();
                    continue;
                }
                Set<String> tags = told.getOrDefault(chat, Set.of());
                forgetQueued(h, chat, queued -> PersonalData.forgets(queued) && (chat == userId
                        || (queued.follow() instanceof Outgoing.Follow.Tagged t && tags.contains(t.tag()))));
            }
            return h.createQuery(UNDER_WAY).bind("u", userId).mapTo(Integer.class).one();
        });
    }

    /**
     * The generations first, then the tickets, then the receipts: one bounded statement each, {@code limit} rows in
     * all, in the caller's transaction when there is one. Each picks only rows not blanked yet, so the passes end.
     */
    @Override
    public int forgetOlder(Instant before, int limit) {
        return jdbi.inTransaction(h -> {
            int done = 0;
            for (String sql : List.of(OLD_JOBS, OLD_TICKETS, OLD_RECEIPTS)) {
                if (done >= limit) {
                    break;
                }
                done += h.createUpdate(sql).bind("before", Sql.ts(before)).bind("n", limit - done).execute();
            }
            return done;
        });
    }

    /**
     * The chat's queued replies {@code which} names (among those {@link PersonalData#forgets} names), but the first of
     * a leased chat (a sender holds it: on the wire) and any this build cannot read (a newer build's: it may be a
     * result; one still unread after a day becomes a dead letter, blanked by the next forget and deleted by the
     * upkeep). The chat's row is locked first, as every path that deletes a chat's replies does, so the head is
     * computed from every reply appended before.
     */
    private static void forgetQueued(Handle h, long chatId, Predicate<Outgoing> which) {
        Optional<Long> held = h.createQuery("SELECT CASE WHEN leased_until IS NOT NULL THEN head_id END AS held "
                        + "FROM outbox_chats WHERE chat_id = :chat FOR UPDATE")
                .bind("chat", chatId)
                .map((rs, ctx) -> Optional.ofNullable((Long) rs.getObject("held")))
                .findOne()
                .flatMap(o -> o);
        List<Map.Entry<Long, String>> rows = h.createQuery("SELECT id, body FROM outbox WHERE chat_id = :chat "
                        + "ORDER BY id")
                .bind("chat", chatId)
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("body")))
                .list();
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<Long, String> row : rows) {
            if (held.filter(row.getKey()::equals).isEmpty() && forgets(row.getValue(), which)) {
                ids.add(row.getKey());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        // the head in the same statement, which does not see its own delete: hence the ids left out of the min
        h.createQuery("WITH gone AS (DELETE FROM outbox WHERE chat_id = :chat AND id = ANY(:ids) RETURNING id), "
                        + "head AS (UPDATE outbox_chats SET head_id = (SELECT min(n.id) FROM outbox n "
                        + "WHERE n.chat_id = :chat AND n.id <> ALL(:ids)) WHERE chat_id = :chat) "
                        + "SELECT count(*) FROM gone")
                .bind("chat", chatId)
                .bindArray("ids", Long.class, ids)
                .mapTo(Integer.class)
                .one();
    }

    private static boolean forgets(String body, Predicate<Outgoing> which) {
        Outgoing queued;
        try {
            queued = OutgoingCodec.decode(body);
        } catch (RuntimeException unreadable) {
            return false;
        }
        return which.test(queued);
    }
}
