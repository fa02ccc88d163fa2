package dev.kiebot.postgres;

import dev.kiebot.core.shop.Transactions;
import java.util.Objects;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.HandleSupplier;

/**
 * One PostgreSQL transaction around a piece of work. Jdbi binds the transaction's handle to the thread, and
 * every store's {@code jdbi.withHandle} on that thread reuses it, so all their writes commit together. A
 * serialization failure or deadlock aborts the whole transaction; the work is then run again from the start
 * (a bounded number of times), which is safe because nothing it did survived.
 */
public final class PgTransactions implements Transactions {
    /** Attempts at a transaction PostgreSQL aborted to keep concurrent transactions apart. */
    static final int ATTEMPTS_MAX = 3;

    private final Jdbi jdbi;

    public PgTransactions(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
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
                return jdbi.inTransaction(h -> work.get());
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

    @Override
    public void afterCommit(Runnable action) {
        java.util.Optional<Handle> tx = current(jdbi);
        if (tx.isPresent()) {
            tx.get().afterCommit(action);
        } else {
            action.run();
        }
    }
}
