package dev.kiebot.postgres;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A handling transaction's outbox append, held until the update's done mark so that the two go to PostgreSQL as one
 * statement: one round trip less per handled update (issue 13, BENCHMARKS.md section 68). The ports stay as they are
 * (core queues its replies, then its inbox marks the update done); only these stores, made together by
 * {@link PgStores#create}, know of it.
 *
 * <p>Held only where nothing can miss it: in a transaction {@link PgTransactions#inOne} opened (which sends what is
 * still held before its commit, and drops it with a rollback), and only once {@link PgProcessedUpdates} claimed an
 * update in it (the done mark will follow). Every other call of {@link PgPendingReplies} and of
 * {@link PgPersonalData} (the only other SQL that reads or writes the outbox) sends it first, so no statement of the
 * transaction sees the outbox without it. At most one append is held: a second one sends the first at once. The
 * writes are in the one transaction either way: a crash before the commit leaves none of them.
 */
final class HeldReplies {
    /** The append's binds, as {@link PgPendingReplies} made them. */
    record Append(Long[] chats, String[] bodies, Instant queuedAt, Instant latestTurn, Optional<String> origin) {
    }

    /** The transaction's handle, whether an update was claimed in it, and the append held. */
    private static final class Scope {
        private final Handle handle;
        private boolean claimed;
        private Optional<Append> held = Optional.empty();

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
        send(s.get());
        s.get().held = Optional.of(append);
        return true;
    }

    /** Takes the append held in this thread's transaction, for the done mark to carry. */
    Optional<Append> take(Jdbi jdbi) {
        Optional<Scope> s = current(jdbi);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Optional<Append> held = s.get().held;
        s.get().held = Optional.empty();
        return held;
    }

    /** Sends the append held in this thread's transaction, if any: before any other outbox statement, and the commit. */
    void send(Jdbi jdbi) {
        current(jdbi).ifPresent(this::send);
    }

    private void send(Scope s) {
        Optional<Append> held = s.held;
        s.held = Optional.empty();
        held.ifPresent(a -> PgPendingReplies.appendNow(s.handle, a));
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
