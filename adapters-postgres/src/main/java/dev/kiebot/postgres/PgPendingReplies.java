package dev.kiebot.postgres;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.ReplySender;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox in PostgreSQL. {@code append} inserts the replies and moves each chat's head
 * ({@code outbox_chats}) in the caller's transaction, and notifies the senders ({@value #CHANNEL}) when it
 * commits. {@code claim} takes the due chat with the oldest head ({@code FOR UPDATE SKIP LOCKED}, one probe of a
 * partial index) and leases it in the same statement: {@code due_at} moves to the lease's end, so no claim finds
 * the chat before then, and no lock outlives the statement. {@code done} deletes the sent reply, moves the head
 * on and ends the lease, if the lease is still the caller's: one statement calling a PL/pgSQL function, so that
 * it can take the chat's row before it reads the chat's replies and still cost one round trip. Both commit
 * without waiting for the disk when they run on their own ({@link #NO_WAIT_FOR_DISK}); the settles a crash of the
 * server may have taken back are done again at the first claim after it ({@link UnflushedSettles}).
 */
public final class PgPendingReplies implements PendingReplies {
    private static final Logger LOG = LoggerFactory.getLogger(PgPendingReplies.class);
    /** Senders waiting for work LISTEN here. */
    public static final String CHANNEL = "kiebot_outbox";

    /**
     * The append's two steps, as CTEs ending in {@code added} (the replies, in order) and {@code heads} (their chats'
     * heads moved): {@link #APPEND} alone, or in the done mark's statement ({@link PgProcessedUpdates#doneWith}).
     *
     * <p>{@code heads} takes its chats' rows in the order of the chats' ids ({@code ORDER BY}: an {@code INSERT … ON
     * CONFLICT} locks each existing row as its SELECT gives it), as every statement that locks several chats' rows
     * does ({@link PgPersonalData#forget}, {@link #clockSteppedBack}, {@link #releaseAll}; the others lock one
     * chat's). The GROUP BY alone gave them in its hash's order: an append to several chats (the admins' alerts of
     * a payment not credited, queued with the handling's replies) beside a forget of a user told to those admins,
     * which locks his chat's row and then theirs, deadlocked, and PostgreSQL aborted one of the two (40P01; a
     * handling's transaction is run again, a forget is not). A handling's appends are one such statement however many
     * it made ({@link HeldWrites#hold(Jdbi, HeldWrites.Append)}): each reply keeps its own time and origin.
     */
    static final String APPEND_STEPS = "added AS (INSERT INTO outbox (chat_id, body, created_at, origin) "
            + "SELECT r.chat, CAST(r.body AS jsonb), r.queued_at, r.origin "
            + "FROM unnest(CAST(:chats AS bigint[]), CAST(:bodies AS text[]), CAST(:queuedAt AS timestamptz[]), "
            + "CAST(:origins AS text[])) WITH ORDINALITY AS r(chat, body, queued_at, origin, n) ORDER BY r.n "
            + "RETURNING id, chat_id, created_at), "
            // a chat new to the outbox is due from its first reply's queueing
            + "heads AS (INSERT INTO outbox_chats (chat_id, head_id, due_at) SELECT chat_id, min(id), min(created_at) "
            // the chats' rows taken in the order of their ids, as every statement locking several of them does
            + "FROM added GROUP BY chat_id ORDER BY chat_id ON CONFLICT (chat_id) DO UPDATE "
            + "SET head_id = LEAST(outbox_chats.head_id, excluded.head_id), "
            // an idle chat's turn further ahead than any pacing gives was set before the clock stepped back
            + "due_at = CASE WHEN outbox_chats.head_id IS NULL AND outbox_chats.leased_until IS NULL "
            + "THEN LEAST(outbox_chats.due_at, :latestTurn) ELSE outbox_chats.due_at END RETURNING 1)";
    /** One round trip for any number of replies: inserted in order, heads moved (senders are notified after commit). */
    private static final String APPEND = "WITH " + APPEND_STEPS + " "
            + "SELECT (SELECT count(*) FROM added) AS n, (SELECT count(*) FROM heads) AS h";
    /** Reported by every claim: the time the server's statistics were last reset ({@link UnflushedSettles}). */
    static final String SERVER_EPOCH = "pg_stat_get_bgwriter_stat_reset_time()";
    /** In its place on a server without that function (none known; a later PostgreSQL might drop it). */
    static final String NO_EPOCH = "CAST(NULL AS timestamptz)";
    /** The claim statement ({@link #claim}), as one that runs inside a caller's transaction sends it. */
    static final String CLAIM = claim(SERVER_EPOCH, "");

    /**
     * The settle as one statement, so one round trip (on its own or in the caller's transaction). The function
     * ({@code V13__outbox_settle.sql}) locks the chat's row while the lease is still the caller's, and only then, in
     * its next statement, reads the chat's replies: each statement of a volatile PL/pgSQL function takes a fresh
     * snapshot, so an append that moved the head while holding the row is seen, committed. As a single UPDATE, a
     * settle that waited for that append re-checked only the row and wrote a head computed from the replies before
     * it (the append's reply, the chat's only one, left without a head: never sent). NULL when the lease is no longer
     * the caller's.
     */
    static final String SETTLE = "SELECT outbox_settle(:chat, :lease, :id, :tokens, :refilled, :due)";
    /**
     * Added to a claim or a settle that commits on its own: its commit does not wait for the disk. Neither moves
     * money nor records an update; each only moves a lease or takes a sent reply off the queue, so what a crash
     * could take back with it (the last fraction of a second of such commits; PostgreSQL still keeps them in order,
     * and any later commit that waits for the disk writes them too) is a reply sent once more, the at-least-once
     * delivery this outbox promises anyway — never a lost one; and a settle lost that way is done again at the first
     * claim after the crash ({@link UnflushedSettles}), so its chat does not wait out the lease. Every other commit
     * still waits, the handling transaction's above all. Local to the statement's own transaction
     * ({@code is_local}): the pooled connection goes back as it came. Inside a caller's transaction (a settle that
     * records a blocked user or a message id) it is left out, so that transaction waits for the disk as it would
     * without it. The two commits it spares are two of the three an update and its reply make: each was an fsync of
     * the WAL, which cost more CPU under a crowd than the statements themselves (BENCHMARKS.md, section 17).
     */
    static final String NO_WAIT_FOR_DISK = "set_config('synchronous_commit', 'off', true) AS no_wait_for_disk";
    /**
     * How long a chat whose first reply this build cannot read ({@link UnknownOutboxKind}: a newer build queued it,
     * the two serving one outbox during a deploy) is given back for, instead of the claim's lease. The newer build
     * claims it once this passes; the old one may claim it again first and fail again, which costs it a claim and a
     * log line, not a stall. Long enough that an old build never spins on such chats (each is out of its claims
     * for this long, and a claim passes over it to the next due chat); short beside the 10-minute lease a throwing
     * claim used to leave, and beside the about one minute a deploy runs both builds.
     */
    static final Duration UNREADABLE_RETRY = Duration.ofSeconds(10);
    /** At most one warning this long about unreadable replies; the ones passed over meanwhile are counted in it. */
    static final Duration UNREADABLE_WARN_EVERY = Duration.ofMinutes(1);
    /**
     * How long after its queueing a reply this build cannot read is passed over before it is moved to
     * {@code outbox_dead_letters} and its chat goes on: the outbox's give-up day ({@link ReplySender#DEFERRED_MAX}),
     * the longest a reply it reads waits too. A newer build's reply is read within the minute a deploy runs both
     * builds; one still unread a day later is corrupt, or a newer build's kind after the deploy was rolled back, and
     * no build here will read it: passed over for ever, it held every later reply to that user (a result, «payment
     * received») with a WARN a minute that said only "during a deploy?".
     */
    static final Duration UNREADABLE_MAX = ReplySender.DEFERRED_MAX;
    /**
     * Moves an unreadable head to the dead letters, if it was queued at or before {@code :cutoff} and the lease is
     * still this claim's: the chat's head moves on to its next reply, due at once, and the lease ends. Run after the
     * chat's row is locked ({@link #deadLetter}), so that the head is computed from every reply appended before:
     * in one statement, the head's subquery kept the statement's snapshot, and a reply appended meanwhile was left
     * without a head, never sent.
     */
    private static final String DEAD_LETTER = "WITH o AS (SELECT id, chat_id, body, created_at FROM outbox "
            + "WHERE id = :head AND created_at <= :cutoff), "
            + "l AS (UPDATE outbox_chats c SET head_id = (SELECT min(n.id) FROM outbox n WHERE n.chat_id = c.chat_id "
            + "AND n.id <> :head), due_at = :now, leased_until = NULL FROM o "
            + "WHERE c.chat_id = o.chat_id AND c.leased_until = :lease RETURNING c.chat_id), "
            + "kept AS (INSERT INTO outbox_dead_letters (id, chat_id, body, kind, queued_at, moved_at) "
            + "SELECT o.id, o.chat_id, o.body, :kind, o.created_at, :now FROM o JOIN l ON l.chat_id = o.chat_id "
            + "ON CONFLICT (id) DO NOTHING RETURNING id), "
            + "gone AS (DELETE FROM outbox d USING l WHERE d.id = :head AND d.chat_id = l.chat_id "
            + "RETURNING d.chat_id) "
            + "SELECT chat_id FROM gone";
    /**
     * Gives back the chat of an unreadable head: due again at {@code :due}, no longer leased, if the lease is still
     * this claim's. The chat is found from the reply's row (the claim does not return it: its body is the reply).
     */
    private static final String GIVE_BACK = "UPDATE outbox_chats l SET due_at = :due, leased_until = NULL "
            + "FROM outbox o WHERE o.id = :head AND l.chat_id = o.chat_id AND l.leased_until = :lease "
            + "RETURNING l.chat_id";

    private final Jdbi jdbi;
    private final PgNotifier senders;
    private final UnflushedSettles unflushed = new UnflushedSettles();
    private final AtomicLong settlesRedone = new AtomicLong();
    private final AtomicReference<Claims> claims = new AtomicReference<>();
    private final AtomicReference<Instant> lastUnreadableWarning = new AtomicReference<>();
    private final AtomicLong unreadableSinceWarning = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final HeldWrites held;

    /** Notifies other instances only; {@link #PgPendingReplies(Jdbi, Wakeups)} also wakes this one's threads. */
    public PgPendingReplies(Jdbi jdbi) {
        this(jdbi, Wakeups.sharedDatabase());
    }

    /**
     * An outbox whose {@code append} never waits for a done mark: it is written at once ({@link HeldWrites#AT_ONCE}).
     * Its other calls still see an append the stores {@link PgStores#create} makes hold in the thread's transaction.
     */
    public PgPendingReplies(Jdbi jdbi, Wakeups wakeups) {
        this(jdbi, wakeups, HeldWrites.AT_ONCE);
    }

    /** A handling's append may wait in {@code held} for its done mark ({@link PgStores#create}: {@code HOLDING}). */
    PgPendingReplies(Jdbi jdbi, Wakeups wakeups, HeldWrites held) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.senders = new PgNotifier(jdbi, CHANNEL, wakeups);
        this.held = Objects.requireNonNull(held, "held");
    }

    @Override
    public void append(List<Outgoing> replies, Instant now) {
        append(replies, now, Optional.empty());
    }

    /**
     * {@code origin} goes in a column of the same insert: the append stays one statement. In a handling transaction
     * it waits for the update's done mark and goes in its statement, with the handling's other appends
     * ({@link HeldWrites}).
     */
    @Override
    public void append(List<Outgoing> replies, Instant now, Optional<String> origin) {
        Long[] chats = replies.stream().map(Outgoing::chatId).toArray(Long[]::new);
        String[] bodies = replies.stream().map(OutgoingCodec::encode).toArray(String[]::new);
        Instant[] queuedAt = new Instant[chats.length];
        java.util.Arrays.fill(queuedAt, now);
        String[] origins = new String[chats.length];
        java.util.Arrays.fill(origins, origin.map(o -> o.length() > ORIGIN_MAX ? o.substring(0, ORIGIN_MAX) : o)
                .orElse(null));
        HeldWrites.Append append = new HeldWrites.Append(chats, bodies, queuedAt, origins,
                now.plus(ChatPacing.INTERVAL_MAX));
        if (!held.hold(jdbi, append)) {
            jdbi.useHandle(h -> appendNow(h, append));
        }
        senders.afterCommit();
    }

    /** {@link #APPEND} of {@code append} on {@code h}, now. */
    static void appendNow(org.jdbi.v3.core.Handle h, HeldWrites.Append append) {
        bound(h.createQuery(APPEND), append).map((rs, ctx) -> rs.getInt("n")).one();
    }

    /** {@link #APPEND_STEPS}' binds; the times as text, which PostgreSQL reads to the microsecond as it stores them. */
    static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bound(T q, HeldWrites.Append append) {
        Object[] queuedAt = java.util.Arrays.stream(append.queuedAt()).map(Instant::toString).toArray(String[]::new);
        return q.bindArray("chats", Long.class, (Object[]) append.chats())
                .bindArray("bodies", String.class, (Object[]) append.bodies())
                .bindArray("queuedAt", String.class, queuedAt)
                .bindArray("origins", String.class, (Object[]) append.origins())
                .bind("latestTurn", Sql.ts(append.latestTurn()));
    }

    /**
     * The limit comes before the join on purpose. Under {@code FOR UPDATE} a chat whose head another transaction
     * just moved is re-read at its new head: a join or lateral lookup before the limit kept the old head's reply
     * (a reply sent twice), or let the planner walk the outbox's key. So a head must never name a missing reply:
     * every statement moves a head together with its replies ({@code dropChat} included). The lease is taken in
     * the join with the head's reply, so a head whose reply this statement cannot see leases nothing. One row
     * always comes back, with the server's epoch, and the claim's columns when a chat was leased.
     */
    static String claim(String epoch, String extraColumn) {
        return "WITH c AS (SELECT chat_id, head_id, tokens, refilled_at FROM outbox_chats "
                + "WHERE head_id IS NOT NULL AND due_at <= :now ORDER BY due_at, head_id LIMIT 1 "
                + "FOR UPDATE SKIP LOCKED), "
                + "claimed AS (UPDATE outbox_chats l SET due_at = :until, leased_until = :until "
                + "FROM c JOIN outbox o ON o.id = c.head_id WHERE l.chat_id = c.chat_id "
                + "RETURNING c.head_id, c.tokens, c.refilled_at, o.body, l.leased_until, o.deferred_since, "
                + "o.deferred_threw, o.created_at, o.origin) "
                + "SELECT " + epoch + " AS server_epoch, claimed.*" + extraColumn
                + " FROM (SELECT 1) AS one LEFT JOIN claimed ON true";
    }

    /**
     * One statement: atomic on its own, and the chat's lock ends with it. After a crash of the server (a new epoch)
     * the settles it may have lost are done again first ({@link UnflushedSettles}), and when that freed a chat while
     * this claim found none due, the claim is made once more. A chat whose first reply this build cannot read is
     * given back ({@link #UNREADABLE_RETRY}) and the claim goes on to the next due chat: each such chat is passed over
     * once, as it is no longer due, so the passes end.
     */
    @Override
    public Optional<Queued> claim(Instant now, Duration lease) {
        held.send(jdbi);
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lease must last: " + lease);
        }
        Claim first = claimOnce(now, lease);
        Claim last = first;
        if (settleAgain(unflushed.sinceEpoch(first.epoch())) && first.reply().isEmpty() && !first.passedOver()) {
            last = claimOnce(now, lease);
        }
        while (last.passedOver()) {
            last = claimOnce(now, lease);
        }
        return last.reply();
    }

    /**
     * What a claim statement found: the server's epoch, and the leased chat's reply if one was due and readable;
     * {@code passedOver} when the due chat's reply was not readable and its chat was given back.
     */
    private record Claim(Optional<Instant> epoch, Optional<Queued> reply, boolean passedOver) {
        Claim(Optional<Instant> epoch, Optional<Queued> reply) {
            this(epoch, reply, false);
        }
    }

    /** A claim statement's row as it came: the server's epoch, and the leased head if a chat was due. */
    private record ClaimRow(Optional<Instant> epoch, Optional<Head> head) {
    }

    /** A leased chat's first reply as the claim returned it, its body not yet read. */
    private record Head(long id, String body, Optional<TokenBucket> pacing, Instant leasedUntil,
                        Optional<Deferral> deferral, Instant queuedAt, Optional<String> origin) {
    }

    /** The claim as sent on its own (not waiting for the disk) and inside a caller's transaction. */
    private record Claims(String alone, String inTransaction) {
    }

    /**
     * The claim statements for this server, asked once: a server without the epoch's function still claims (were it
     * named in the statement, every claim would fail and no reply would go), only without the settles done again.
     */
    private Claims claims(Handle h) {
        Claims known = claims.get();
        if (known != null) {
            return known;
        }
        boolean hasEpoch = h.createQuery("SELECT to_regprocedure(:f) IS NOT NULL").bind("f", SERVER_EPOCH)
                .mapTo(Boolean.class).one();
        if (!hasEpoch) {
            LOG.warn("this PostgreSQL has no {}: a reply settle a crash of it takes back keeps its chat waiting for "
                    + "the reply's lease (10 minutes)", SERVER_EPOCH);
        }
        String epoch = hasEpoch ? SERVER_EPOCH : NO_EPOCH;
        Claims found = new Claims(claim(epoch, ", " + NO_WAIT_FOR_DISK), claim(epoch, ""));
        claims.compareAndSet(null, found);
        return found;
    }

    /**
     * The body is read once the statement is done: its lease is committed by then, so a body this build cannot read
     * must give the chat back itself (thrown, it left the chat leased for the whole lease, 10 minutes, and the sender
     * backing off as if the database were down). A readable body costs nothing more: no other statement.
     */
    private Claim claimOnce(Instant now, Duration lease) {
        ClaimRow row = jdbi.withHandle(h -> h.createQuery(alone(h) ? claims(h).alone() : claims(h).inTransaction())
                .bind("now", Sql.ts(now))
                .bind("until", Sql.ts(now.plus(lease)))
                .map((rs, ctx) -> {
                    Optional<Instant> epoch = Sql.optionalInstant(rs, "server_epoch");
                    if (rs.getObject("head_id") == null) {
                        return new ClaimRow(epoch, Optional.empty());
                    }
                    double tokens = rs.getDouble("tokens");
                    Optional<TokenBucket> pacing = rs.wasNull() ? Optional.empty()
                            : Optional.of(new TokenBucket(tokens, Sql.instant(rs, "refilled_at")));
                    boolean threw = rs.getBoolean("deferred_threw");
                    // a bare mark (tryBegins, no deferral kept): a throw whose day starts at this claim, not at the
                    // mark, which may be a day old (its sender died, the host was down)
                    Optional<Deferral> deferral = Sql.optionalInstant(rs, "deferred_since")
                            .map(since -> new Deferral(since, threw))
                            .or(() -> threw ? Optional.of(new Deferral(now, true)) : Optional.empty());
                    // the lease as stored (to the microsecond), which is how done and release name it
                    return new ClaimRow(epoch, Optional.of(new Head(rs.getLong("head_id"),
                            rs.getString("body"), pacing, Sql.instant(rs, "leased_until"),
                            deferral, Sql.instant(rs, "created_at"), Optional.ofNullable(rs.getString("origin")))));
                })
                .one());
        if (row.head().isEmpty()) {
            return new Claim(row.epoch(), Optional.empty());
        }
        Head head = row.head().get();
        Outgoing outgoing;
        try {
            outgoing = OutgoingCodec.decode(head.body());
        } catch (RuntimeException unreadable) {
            if (!deadLetter(head, now, unreadable)) {
                giveBack(head, now, now.plus(min(lease, UNREADABLE_RETRY)), unreadable);
            }
            return new Claim(row.epoch(), Optional.empty(), true);
        }
        return new Claim(row.epoch(), Optional.of(new Queued(head.id(), outgoing, head.pacing(), head.leasedUntil(),
                head.deferral(), head.origin())));
    }

    /**
     * The chat of a head this build cannot read, given back for {@link #UNREADABLE_RETRY} (never longer than the
     * claim's lease would have held it): its replies stay as they are, in order, for a build that reads them (or
     * this one, which passes over it again). Besides a newer build's kind ({@link UnknownOutboxKind}), a body this
     * build cannot read at all is given back the same way, so that it does not hold every other chat back either;
     * the warning names its exception's class only, as its message may quote the body. In the claim's transaction
     * when it ran in a caller's, else on its own.
     */
    private void giveBack(Head head, Instant now, Instant dueAt, RuntimeException unreadable) {
        Optional<Long> chat = jdbi.withHandle(h -> h.createQuery(GIVE_BACK)
                .bind("due", Sql.ts(dueAt))
                .bind("head", head.id())
                .bind("lease", Sql.ts(head.leasedUntil()))
                .mapTo(Long.class)
                .findOne());
        String kind = kindOf(unreadable);
        long passedOver = unreadableSinceWarning.incrementAndGet();
        // on the claim's clock (the pacing clock, real time in a bot): one warning a minute however many chats
        Instant last = lastUnreadableWarning.get();
        if ((last == null || !now.isBefore(last.plus(UNREADABLE_WARN_EVERY)))
                && lastUnreadableWarning.compareAndSet(last, now)) {
            unreadableSinceWarning.addAndGet(-passedOver);
            LOG.warn("chat {}: its first waiting reply cannot be read by this build ({}; {}): the chat is given back "
                    + "until {}, for a build that reads it, and moved to outbox_dead_letters {} h after it was "
                    + "queued; {} such reply(s) passed over since the last warning",
                    chat.map(Actor::mask).orElse("(no longer ours)"), kind, whyUnreadable(unreadable), dueAt,
                    UNREADABLE_MAX.toHours(), passedOver);
        }
    }

    /**
     * The head, unreadable since it was queued longer than {@link #UNREADABLE_MAX} ago, moved to
     * {@code outbox_dead_letters} ({@link #DEAD_LETTER}) with one ERROR, and its chat going on with its next reply.
     * In the claim's transaction when it ran in a caller's, else in one of its own that locks the chat's row first.
     *
     * @return whether it was moved; false when it is younger (or the lease is no longer this claim's)
     */
    private boolean deadLetter(Head head, Instant now, RuntimeException unreadable) {
        if (head.queuedAt().isAfter(now.minus(UNREADABLE_MAX))) {
            return false;
        }
        String kind = kindOf(unreadable);
        Optional<Long> chat = jdbi.inTransaction(h -> {
            h.createQuery("SELECT c.chat_id FROM outbox_chats c JOIN outbox o ON o.chat_id = c.chat_id "
                            + "WHERE o.id = :head FOR UPDATE OF c")
                    .bind("head", head.id())
                    .mapTo(Long.class)
                    .findOne();
            return h.createQuery(DEAD_LETTER)
                    .bind("head", head.id())
                    .bind("cutoff", Sql.ts(now.minus(UNREADABLE_MAX)))
                    .bind("now", Sql.ts(now))
                    .bind("lease", Sql.ts(head.leasedUntil()))
                    .bind("kind", kind)
                    .mapTo(Long.class)
                    .findOne();
        });
        if (chat.isEmpty()) {
            return false;
        }
        deadLettered.incrementAndGet();
        LOG.error("chat {}: reply {} ({}; {}) could not be read for {} h since it was queued at {}: moved to "
                        + "outbox_dead_letters, never sent; the chat's next replies go on. The user was not sent "
                        + "that message: read the row (README, \"A reply moved to the dead letters\")",
                Actor.mask(chat.get()), head.id(), kind, whyUnreadable(unreadable), UNREADABLE_MAX.toHours(),
                head.queuedAt());
        return true;
    }

    /** How many unreadable replies were moved to {@code outbox_dead_letters} (a metric for the operator). */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** What a warning says of a body this build cannot read: the unknown kind, else the exception's class only. */
    private static String kindOf(RuntimeException unreadable) {
        return unreadable instanceof UnknownOutboxKind ? unreadable.getMessage()
                : "unreadable: " + unreadable.getClass().getSimpleName();
    }

    /**
     * Why a build may not read a body: a kind it does not know is a newer build's (during a deploy, or after one
     * rolled back); anything else is a body no build reads (corrupt, or written by hand), which no deploy cures.
     */
    private static String whyUnreadable(RuntimeException unreadable) {
        return unreadable instanceof UnknownOutboxKind ? "a newer build's kind, queued during a deploy or before one "
                + "was rolled back" : "an unreadable body, corrupt: no build reads it";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** @return whether any of {@code settles}, done again, took effect (the server had lost it) */
    private boolean settleAgain(List<UnflushedSettles.Settle> settles) {
        if (settles.isEmpty()) {
            return false;
        }
        // one connection for them all, each settle committing on its own; not kept again: this crash is seen
        int lost = jdbi.withHandle(h -> {
            int applied = 0;
            for (UnflushedSettles.Settle s : settles) {
                applied += settle(h, s.reply(), s.pacing(), s.dueAt()).isPresent() ? 1 : 0;
            }
            return applied;
        });
        settlesRedone.addAndGet(lost);
        LOG.info("the database recovered from a crash: of the last {} replies settled before it, {} had been lost "
                + "and are settled now (their chats need not wait out their leases)", settles.size(), lost);
        return lost > 0;
    }

    /** How many settles a crash of the server took back were done again (a metric for the operator). */
    public long settlesRedone() {
        return settlesRedone.get();
    }

    @Override
    public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
        held.send(jdbi);
        return jdbi.withHandle(h -> {
            boolean alone = alone(h);
            Optional<Boolean> more = settle(h, reply, pacing, dueAt);
            if (alone && more.isPresent()) {
                unflushed.add(reply, pacing, dueAt);
            }
            return more.orElse(false);
        });
    }

    /**
     * @return whether the chat has more replies, when the settle took effect; empty when the lease is no longer the
     * caller's (the function's NULL)
     */
    private static Optional<Boolean> settle(Handle h, Queued reply, TokenBucket pacing, Instant dueAt) {
        return h.createQuery(alone(h) ? SETTLE + ", " + NO_WAIT_FOR_DISK : SETTLE)
                .bind("chat", reply.chatId())
                .bind("lease", Sql.ts(reply.leasedUntil()))
                .bind("id", reply.id())
                .bind("tokens", pacing.tokens())
                .bind("refilled", Sql.ts(pacing.refilledAt()))
                .bind("due", Sql.ts(dueAt))
                .map((rs, ctx) -> {
                    boolean more = rs.getBoolean(1);
                    return rs.wasNull() ? Optional.<Boolean>empty() : Optional.of(more);
                })
                .one();
    }

    /** Whether a statement on {@code h} commits on its own (no caller's transaction around it). */
    private static boolean alone(Handle h) {
        return !h.isInTransaction();
    }

    @Override
    public void release(Queued reply, Instant dueAt) {
        held.send(jdbi);
        jdbi.useHandle(h -> h.createUpdate("UPDATE outbox_chats SET due_at = :due, leased_until = NULL "
                        + "WHERE chat_id = :chat AND leased_until = :lease")
                .bind("due", Sql.ts(dueAt))
                .bind("chat", reply.chatId())
                .bind("lease", Sql.ts(reply.leasedUntil()))
                .execute());
    }

    /**
     * One statement: the lease ends and the deferral is kept in the reply's row together, or neither (a lease no
     * longer the caller's). Only after a deferral that changed it: a reply that goes at its first try writes nothing
     * here, and its claim reads the two columns from the row it joins anyway.
     */
    @Override
    public void release(Queued reply, Instant dueAt, Deferral deferral) {
        held.send(jdbi);
        releaseSetting(reply, dueAt, "deferred_since = :since, deferred_threw = :threw",
                u -> u.bind("since", Sql.ts(deferral.since())).bind("threw", deferral.threw()));
    }

    /**
     * One statement: the lease ends and the rest replaces the reply's body together, or neither (a lease no longer
     * the caller's). The body is the queue's own, so after a restart too only the rest goes.
     */
    @Override
    public void releaseRest(Queued reply, Reply rest, Instant dueAt) {
        held.send(jdbi);
        releaseSetting(reply, dueAt, "body = CAST(:body AS jsonb)", u -> u.bind("body", restBody(reply, rest)));
    }

    /** {@link #releaseRest(Queued, Reply, Instant)}, the deferral kept in the reply's row by the same statement. */
    @Override
    public void releaseRest(Queued reply, Reply rest, Instant dueAt, Deferral deferral) {
        held.send(jdbi);
        releaseSetting(reply, dueAt, "body = CAST(:body AS jsonb), deferred_since = :since, deferred_threw = :threw",
                u -> u.bind("body", restBody(reply, rest)).bind("since", Sql.ts(deferral.since()))
                        .bind("threw", deferral.threw()));
    }

    /**
     * One statement on the reply's row, committed on its own and waiting for the disk (no {@link #NO_WAIT_FOR_DISK}:
     * the mark must outlast a crash of the server while the reply is on the wire). The column a release keeps a
     * throw in, so the claim reads it as a throw's; {@code deferred_since} is left as it is, NULL when the reply was
     * never deferred: the give-up day is counted from a deferral, and a mark's time started it at a try that may have
     * died a day before the next one (the host down), which gave the result up at its first deferral after. The
     * claim gives a bare mark back with its own time as {@code since}. Whatever the lease: a row that left the queue
     * is simply not found.
     */
    @Override
    public void tryBegins(Queued reply, Instant at) {
        held.send(jdbi);
        jdbi.useHandle(h -> h.createUpdate("UPDATE outbox SET deferred_threw = true WHERE id = :id")
                .bind("id", reply.id())
                .execute());
    }

    private static String restBody(Queued reply, Reply rest) {
        return OutgoingCodec.encode(new Outgoing(rest, reply.outgoing().follow()));
    }

    /**
     * Ends the caller's lease on the reply's chat and sets {@code columns} of the reply's row in one statement: both
     * or neither (a lease no longer the caller's changes nothing).
     */
    private void releaseSetting(Queued reply, Instant dueAt, String columns, UnaryOperator<Update> values) {
        jdbi.useHandle(h -> values.apply(h.createUpdate("WITH released AS (UPDATE outbox_chats SET due_at = :due, "
                        + "leased_until = NULL WHERE chat_id = :chat AND leased_until = :lease RETURNING chat_id) "
                        + "UPDATE outbox SET " + columns + " WHERE id = :id AND chat_id IN (SELECT chat_id FROM released)")
                .bind("due", Sql.ts(dueAt))
                .bind("chat", reply.chatId())
                .bind("lease", Sql.ts(reply.leasedUntil()))
                .bind("id", reply.id()))
                .execute());
    }

    /**
     * Ends every lease, each chat due at {@code now}: for a bot starting on its own database, where every lease is
     * a previous run's (no other instance can hold one), so its chats need not wait for their leases to end. Never
     * on a shared database: another instance may be sending.
     *
     * @return how many chats were leased
     */
    @Override
    public int releaseAll(Instant now) {
        held.send(jdbi);
        // a scan of outbox_chats once per start, rather than an index that every claim would write to; the rows
        // locked in the order of the chats' ids (APPEND_STEPS)
        return jdbi.withHandle(h -> h.createUpdate("UPDATE outbox_chats c SET due_at = :now, leased_until = NULL "
                        + "FROM (SELECT chat_id FROM outbox_chats WHERE leased_until IS NOT NULL ORDER BY chat_id "
                        + "FOR UPDATE) l WHERE c.chat_id = l.chat_id")
                .bind("now", Sql.ts(now))
                .execute());
    }

    /**
     * One statement on the chats not leased and not due yet (a scan of {@code outbox_chats} once per step of the
     * clock, rather than an index every claim would write to). A leased chat's {@code due_at} is its lease's end,
     * left as it is with {@code leased_until}.
     */
    @Override
    public int clockSteppedBack(Duration step, Instant now) {
        held.send(jdbi);
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("a step back is positive: " + step);
        }
        // the rows locked in the order of the chats' ids, as an append to several chats takes them (APPEND_STEPS):
        // the statement runs while the bot serves
        return jdbi.withHandle(h -> h.createUpdate("UPDATE outbox_chats c "
                        + "SET due_at = c.due_at - CAST(:micros AS bigint) * INTERVAL '1 microsecond' "
                        + "FROM (SELECT chat_id FROM outbox_chats WHERE leased_until IS NULL AND due_at > :now "
                        + "ORDER BY chat_id FOR UPDATE) s WHERE c.chat_id = s.chat_id")
                .bind("micros", step.toNanos() / 1_000)
                .bind("now", Sql.ts(now))
                .execute());
    }

    /**
     * One statement: the replies and the head go together, so no head is ever left naming a deleted reply. The chat's
     * row is locked first, as {@link #dropQueue} and the settle take it, so two of them on one chat wait rather than
     * deadlock.
     */
    @Override
    public int dropChat(long chatId) {
        held.send(jdbi);
        // a data-modifying WITH runs whether or not the query reads it
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT 1 FROM outbox_chats WHERE chat_id = :chat FOR UPDATE").bind("chat", chatId)
                    .mapTo(Integer.class).findOne();
            return h.createQuery("WITH head AS (UPDATE outbox_chats SET head_id = NULL "
                            + "WHERE chat_id = :chat), gone AS (DELETE FROM outbox WHERE chat_id = :chat RETURNING 1) "
                            + "SELECT count(*) FROM gone")
                    .bind("chat", chatId)
                    .mapTo(Integer.class)
                    .one();
        });
    }

    /**
     * {@link #dropChat}, telling what left; a reply this build cannot read stays. The chat's replies are read first,
     * then those read are deleted, by id, in one statement that also moves the head to the first one left: two
     * statements where {@code dropChat} takes one, on a user's block only (a sent reply's path is untouched).
     *
     * <p>A body this build cannot read ({@link UnknownOutboxKind}: a newer build queued it, the two serving one outbox
     * during a deploy) may be a job's result, and what the shop does with a dropped result (notes it as not sent, so
     * that his return lists it and «📤 Получить» sends it, or refunds it should its file be gone) needs it read.
     * Dropped unread, the result was lost to that; thrown, as it was, the block's transaction rolled back, the user
     * was not marked blocked and the chat stayed leased for the whole lease (10 minutes) to meet it again. So it is
     * left in the chat's queue, in order, with whatever the block's settle leaves behind it: the settle ends the
     * lease, the claim passes over the chat for {@link #UNREADABLE_RETRY} as for any unreadable head, and the build
     * that reads it takes it, meets the block and drops it as it should. One warning per such block names the chat
     * masked and the kinds, never a body. In the caller's transaction (the block's, which marks the user) when there
     * is one, else in one of its own.
     *
     * <p>The chat's row is locked first, in a statement of its own, as the settle does: two drops of one chat at once
     * (the sender's and a broadcast's) then run one after the other, the second reading the replies after the first
     * committed. Without it, the second set the head from a snapshot taken before the first's commit: a reply the
     * first queued after its drop was left with no head (never sent), or the head named a reply the first deleted,
     * which the claim takes as the oldest due chat and leases nothing for, holding back every chat due after it.
     */
    @Override
    public List<Outgoing> dropQueue(long chatId) {
        held.send(jdbi);
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT 1 FROM outbox_chats WHERE chat_id = :chat FOR UPDATE")
                    .bind("chat", chatId)
                    .mapTo(Integer.class)
                    .findOne();
            List<Map.Entry<Long, String>> rows = h.createQuery("SELECT id, body FROM outbox WHERE chat_id = :chat "
                            + "ORDER BY id")
                    .bind("chat", chatId)
                    .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("body")))
                    .list();
            Map<Long, Outgoing> read = new LinkedHashMap<>();
            Set<String> unreadable = new LinkedHashSet<>();
            int left = 0;
            for (Map.Entry<Long, String> row : rows) {
                try {
                    read.put(row.getKey(), OutgoingCodec.decode(row.getValue()));
                } catch (RuntimeException e) {
                    unreadable.add(kindOf(e));
                    left++;
                }
            }
            if (left > 0) {
                LOG.warn("chat {}: the user blocked the bot, and {} of its waiting replies cannot be read by this "
                        + "build ({}; a newer build's kind, or a corrupt body): left queued, in order, for a build "
                        + "that reads them and drops them at the block (a result among them noted as not sent "
                        + "there); the {} read are dropped", Actor.mask(chatId), left, String.join(", ", unreadable),
                        read.size());
            }
            if (read.isEmpty()) {
                return List.of();
            }
            Long[] ids = read.keySet().toArray(new Long[0]);
            // the head in the same statement, which does not see its own delete: hence the ids left out of the min
            Set<Long> gone = new HashSet<>(h.createQuery("WITH gone AS (DELETE FROM outbox WHERE chat_id = :chat "
                            + "AND id = ANY(:ids) RETURNING id), head AS (UPDATE outbox_chats SET head_id = "
                            + "(SELECT min(n.id) FROM outbox n WHERE n.chat_id = :chat AND n.id <> ALL(:ids)) "
                            + "WHERE chat_id = :chat) SELECT id FROM gone")
                    .bind("chat", chatId)
                    .bindArray("ids", Long.class, (Object[]) ids)
                    .mapTo(Long.class)
                    .list());
            // every path that deletes a chat's replies locks its row first, so all read are gone here; kept as the
            // rule a drop reports by: a reply is told by the drop that deleted it, and by no other
            return read.entrySet().stream().filter(e -> gone.contains(e.getKey())).map(Map.Entry::getValue)
                    .toList();
        });
    }

    /**
     * One {@code EXISTS} through the index of the chat's queue ({@code outbox_chat}; a settled reply's row is
     * deleted), the body tested in place ({@code @>} on its follow's type and job): one boolean comes back, no body is
     * sent nor decoded, and the first match ends the look.
     */
    @Override
    public boolean resultWaiting(long chatId, JobId job) {
        held.send(jdbi);
        return jdbi.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM outbox WHERE chat_id = :chat "
                        + "AND body @> CAST(:result AS jsonb))")
                .bind("chat", chatId)
                .bind("result", OutgoingCodec.resultOf(job))
                .mapTo(Boolean.class)
                .one());
    }

    @Override
    public Optional<Instant> nextDueAfter(Instant now) {
        held.send(jdbi);
        return jdbi.withHandle(h -> h.createQuery("SELECT min(due_at) AS due FROM outbox_chats "
                        + "WHERE head_id IS NOT NULL AND due_at > :now")
                .bind("now", Sql.ts(now))
                .map((rs, ctx) -> Sql.optionalInstant(rs, "due"))
                .one());
    }

    /**
     * A chat's head is its oldest waiting reply and ids grow, so the head with the lowest id is the oldest: the
     * partial index of the chats with a head holds only the chats waiting, never the outbox's dead rows.
     */
    @Override
    public Optional<Instant> oldestWaiting() {
        held.send(jdbi);
        return jdbi.withHandle(h -> h.createQuery("SELECT o.created_at FROM outbox_chats c "
                        + "JOIN outbox o ON o.id = c.head_id WHERE c.head_id IS NOT NULL ORDER BY c.head_id LIMIT 1")
                .map((rs, ctx) -> Sql.instant(rs, "created_at"))
                .findOne());
    }

    @Override
    public Optional<Long> taggedMessage(long chatId, String tag) {
        held.send(jdbi);
        return jdbi.withHandle(h -> h.createQuery("SELECT message_id FROM tagged_messages "
                        + "WHERE chat_id = :chat AND tag = :tag")
                .bind("chat", chatId)
                .bind("tag", tag)
                .mapTo(Long.class)
                .findOne());
    }

    @Override
    public void tag(long chatId, String tag, long messageId) {
        held.send(jdbi);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO tagged_messages (chat_id, tag, message_id) "
                        + "VALUES (:chat, :tag, :message) ON CONFLICT (chat_id, tag) DO UPDATE "
                        + "SET message_id = excluded.message_id")
                .bind("chat", chatId)
                .bind("tag", tag)
                .bind("message", messageId)
                .execute());
    }

    /** One statement by the key, however many tags (the caller bounds them). */
    @Override
    public int untag(long chatId, List<String> tags) {
        held.send(jdbi);
        if (tags.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM tagged_messages "
                        + "WHERE chat_id = :chat AND tag = ANY(:tags)")
                .bind("chat", chatId)
                .bindArray("tags", String.class, tags)
                .execute());
    }

    /** In the update's transaction (the thread's, when there is one): a row of {@code pre_checkout_answers}. */
    @Override
    public void keepAnswer(KeptAnswer kept) {
        held.send(jdbi);
        Reply.AnswerPreCheckout a = kept.answer();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO pre_checkout_answers (query_id, chat_id, ok, error, until) "
                        + "VALUES (:query, :chat, :ok, :error, :until) ON CONFLICT (query_id) DO UPDATE "
                        + "SET chat_id = excluded.chat_id, ok = excluded.ok, error = excluded.error, "
                        + "until = excluded.until")
                .bind("query", a.queryId())
                .bind("chat", a.chatId())
                .bind("ok", a.ok())
                .bind("error", a.error().orElse(null))
                .bind("until", Sql.ts(kept.until()))
                .execute());
    }

    /**
     * One statement of at most {@code limit} rows, the oldest moved first. No index on {@code moved_at}: each row was
     * one ERROR, so the table holds a handful, and reading it whole costs less than an index every move writes.
     */
    @Override
    public int forgetDeadLetters(Instant movedBefore, int limit) {
        held.send(jdbi);
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM outbox_dead_letters d USING ("
                        // locked in this order, as a forget takes a chat's (PgPersonalData)
                        + "SELECT id FROM outbox_dead_letters WHERE moved_at < :before ORDER BY moved_at, id LIMIT :n "
                        + "FOR UPDATE) o "
                        + "WHERE d.id = o.id")
                .bind("before", Sql.ts(movedBefore))
                .bind("n", Math.max(0, limit))
                .execute());
    }

    @Override
    public void answerGone(String queryId) {
        held.send(jdbi);
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM pre_checkout_answers WHERE query_id = :query")
                .bind("query", queryId)
                .execute());
    }

    @Override
    public List<KeptAnswer> keptAnswers() {
        held.send(jdbi);
        return jdbi.withHandle(h -> h.createQuery("SELECT query_id, chat_id, ok, error, until "
                        + "FROM pre_checkout_answers")
                .map((rs, ctx) -> new KeptAnswer(new Reply.AnswerPreCheckout(rs.getLong("chat_id"),
                        rs.getString("query_id"), rs.getBoolean("ok"), Optional.ofNullable(rs.getString("error"))),
                        Sql.instant(rs, "until")))
                .list());
    }
}
