package dev.kiebot.core.shop;

import java.util.function.Supplier;

/**
 * All-or-nothing (port): every store write made inside {@link #inOne} commits together, or none does. What
 * must happen only once the writes are durable — sending an answer to Telegram, waking another thread — is
 * registered with {@link #afterCommit}.
 *
 * <p>What the shop relies on, and what a partner's implementation (with its stores) must keep:
 * <ul>
 *   <li><b>One transaction per thread, shared by every store.</b> A transaction belongs to the thread that opened
 *       it, and every call of every store in {@link Stores} made on that thread inside {@link #inOne} reads and
 *       writes through it (PostgreSQL: one connection bound to the thread, as {@code PgTransactions} binds Jdbi's
 *       handle). A store that takes a connection of its own commits its writes alone: a failed update then leaves a
 *       hold without its job, or a job moved without its notice.</li>
 *   <li><b>A failure undoes everything.</b> When {@code work} throws, none of its writes survive, its
 *       {@link #afterCommit} actions never run, and the exception reaches the caller ({@code Storefront.serve} then
 *       answers the user in a transaction of its own). The converse holds too: once it committed, nothing an
 *       {@link #afterCommit} action throws reaches the caller.</li>
 *   <li><b>Locks last until the end.</b> What a store locks inside the transaction (the chat claimed by
 *       {@code ProcessedUpdates.claimNext}, a charge by {@code Payments.lockCharge}) stays locked until it commits
 *       or rolls back, and no longer.</li>
 *   <li><b>A retry starts from nothing.</b> An implementation may run {@code work} again after the database aborted
 *       the transaction to keep concurrent ones apart (a serialization failure, a deadlock), because nothing of the
 *       aborted attempt survived, its {@link #afterCommit} actions included. It must not re-run work whose attempt
 *       may have committed (a lost answer to COMMIT). The shop's own work inside a transaction calls nothing but
 *       the stores (replies are queued, calls to Telegram wait for {@link #afterCommit}), so it may run twice.</li>
 * </ul>
 * {@code core-testing}'s {@code InMemoryTransactions} keeps only the last two for the claims of its queues: it
 * undoes no write on a failure, which is why the in-memory stores are for tests.
 */
public interface Transactions {
    /**
     * Runs {@code work} in one transaction and commits it when {@code work} returns. Inside a transaction already
     * (on this thread) it joins it: nothing commits until the outermost call returns, and a failure of the inner
     * work fails the whole.
     *
     * @param <T>  what the work answers
     * @param work the store calls to make together; it may run more than once (see the class), so it calls nothing
     *             outside the stores: what must reach the outside world waits for {@link #afterCommit}
     * @return what {@code work} returned: committed by then, unless this call joined an outer transaction
     * @throws RuntimeException what {@code work} threw, after rolling back; or the database's failure to commit
     */
    <T> T inOne(Supplier<T> work);

    /**
     * Runs {@code action} after the current transaction commits (never if it rolls back); at once outside one. The
     * action runs on the committing thread: what may take long hands itself to an executor.
     *
     * <p>An action that throws has failed alone: an implementation logs its exception and still runs the actions
     * registered after it, and {@link #inOne} then returns as the committed work's call does — it must not throw that
     * exception, which its caller would take for a failure of the work ({@code Storefront.serve} would apologize,
     * «nothing was charged», to a user whose order had committed with his money held). Nor does it throw outside a
     * transaction. Core's own actions catch their failures themselves; yours may not. {@code QueuesContract} checks
     * it.
     *
     * @param action what to do once the writes are durable; what it throws must not undo the commit (it happened),
     *               reach the caller of {@link #inOne}, or keep the other actions from running
     */
    void afterCommit(Runnable action);

    /**
     * Whether this thread is inside {@link #inOne}. {@code Storefront.serve} refuses to run inside a transaction
     * (its rollback would undo nothing there, and a failed update's writes would commit with the caller's), so every
     * implementation says: one that always answered {@code false} would turn that guard off. A wrapper forwards it.
     * {@code QueuesContract.transactionsSayWhetherThisThreadIsInOne} checks it.
     *
     * @return true inside {@link #inOne} on the calling thread
     */
    boolean active();

    /**
     * Whether what commits here, and in every store that joins these transactions, survives a restart of the process.
     * {@code Shop.Builder.build()} refuses stores whose transactions say no unless told the shop is a test's
     * ({@code Shop.Builder.inMemoryForTests()}): a shop on memory loses every balance, job and payment when it stops.
     * A database's transactions ({@code PgTransactions}, yours) say yes; {@code core-testing}'s
     * {@code InMemoryTransactions} says no, and so must any of yours that keeps its writes in memory. No default, so
     * that a wrapper (tracing, metrics) forwards it as it forwards {@link #active()}: one that forwarded only the other
     * methods of in-memory transactions said yes, and a shop on memory was built. It speaks for the stores as a whole;
     * a store that keeps its rows in memory says so itself ({@link KeptInMemory}, as {@code core-testing}'s do), and
     * the builder refuses it beside durable transactions too. Every store must be durable, and join these
     * transactions.
     *
     * @return true when committed writes are on durable storage; false when they live in memory
     */
    boolean durable();
}
