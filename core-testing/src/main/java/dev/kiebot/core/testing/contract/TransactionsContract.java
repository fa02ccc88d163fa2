package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule {@link Transactions} states and the shop relies on: every store's writes inside one {@code inOne} commit
 * together or not at all, and none is seen by another thread before the commit. An update's handling writes to
 * several stores at once (the money moved, the job created, a new user, the chat's state, the queued replies, the
 * update's done mark); a store that writes on a connection of its own, outside the caller's transaction, keeps its
 * part of a handling that was rolled back — a job with no money held for it, a reply to an update that will be handled
 * again, an update marked done that was never handled. No store's own contract sees it: it shows only across stores.
 * Extend it with your whole stores, empty, over one database, as {@code PgContractsTest} does. core-testing's
 * in-memory stores keep no transactions to roll back, which is why they are for tests that handle one update at a
 * time.
 */
public abstract class TransactionsContract {
    private static final long U = 42;
    private static final long UPDATE = 900;
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    /** The reads on a thread of its own: another transaction's view, not the one in hand. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "contract-elsewhere").start();

    private Stores stores;

    /** For your test class that extends it. */
    protected TransactionsContract() {
    }

    /**
     * Fresh, empty stores, called before each test.
     *
     * @param clock the clock your stores read, if any
     * @return every store, empty, over one database, sharing its {@link Stores#transactions()}
     */
    protected abstract Stores create(MutableClock clock);

    /**
     * Whether what your stores commit survives a restart of the process: {@link Transactions#durable()}'s answer, which
     * {@link #theTransactionsSayWhetherTheStoresAreDurable} checks. Stores over a database say yes, as the default
     * does; override it to say no only for stores over a database kept in memory (H2's {@code mem:}, say).
     *
     * @return true unless overridden
     */
    protected boolean durable() {
        return true;
    }

    @BeforeEach
    void emptyStores() {
        stores = create(MutableClock.at(T0.toString()));
        assertThat(stores.processedUpdates().record(UPDATE, U, "{}", T0)).isTrue();
    }

    /**
     * {@code Shop.Builder.build()} asks {@link Transactions#durable()} alone whether the stores keep what they
     * commit: a wrapper (tracing, metrics) that answers no over a database keeps the shop from being built, and one
     * that answers yes over memory lets a shop run that loses every balance when it stops. Asked inside a transaction
     * too.
     */
    @Test
    void theTransactionsSayWhetherTheStoresAreDurable() {
        assertThat(stores.transactions().durable()).as("Transactions.durable()").isEqualTo(durable());
        assertThat(stores.transactions().inOne(() -> stores.transactions().durable())).as("inside a transaction")
                .isEqualTo(durable());
    }

    @Test
    void aTransactionThatThrowsKeepsNoStoresWrites() {
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            writeToEveryStore();
            throw new IllegalStateException("the handling failed");
        })).hasMessage("the handling failed");

        assertThat(seenFromAnotherThread()).as("kept after the rollback").isEmpty();
        PendingUpdate again = stores.transactions().inOne(() -> stores.processedUpdates().claimNext())
                .orElseThrow(() -> new AssertionError("the update was marked done by a rolled-back transaction"));
        assertThat(again.updateId()).isEqualTo(UPDATE);
    }

    @Test
    void noStoresWriteIsSeenByAnotherThreadBeforeTheCommit() {
        AtomicReference<List<String>> seenMeanwhile = new AtomicReference<>();
        stores.transactions().inOne(() -> {
            writeToEveryStore();
            seenMeanwhile.set(seenFromAnotherThread());
            return null;
        });

        assertThat(seenMeanwhile.get()).as("seen before the commit").isEmpty();
        assertThat(seenFromAnotherThread()).as("after the commit").hasSize(6);
    }

    /** What one handling writes: a user, the money, a job, the chat's state, a reply, and the update's done mark. */
    private void writeToEveryStore() {
        assertThat(stores.users().seen(U, "Ann", Optional.empty(), Optional.of("en"), T0).created()).isTrue();
        assertThat(stores.ledger().transfer("tx-contract", AccountId.STARS_CLEARING, AccountId.wallet(U), 7_500,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        Job job = stores.jobs().create(new JobDraft(U, U, "en", "google/nano-banana", "default",
                Map.of("prompt", "a cat in a hat"), Map.of(), 312, false, T0, T0.plusSeconds(600)));
        assertThat(job.userId()).isEqualTo(U);
        stores.chatStates().save(U, "1;topup;");
        stores.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(U, "hello", Keyboard.NONE))), T0);
        PendingUpdate claimed = stores.processedUpdates().claimNext().orElseThrow();
        stores.processedUpdates().done(claimed.updateId(), T0);
    }

    /** The writes of {@link #writeToEveryStore} another thread sees, each named; empty when it sees none. */
    private List<String> seenFromAnotherThread() {
        return CompletableFuture.supplyAsync(() -> {
            List<String> seen = new ArrayList<>();
            stores.users().find(U).ifPresent(u -> seen.add("the user"));
            stores.ledger().find("tx-contract").ifPresent(t -> seen.add("the transfer"));
            if (!stores.jobs().recent(U, 10).isEmpty()) {
                seen.add("the job");
            }
            stores.chatStates().load(U).ifPresent(s -> seen.add("the chat's session"));
            stores.pendingReplies().oldestWaiting().ifPresent(at -> seen.add("the reply"));
            if (stores.processedUpdates().oldestPending().isEmpty()) {
                seen.add("the done mark");
            }
            return seen;
        }, ELSEWHERE).orTimeout(30, TimeUnit.SECONDS).join();
    }
}
