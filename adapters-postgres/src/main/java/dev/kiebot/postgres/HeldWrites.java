package dev.kiebot.postgres;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A handling transaction's last two writes, the chat state's and the outbox append, held until the update's done mark
 * so that the three go to PostgreSQL as one statement: two round trips less per handled update (issue 13,
 * BENCHMARKS.md section 68). Neither answers anything the handling reads. The ports stay as they are (core saves the
 * chat's state and queues its replies, then its inbox marks the update done); only these stores know of it.
 *
 * <p>Which stores hold: those {@link PgStores#create} makes ({@link #HOLDING}), the hot path. A store made by its
 * public constructor ({@code new PgChatStates(jdbi)}, {@code new PgPendingReplies(jdbi)}) has {@link #AT_ONCE}: it
 * never holds, its writes go at once, as a partner who makes a store of his own expects of it. Every store, however
 * made, sends what another holds in the thread's transaction before its own statement that reads or deletes what is
 * held or writes after it (an append, a chat state: {@link #atOnce}), and takes it with its done mark: the scope is the thread's transaction, not the instance's, so a store made
 * apart and mixed with {@code PgStores}' ones (a partner's forget, a chat states of his own) cannot miss a held write.
 * Before, each constructor made a holder of its own, and a forget made apart left a reply {@code PgStores}' append
 * held, his name in it, to be queued after the forget.
 *
 * <p>Held only where nothing can miss them: in a transaction a {@link PgTransactions#inOne} opened (which sends what is
 * still held before its commit, and drops it with a rollback), and only once a {@link PgProcessedUpdates} claimed an
 * update in it (the done mark will follow). Every other call of {@link PgPendingReplies}, {@link PgChatStates#load}
 * and {@link PgPersonalData#forget} (the only other SQL that reads or writes the outbox or the chat states) sends
 * them first, so no statement of the transaction sees either table without them. At most one of each is held: a
 * second chat state sends the first at once; a second append joins the one held ({@link #hold(Jdbi, Append)}), so
 * that one statement takes every chat's row in order. The writes are in the one transaction either way: a crash
 * before the commit leaves none of them.
 */
final class HeldWrites {
    /**
     * The append's binds, as {@link PgPendingReplies} made them: a row per reply (its chat, its body, when it was
     * queued, its origin or null), and the latest turn any of their chats may be given.
     */
    record Append(Long[] chats, String[] bodies, Instant[] queuedAt, String[] origins, Instant latestTurn) {
        /**
         * This append and then {@code next}, as one: its replies after these, each with its own time and origin, and
         * the later of the two latest turns (each is its append's time plus the longest pacing: the later one is the
         * bound of every chat in both).
         */
        Append then(Append next) {
            return new Append(joined(chats, next.chats), joined(bodies, next.bodies), joined(queuedAt, next.queuedAt),
                    joined(origins, next.origins),
                    next.latestTurn.isAfter(latestTurn) ? next.latestTurn : latestTurn);
        }

        private static <T> T[] joined(T[] first, T[] second) {
            T[] both = java.util.Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }
    }

    /** A chat state's write, as {@link PgChatStates#save} was given it. */
    record ChatState(long chatId, String state) {
    }

    /** What the done mark takes with it. */
    record Held(Optional<ChatState> state, Optional<Append> append) {
        boolean isEmpty() {
            return state.isEmpty() && append.isEmpty();
        }
    }

    /** The transaction's handle, whether an update was claimed in it, and the writes held. */
    private static final class Scope {
        private final Handle handle;
        private boolean claimed;
        /** The chat of the update claimed, whose answers the done mark will queue. */
        private Optional<Long> claimedChat = Optional.empty();
        private Optional<Append> held = Optional.empty();
        private Optional<ChatState> state = Optional.empty();

        Scope(Handle handle) {
            this.handle = handle;
        }
    }

    /** The stores {@link PgStores#create} makes: they hold their writes where they may. */
    static final HeldWrites HOLDING = new HeldWrites(true);
    /** A store made by its public constructor: it never holds (its writes go at once), and sends what others hold. */
    static final HeldWrites AT_ONCE = new HeldWrites(false);

    /** The thread's transaction's scope, whichever holder opened it: one for every store on the thread. */
    private static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

    private final boolean holds;

    private HeldWrites(boolean holds) {
        this.holds = holds;
    }

    /** Opens the scope of a transaction {@code inOne} began; false when one is open already (a nested call). */
    boolean open(Handle h) {
        if (SCOPE.get() != null) {
            return false;
        }
        SCOPE.set(new Scope(h));
        return true;
    }

    /** Ends the scope (after the commit, or with the rollback: what is still held is dropped with it). */
    void close() {
        SCOPE.remove();
    }

    /**
     * An update of {@code chatId} was claimed in this thread's transaction: its done mark will come, and may carry an
     * append.
     */
    void claimed(Jdbi jdbi, long chatId) {
        current(jdbi).ifPresent(s -> {
            s.claimed = true;
            s.claimedChat = Optional.of(chatId);
        });
    }

    /**
     * The chat of the update claimed in this thread's transaction, if one was: its handling answers there, and its
     * done mark takes that chat's row of {@code outbox_chats} last unless a statement took it before.
     */
    Optional<Long> claimedChat(Jdbi jdbi) {
        return current(jdbi).flatMap(s -> s.claimedChat);
    }

    /**
     * Holds {@code append} if this holder holds and this thread's transaction may, after the one held before it: the
     * two become one append, sent as one statement.
     *
     * <p>One statement takes all its chats' rows of {@code outbox_chats} in the order of their ids
     * ({@link PgPendingReplies#APPEND_STEPS}), as a forget does. Sent at once when a second came, the first append
     * took its chats' rows before the second's, whatever their ids: a handling that showed a request to an admin and
     * then answered the user ({@code ManualTopUpDesk}'s «Оплачено») took the admin's row, then the user's, while a
     * forget of that user took his, then the admin's: a deadlock, the handling run again or the forget failed.
     *
     * @return false when it is not held: the caller runs it now, after what another store holds ({@link #atOnce})
     */
    boolean hold(Jdbi jdbi, Append append) {
        Optional<Scope> s = current(jdbi).filter(open -> holds && open.claimed);
        if (s.isEmpty()) {
            atOnce(jdbi);
            return false;
        }
        s.get().held = Optional.of(s.get().held.map(before -> before.then(append)).orElse(append));
        return true;
    }

    /**
     * Holds {@code state} if this holder holds and this thread's transaction may, sending the one held before it
     * first.
     *
     * @return false when it is not held: the caller writes it now, after what another store holds ({@link #atOnce})
     */
    boolean hold(Jdbi jdbi, ChatState state) {
        Optional<Scope> s = current(jdbi).filter(open -> holds && open.claimed);
        if (s.isEmpty()) {
            atOnce(jdbi);
            return false;
        }
        Optional<ChatState> before = s.get().state;
        s.get().state = Optional.of(state);
        before.ifPresent(c -> PgChatStates.saveNow(s.get().handle, c));
        return true;
    }

    /**
     * A write that goes at once (an {@link #AT_ONCE} store's, in a handling of {@code PgStores}' ones) sends what they
     * hold first: written at once, an append took lower ids than the replies held before it (sent first, out of the
     * handling's order), and a chat state was overwritten by the older one the done mark carried. Nothing is held
     * when no {@link #HOLDING} store shares the transaction: no statement more on the hot path.
     */
    private void atOnce(Jdbi jdbi) {
        send(jdbi);
    }

    /** Takes what is held in this thread's transaction, for the done mark to carry. */
    Held take(Jdbi jdbi) {
        Optional<Scope> s = current(jdbi);
        if (s.isEmpty()) {
            return new Held(Optional.empty(), Optional.empty());
        }
        Held held = new Held(s.get().state, s.get().held);
        s.get().state = Optional.empty();
        s.get().held = Optional.empty();
        return held;
    }

    /**
     * Sends what is held in this thread's transaction, if anything: before any other statement on the outbox or the
     * chat states, and before the commit.
     */
    void send(Jdbi jdbi) {
        current(jdbi).ifPresent(s -> {
            Held held = new Held(s.state, s.held);
            s.state = Optional.empty();
            s.held = Optional.empty();
            held.state().ifPresent(c -> PgChatStates.saveNow(s.handle, c));
            held.append().ifPresent(a -> PgPendingReplies.appendNow(s.handle, a));
        });
    }

    /** The scope of this thread's transaction, if that is the one open (its handle the thread's now). */
    private Optional<Scope> current(Jdbi jdbi) {
        Scope s = SCOPE.get();
        if (s == null) {
            return Optional.empty();
        }
        Optional<Handle> tx = PgTransactions.current(jdbi);
        return tx.isPresent() && tx.get() == s.handle ? Optional.of(s) : Optional.empty();
    }
}
