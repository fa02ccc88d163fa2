package dev.kiebot.postgres;

import dev.kiebot.core.intake.ArrivedUpdate;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The durable update inbox. {@code record} is insert-or-skip in one statement that also moves the chat's head
 * ({@code inbox_chats}); waiting handlers are notified ({@value #CHANNEL}) once it is committed. So a re-delivered {@code update_id} is
 * recorded once even when two deliveries race. Updates recorded at the same moment by different threads (the
 * webhook's concurrent requests) are group-committed ({@link GroupCommit}): one statement and one commit for the
 * lot, each caller still told whether its own update was new.
 *
 * <p>{@code claimNext} locks the chat row with the smallest head ({@code FOR UPDATE SKIP LOCKED}, one probe of a
 * partial index, whatever the backlog and whatever the table statistics say) and reads that update by its key.
 * The lock is the claim: it lasts as long as the handling transaction — a commit, a rollback or a dead
 * connection ends it — so a chat is handled by one transaction at a time, in order, across instances.
 * {@code reclaim} locks a given update's chat waiting for its holder, then reads the update in a statement of its
 * own (see {@link #RECLAIM_LOCK}).
 */
public final class PgProcessedUpdates implements ProcessedUpdates {
    /** Handlers waiting for work LISTEN here. */
    public static final String CHANNEL = "kiebot_inbox";

    /**
     * Records a batch in one statement (one round trip, one commit): new updates are inserted and their chats' heads
     * moved; returns the ids that were new. Rows go in id order and heads in chat order, so two
     * batches running at once take their locks in the same order.
     */
    static final String RECORD_BATCH = "WITH input AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], "
            + "?::timestamptz[]) AS i(update_id, chat_id, payload, recorded_at)), "
            + "added AS (INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at) "
            + "SELECT update_id, chat_id, payload, recorded_at FROM input ORDER BY update_id "
            + "ON CONFLICT (update_id) DO NOTHING RETURNING update_id, chat_id), "
            + "head AS (INSERT INTO inbox_chats (chat_id, head_id) SELECT chat_id, min(update_id) FROM added "
            + "GROUP BY chat_id ORDER BY chat_id "
            + "ON CONFLICT (chat_id) DO UPDATE SET head_id = LEAST(inbox_chats.head_id, excluded.head_id) "
            + "RETURNING 1) "
            + "SELECT (SELECT array_agg(update_id) FROM added) AS added, (SELECT count(*) FROM head) AS heads";
    static final String CLAIM = "SELECT u.update_id, u.chat_id, u.payload, u.recorded_at "
            + "FROM (SELECT chat_id, head_id FROM inbox_chats WHERE head_id IS NOT NULL "
            + "ORDER BY head_id LIMIT 1 FOR UPDATE SKIP LOCKED) c "
            + "JOIN processed_updates u ON u.update_id = c.head_id";
    /**
     * {@code reclaim}'s first step: locks the update's chat row, waiting for a transaction that holds it (no SKIP
     * LOCKED). Apart from {@link #RECLAIM_READ} because, under READ COMMITTED, a statement's snapshot is taken before
     * it waits for the lock: one statement would not see the done mark the holder committed meanwhile.
     */
    static final String RECLAIM_LOCK = "SELECT c.chat_id FROM inbox_chats c "
            + "WHERE c.chat_id = (SELECT chat_id FROM processed_updates WHERE update_id = :id) FOR UPDATE";
    /** {@code reclaim}'s second step, with a snapshot taken after the lock: the update, unless it is done. */
    static final String RECLAIM_READ = "SELECT update_id, chat_id, payload, recorded_at FROM processed_updates "
            + "WHERE update_id = :id AND done_at IS NULL";
    /**
     * Marks the update handled and blanks its body: from here on only its id is read (a re-delivery's dedup), never
     * its payload ({@link #CLAIM} and {@link #RECLAIM_READ} read updates not done), and the body was most of the
     * row (about 0.5 KB an update, kept {@code Upkeep.UPDATE_RETENTION}). The empty string, not NULL: the column
     * stays NOT NULL, so the build before, which inserts and reads the same way, runs beside this one.
     */
    static final String DONE = "WITH handled AS (UPDATE processed_updates SET done_at = :now, payload = '' "
            + "WHERE update_id = :id AND done_at IS NULL RETURNING chat_id) "
            + "UPDATE inbox_chats c SET head_id = (SELECT min(n.update_id) FROM processed_updates n "
            + "WHERE n.chat_id = c.chat_id AND n.done_at IS NULL AND n.update_id <> :id) "
            + "FROM handled h WHERE c.chat_id = h.chat_id";

    /** Rows per statement of {@link #purge(Instant)}, as many as {@code Upkeep}'s passes take. */
    static final int PURGE_BATCH = 5_000;

    private final Jdbi jdbi;
    private final GroupCommit<Arrival, Boolean> arrivals;
    private final PgNotifier handlers;
    private final HeldWrites held;

    /** Notifies other instances only; {@link #PgProcessedUpdates(Jdbi, Wakeups)} also wakes this one's threads. */
    public PgProcessedUpdates(Jdbi jdbi) {
        this(jdbi, Wakeups.sharedDatabase());
    }

    /**
     * Its claim lets the stores {@link PgStores#create} makes hold their writes in the thread's transaction, and its
     * done mark carries what they hold ({@link HeldWrites}), however this one was made.
     */
    public PgProcessedUpdates(Jdbi jdbi, Wakeups wakeups) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.held = HeldWrites.AT_ONCE;
        this.handlers = new PgNotifier(jdbi, CHANNEL, wakeups);
        this.arrivals = new GroupCommit<>(
                batch -> Sql.retrying("recording updates", () -> recordBatch(batch)),
                one -> Sql.retrying("recording an update", () -> recordBatch(List.of(one)).get(0)));
    }

    /** One update to record, as a batch takes it. */
    private record Arrival(long updateId, long chatId, String payload, Instant now) {
    }

    @Override
    public boolean record(long updateId, long chatId, String payload, Instant now) {
        Arrival a = new Arrival(updateId, chatId, Objects.requireNonNull(payload, "payload"), now);
        // inside a caller's transaction the update joins it; on its own it is group-committed with the updates
        // other threads (the webhook's request threads) are recording at the same moment
        Optional<Handle> tx = PgTransactions.current(jdbi);
        if (tx.isPresent()) {
            boolean added = observed(List.of(a), tx.get().getConnection()).get(0);
            if (added) {
                handlers.afterCommit();
            }
            return added;
        }
        boolean added = arrivals.submit(a);
        if (added) {
            handlers.now();
        }
        return added;
    }

    /** A getUpdates batch: one statement, one commit (or the caller's transaction). */
    @Override
    public List<Boolean> recordAll(List<ArrivedUpdate> updates, Instant now) {
        if (updates.isEmpty()) {
            return List.of();
        }
        List<Arrival> batch = updates.stream()
                .map(u -> new Arrival(u.updateId(), u.chatId(), Objects.requireNonNull(u.payload(), "payload"), now))
                .toList();
        Optional<Handle> tx = PgTransactions.current(jdbi);
        List<Boolean> added = tx.isPresent() ? observed(batch, tx.get().getConnection())
                : Sql.retrying("recording updates", () -> recordBatch(batch));
        if (added.contains(true)) {
            handlers.afterCommit();
        }
        return added;
    }

    private List<Boolean> recordBatch(List<Arrival> batch) {
        return jdbi.withHandle(h -> observed(batch, h.getConnection()));
    }

    /** {@link #recordAll(List, Connection)}, its outcome told to the database's {@link WriteRefusals}. */
    private List<Boolean> observed(List<Arrival> batch, Connection c) {
        List<Boolean> added;
        try {
            added = recordAll(batch, c);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql) {
                WriteRefusals.refused(jdbi, RECORD_BATCH, sql);
            }
            throw e;
        }
        WriteRefusals.worked(jdbi, RECORD_BATCH);
        return added;
    }

    /** @return per arrival, in order: whether it was new (a second arrival of one id in a batch is not) */
    private static List<Boolean> recordAll(List<Arrival> batch, Connection c) {
        int n = batch.size();
        Long[] ids = new Long[n];
        Long[] chats = new Long[n];
        String[] payloads = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            Arrival a = batch.get(i);
            ids[i] = a.updateId();
            chats[i] = a.chatId();
            payloads[i] = a.payload();
            times[i] = a.now().toString();
        }
        Set<Long> added = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(RECORD_BATCH)) {
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.setArray(2, c.createArrayOf("int8", chats));
            ps.setArray(3, c.createArrayOf("text", payloads));
            ps.setArray(4, c.createArrayOf("text", times));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Array a = rs.getArray("added");
                if (a != null) {
                    added.addAll(Arrays.asList((Long[]) a.getArray()));
                }
            }
        } catch (SQLException e) {
            // by its state only: the database's message may quote an update
            throw new IllegalStateException("recording " + n + " updates failed: SQLSTATE " + e.getSQLState(), e);
        }
        List<Boolean> results = new ArrayList<>(n);
        for (Arrival a : batch) {
            results.add(added.remove(a.updateId()));
        }
        return results;
    }

    @Override
    public Optional<PendingUpdate> claimNext() {
        Optional<PendingUpdate> claimed = jdbi.withHandle(h -> h.createQuery(CLAIM).map(PgProcessedUpdates::pending)
                .findOne());
        claimed.ifPresent(u -> held.claimed(jdbi, u.chatId()));
        return claimed;
    }

    private static PendingUpdate pending(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PendingUpdate(rs.getLong("update_id"), rs.getLong("chat_id"), rs.getString("payload"),
                Sql.instant(rs, "recorded_at"));
    }

    @Override
    public Optional<PendingUpdate> reclaim(long updateId) {
        return jdbi.withHandle(h -> {
            // no row for an unknown update: nothing to lock, and the read below finds nothing either
            h.createQuery(RECLAIM_LOCK).bind("id", updateId).mapTo(Long.class).findOne();
            Optional<PendingUpdate> claimed = h.createQuery(RECLAIM_READ).bind("id", updateId)
                    .map(PgProcessedUpdates::pending).findOne();
            claimed.ifPresent(u -> held.claimed(jdbi, u.chatId()));
            return claimed;
        });
    }

    /**
     * {@link #DONE} with what the handling's last writes held ({@link HeldWrites}): the chat state's write
     * ({@link PgChatStates#SAVE_STEP}) and the outbox append ({@link PgPendingReplies#APPEND_STEPS}), either or both,
     * in the same statement. Each writes tables none of the others touches (the chat states; the outbox and its
     * chats' heads; the inbox and its chats' heads), so one snapshot for all changes nothing of what each does.
     */
    static String doneWith(boolean state, boolean append) {
        return "WITH " + (state ? PgChatStates.SAVE_STEP + ", " : "") + (append ? PgPendingReplies.APPEND_STEPS + ", " : "")
                + "handled AS (UPDATE processed_updates SET done_at = :now, payload = '' "
                + "WHERE update_id = :id AND done_at IS NULL RETURNING chat_id), "
                + "moved AS (UPDATE inbox_chats c SET head_id = (SELECT min(n.update_id) FROM processed_updates n "
                + "WHERE n.chat_id = c.chat_id AND n.done_at IS NULL AND n.update_id <> :id) "
                + "FROM handled h WHERE c.chat_id = h.chat_id RETURNING 1) "
                + "SELECT (SELECT count(*) FROM moved) AS m";
    }

    private static final String DONE_WITH_STATE = doneWith(true, false);
    private static final String DONE_WITH_APPEND = doneWith(false, true);
    private static final String DONE_WITH_BOTH = doneWith(true, true);

    /**
     * With the chat state's write and the replies its handling queued, when {@link HeldWrites} held them: one round
     * trip for all three.
     */
    @Override
    public void done(long updateId, Instant now) {
        HeldWrites.Held writes = held.take(jdbi);
        if (writes.isEmpty()) {
            jdbi.useHandle(h -> h.createUpdate(DONE)
                    .bind("id", updateId)
                    .bind("now", Sql.ts(now))
                    .execute());
            return;
        }
        String sql = writes.state().isEmpty() ? DONE_WITH_APPEND
                : writes.append().isEmpty() ? DONE_WITH_STATE : DONE_WITH_BOTH;
        jdbi.useHandle(h -> {
            org.jdbi.v3.core.statement.Query q = h.createQuery(sql).bind("id", updateId).bind("now", Sql.ts(now));
            writes.state().ifPresent(c -> PgChatStates.bound(q, c));
            writes.append().ifPresent(a -> PgPendingReplies.bound(q, a));
            q.map((rs, ctx) -> rs.getInt("m")).one();
        });
    }

    /** The head with the lowest id is the oldest pending update (ids grow): one probe of the heads' index. */
    @Override
    public Optional<Instant> oldestPending() {
        return jdbi.withHandle(h -> h.createQuery("SELECT p.recorded_at FROM inbox_chats c "
                        + "JOIN processed_updates p ON p.update_id = c.head_id "
                        + "WHERE c.head_id IS NOT NULL ORDER BY c.head_id LIMIT 1")
                .map((rs, ctx) -> Sql.instant(rs, "recorded_at"))
                .findOne());
    }

    /** Bounded statements until one comes back short: never one statement holding a week of rows. */
    @Override
    public int purge(Instant cutoff) {
        return Sql.inBatches(PURGE_BATCH, n -> purge(cutoff, n));
    }

    /**
     * The oldest {@code limit} handled updates before the cutoff, found by the index of handled updates, then each by
     * its key: as a join ({@code USING (SELECT ...)}) PostgreSQL hashed the batch and read the whole table against it,
     * 103-183 ms a pass at a week of a year's traffic (163,000 rows, review RY); the ids as one array give a lookup
     * each (1.6 ms). The batch is locked in the order it is picked, by time then id, as a forget takes a chat's
     * ({@code PgPersonalData}): the delete took them as its plan met them (by the key, at a week of traffic), the
     * forget as its scan did, and the two deadlocked.
     */
    static final String PURGE = "DELETE FROM processed_updates WHERE update_id = ANY (ARRAY(SELECT update_id "
            + "FROM processed_updates WHERE done_at IS NOT NULL AND recorded_at < :cutoff "
            + "ORDER BY recorded_at, update_id LIMIT :n FOR UPDATE))";

    @Override
    public int purge(Instant cutoff, int limit) {
        return jdbi.withHandle(h -> h.createUpdate(PURGE)
                .bind("cutoff", Sql.ts(cutoff))
                .bind("n", Math.max(0, limit))
                .execute());
    }
}
