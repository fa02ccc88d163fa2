package dev.kiebot.postgres;

import dev.kiebot.core.shop.Transactions;
import java.util.Objects;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.HandleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL transaction around a piece of work. Jdbi binds the transaction's handle to the thread, and
 * every store's {@code jdbi.withHandle} on that thread reuses it, so all their writes commit together. A
 * serialization failure or deadlock aborts the whole transaction; the work is then run again from the start
 * (a bounded number of times), which is safe because nothing it did survived.
 */
public final class PgTransactions implements Transactions {
    /** Attempts at a transaction PostgreSQL aborted to keep concurrent transactions apart. */
    static final int ATTEMPTS_MAX = 3;
    private static final Logger LOG = LoggerFactory.getLogger(PgTransactions.class);

    private final Jdbi jdbi;
    private final HeldWrites held;

    /**
     * Each transaction it opens is one the stores {@link PgStores#create} makes may hold writes in, and it sends what
     * is still held before the commit ({@link HeldWrites}), however this one was made.
     */
    public PgTransactions(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.held = HeldWrites.AT_ONCE;
    }

    /** The transaction this thread is in, if any. */
    static java.util.Optional<Handle> current(Jdbi jdbi) {
        HandleSupplier s = jdbi.getHandleScope().get();
        if (s == null) {
            return java.util.Optional.empty();
        }
        Handle h = s.getHandle();
        return h.isInTransaction() ? java.util.Optional.of(h) : java.util.Optional.empty();
    }

    @Override
    public <T> T inOne(Supplier<T> work) {
        if (current(jdbi).isPresent()) {
            return work.get();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(h -> {
                    boolean opened = held.open(h);
                    try {
                        T result = work.get();
                        if (opened) {
                            held.send(jdbi); // in the transaction, before its commit: all or nothing still
                        }
                        return result;
                    } finally {
                        if (opened) {
                            held.close(); // a rollback drops what was held with everything else
                        }
                    }
                });
            } catch (RuntimeException e) {
                String state = Sql.sqlState(e);
                boolean conflict = "40001".equals(state) || "40P01".equals(state);
                if (!conflict || attempt >= ATTEMPTS_MAX) {
                    throw e;
                }
            }
        }
    }

    @Override
    public boolean active() {
        return current(jdbi).isPresent();
    }

    /** What commits here is in PostgreSQL, on its disk: a restart of the process loses nothing. */
    @Override
    public boolean durable() {
        return true;
    }

    /**
     * Jdbi runs a handle's after-commit callbacks in a loop inside {@code commit()}, and one that throws ends the
     * loop and leaves {@code inOne} with its exception: the callbacks behind it were skipped and the caller took work
     * that had committed for failed ({@code Storefront.serve} apologized for an order whose money was held). Each
     * action is therefore run apart, its failure logged.
     */
    @Override
    public void afterCommit(Runnable action) {
        java.util.Optional<Handle> tx = current(jdbi);
        if (tx.isPresent()) {
            tx.get().afterCommit(() -> runAlone(action));
        } else {
            runAlone(action);
        }
    }

    private static void runAlone(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("an action after a commit failed; the transaction stands and the other actions ran", e);
        }
    }
}
