package dev.kiebot.postgres;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A handling transaction's last two writes, the chat state's and the outbox append, held until the update's done mark
 * so that the three go to PostgreSQL as one statement: two round trips less per handled update (issue 13,
 * BENCHMARKS.md section 68). Neither answers anything the handling reads. The ports stay as they are (core saves the
 * chat's state and queues its replies, then its inbox marks the update done); only these stores, made together by
 * {@link PgStores#create}, know of it.
 *
 * <p>Held only where nothing can miss them: in a transaction {@link PgTransactions#inOne} opened (which sends what is
 * still held before its commit, and drops it with a rollback), and only once {@link PgProcessedUpdates} claimed an
 * update in it (the done mark will follow). Every other call of {@link PgPendingReplies}, {@link PgChatStates#load}
 * and {@link PgPersonalData#forget} (the only other SQL that reads or writes the outbox or the chat states) sends
 * them first, so no statement of the transaction sees either table without them. At most one of each is held: a
 * second one sends the first at once. The writes are in the one transaction either way: a crash before the commit
 * leaves none of them.
 */
final class HeldWrites {
    /** The append's binds, as {@link PgPendingReplies} made them. */
    record Append(Long[] chats, String[] bodies, Instant queuedAt, Instant latestTurn, Optional<String> origin) {
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
        private Optional<Append> held = Optional.empty();
        private Optional<ChatState> state = Optional.empty();

        Scope(Handle handle) {
            this.handle = handle;
        }
    }

    private final ThreadLocal<Scope> scope = new ThreadLocal<>();

    /** Opens the scope of a transaction {@code inOne} began; false when one is open already (a nested call). */
    boolean open(Handle h) {
        if (scope.get() != null) {
            return false;
        }
        scope.set(new Scope(h));
        return true;
    }

    /** Ends the scope (after the commit, or with the rollback: what is still held is dropped with it). */
    void close() {
        scope.remove();
    }

    /** An update was claimed in this thread's transaction: its done mark will come, and may carry an append. */
    void claimed(Jdbi jdbi) {
        current(jdbi).ifPresent(s -> s.claimed = true);
    }

    /**
     * Holds {@code append} if this thread's transaction may, sending the one held before it first.
     *
     * @return false when it is not held: the caller runs it now
     */
    boolean hold(Jdbi jdbi, Append append) {
        Optional<Scope> s = current(jdbi).filter(open -> open.claimed);
        if (s.isEmpty()) {
            return false;
        }
        Optional<Append> before = s.get().held;
        s.get().held = Optional.of(append);
        before.ifPresent(a -> PgPendingReplies.appendNow(s.get().handle, a));
        return true;
    }

    /**
     * Holds {@code state} if this thread's transaction may, sending the one held before it first.
     *
     * @return false when it is not held: the caller writes it now
     */
    boolean hold(Jdbi jdbi, ChatState state) {
        Optional<Scope> s = current(jdbi).filter(open -> open.claimed);
        if (s.isEmpty()) {
            return false;
        }
        Optional<ChatState> before = s.get().state;
        s.get().state = Optional.of(state);
        before.ifPresent(c -> PgChatStates.saveNow(s.get().handle, c));
        return true;
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
        Scope s = scope.get();
        if (s == null) {
            return Optional.empty();
        }
        Optional<Handle> tx = PgTransactions.current(jdbi);
        return tx.isPresent() && tx.get() == s.handle ? Optional.of(s) : Optional.empty();
    }
}
