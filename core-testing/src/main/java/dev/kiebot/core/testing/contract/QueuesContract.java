package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kiebot.core.intake.ArrivedUpdate;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two queues, in and out: the update inbox ({@link ProcessedUpdates}) and the outbox
 * ({@link PendingReplies}). Both hand out one chat at a time, in order: the inbox to a transaction (the claim
 * ends with it), the outbox to a sender for a lease (the claim commits at once, so nobody queueing a reply waits
 * for the send). Extend it with fresh, empty stores sharing one {@link Transactions}.
 */
@SuppressWarnings("ReturnValueIgnored") // orElseThrow() here asserts that the store found it: the contract fails when not
public abstract class QueuesContract {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "contract-elsewhere").start();

    /** When the tests' updates arrive and their replies are queued: their instants are counted from it. */
    protected static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    /** A message id past {@code int}, as Discord gives (its 64-bit snowflakes). */
    protected static final long SNOWFLAKE = 1_312_345_678_901_234_567L;
    /**
     * How long a {@code reclaim} must stay blocked behind a transaction holding its chat. Not a synchronisation (the
     * test releases the holder afterwards either way): a store that does not wait answers well within it.
     */
    private static final long HOLDER_WAIT_MILLIS = 300;

    /**
     * The inbox. Its calls made inside a transaction of {@link #transactions()} join it: a claimed chat stays claimed
     * until that transaction ends, and a rolled-back handling's update comes back. Called many times a test, from
     * several threads: every call must reach the same data, kept since the last {@link #reset()} (one object made
     * there, or a new one over the same database each time, as {@code PgContractsTest} does).
     *
     * @return the inbox under test
     */
    protected abstract ProcessedUpdates processedUpdates();

    /**
     * The outbox. A claim commits at once (a lease, not a transaction's hold). Called as {@link #processedUpdates()}
     * is: every call must reach the same data, kept since the last {@link #reset()}.
     *
     * @return the outbox under test
     */
    protected abstract PendingReplies pendingReplies();

    /**
     * The transactions the two stores' calls join: {@code inOne} runs its work in one transaction of the calling
     * thread, as the shop's handling of an update does.
     *
     * @return the transactions of the stores under test
     */
    protected abstract Transactions transactions();

    /** Called before each test: empty every store (the methods above then reach empty stores until the next). */
    protected abstract void reset();

    /**
     * Puts in the outbox's store a reply it moved aside unsent ({@link PendingReplies#forgetDeadLetters}), as a
     * store does with one it cannot read a day after it was queued: {@code id} its reply's id, moved at
     * {@code movedAt}, its body any reply to {@code chatId}. Override it for a store that moves replies aside
     * (kiebot's PostgreSQL one writes its {@code outbox_dead_letters} row); the default puts none, for a store that
     * reads every reply it queued, whose {@link PendingReplies#forgetDeadLetters} then forgets nothing.
     *
     * @param id      the dead letter's id, as its reply's was in the queue
     * @param chatId  the chat the reply was for
     * @param movedAt when it was moved aside
     * @return whether the store keeps it; false by default
     */
    protected boolean deadLetter(long id, long chatId, Instant movedAt) {
        return false;
    }

    /**
     * The ids of the replies the outbox's store keeps moved aside ({@link #deadLetter}), in any order.
     *
     * @return the ids; none by default
     */
    protected List<Long> deadLetters() {
        return List.of();
    }

    /** For your test class that extends it. */
    protected QueuesContract() {
    }

    @BeforeEach
    void resetStores() {
        reset();
    }

    private <T> T inOne(Supplier<T> work) {
        return transactions().inOne(work);
    }

    /** Runs {@code work} in a transaction on another thread, holding it open until {@code release} opens. */
    private <T> CompletableFuture<T> holding(Supplier<T> work, CountDownLatch holding, CountDownLatch release) {
        return CompletableFuture.supplyAsync(() -> inOne(() -> {
            T result = work.get();
            holding.countDown();
            awaitRelease(release);
            return result;
        }), ELSEWHERE);
    }

    /** As {@link #holding}, but the transaction then fails: what {@code work} did is rolled back. */
    private CompletableFuture<Void> holdingThenFailing(Runnable work, CountDownLatch holding, CountDownLatch release) {
        return CompletableFuture.supplyAsync(() -> inOne(() -> {
            work.run();
            holding.countDown();
            awaitRelease(release);
            throw new IllegalStateException("the handling failed");
        }), ELSEWHERE);
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code work} in a transaction on a thread of its own, whatever the common pool's size and load. */
    private <T> CompletableFuture<T> inOneElsewhere(Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> inOne(work), ELSEWHERE);
    }

    // ---- the inbox ------------------------------------------------------------------------------------

    /** {@code Storefront.serve} refuses to run inside a transaction, where its rollback would undo nothing. */
    @Test
    void transactionsSayWhetherThisThreadIsInOne() {
        assertThat(transactions().active()).as("outside").isFalse();
        assertThat(transactions().inOne(() -> transactions().active())).as("inside").isTrue();
        assertThat(transactions().inOne(() -> transactions().inOne(() -> transactions().active()))).as("joined")
                .isTrue();
        assertThat(transactions().active()).as("after it").isFalse();
    }

    /**
     * An after-commit action that throws fails alone: the work stays committed, the actions behind it still run, and
     * {@code inOne} returns the work's answer. Thrown out of {@code inOne}, {@code Storefront.serve} took an order
     * that had committed, its money held, for failed and told the user nothing was charged; and the actions behind
     * it (an admin's Stars refund handed to Telegram) were skipped.
     */
    @Test
    void anAfterCommitActionThatThrowsNeitherFailsTheCommittedWorkNorSkipsTheOthers() {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        String answered = inOne(() -> {
            pendingReplies().append(List.of(text(1, "committed")), T0);
            transactions().afterCommit(() -> ran.add("before"));
            transactions().afterCommit(() -> {
                throw new IllegalStateException("the chat platform refused a button's answer");
            });
            transactions().afterCommit(() -> ran.add("after"));
            return "the work's answer";
        });
        assertThat(answered).isEqualTo("the work's answer");
        assertThat(ran).containsExactly("before", "after");
        assertThat(take(T0)).as("the work's write").contains("committed");
    }

    @Test
    void updatesAreRecordedOnceEvenWhenRacing() throws Exception {
        int threads = 8;
        AtomicInteger firsts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(pool.submit(() -> {
                start.await();
                if (processedUpdates().record(900, 1, "{}", T0)) {
                    firsts.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(firsts.get()).isEqualTo(1);
    }

    /**
     * An update id is unique across the bot, not per chat (Telegram's are): the record is keyed by the id alone, as
     * {@code Incoming.updateId} and {@link ProcessedUpdates} say, so an id already recorded for one chat is a
     * re-delivery for another, in one call or in a batch, and is not handed out. A platform whose ids count per chat
     * maps them to ids of its own before recording.
     */
    @Test
    void anUpdateIdIsRecordedOnceWhateverItsChat() {
        assertThat(processedUpdates().record(1, 42, "chat 42's", T0)).isTrue();
        assertThat(processedUpdates().record(1, 43, "chat 43's, same id", T0)).as("a re-delivery").isFalse();
        assertThat(processedUpdates().recordAll(List.of(new ArrivedUpdate(1, 44, "chat 44's, same id"),
                new ArrivedUpdate(2, 45, "b"), new ArrivedUpdate(2, 46, "c")), T0)).containsExactly(false, true, false);
        List<PendingUpdate> handed = new ArrayList<>();
        for (Optional<PendingUpdate> u = claimAndDone(); u.isPresent(); u = claimAndDone()) {
            handed.add(u.get());
        }
        assertThat(handed).extracting(PendingUpdate::chatId).containsExactly(42L, 45L);
        assertThat(handed).extracting(PendingUpdate::payload).containsExactly("chat 42's", "b");
    }

    private Optional<PendingUpdate> claimAndDone() {
        return inOne(() -> processedUpdates().claimNext().map(u -> {
            processedUpdates().done(u.updateId(), T0);
            return u;
        }));
    }

    /** The operator's gauge of a stuck inbox: when the oldest update not handled yet came in. */
    @Test
    void theOldestPendingUpdateIsTheFirstNotYetHandled() {
        assertThat(processedUpdates().oldestPending()).isEmpty();
        processedUpdates().record(21, 10, "first", T0);
        processedUpdates().record(22, 20, "second", T0.plusSeconds(5));
        assertThat(processedUpdates().oldestPending()).contains(T0);
        inOne(() -> {
            PendingUpdate u = processedUpdates().claimNext().orElseThrow();
            processedUpdates().done(u.updateId(), T0.plusSeconds(6));
            return u;
        });
        assertThat(processedUpdates().oldestPending()).contains(T0.plusSeconds(5));
    }

    @Test
    void aBatchSaysPerUpdateWhetherItWasNewAndItsUpdatesAreHandedOutInOrder() {
        processedUpdates().record(5, 10, "seen before", T0);
        List<Boolean> added = processedUpdates().recordAll(List.of(new ArrivedUpdate(7, 10, "b"),
                new ArrivedUpdate(5, 10, "again"), new ArrivedUpdate(6, 20, "c"), new ArrivedUpdate(7, 10, "twice"),
                new ArrivedUpdate(4, 10, "a")), T0);
        assertThat(added).containsExactly(true, false, true, false, true);
        assertThat(processedUpdates().recordAll(List.of(), T0)).isEmpty();
        List<Long> handled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inOne(() -> {
                PendingUpdate u = processedUpdates().claimNext().orElseThrow();
                processedUpdates().done(u.updateId(), T0);
                return handled.add(u.updateId());
            });
        }
        assertThat(handled).containsExactly(4L, 5L, 6L, 7L);
    }

    @Test
    void aChatIsHeldByOneTransactionAtATimeAndItsUpdatesComeInOrder() throws Exception {
        processedUpdates().record(1, 10, "a", T0);
        processedUpdates().record(2, 10, "b", T0.plusSeconds(1));
        processedUpdates().record(3, 20, "c", T0.plusSeconds(2));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<PendingUpdate> first = holding(() -> {
            PendingUpdate u = processedUpdates().claimNext().orElseThrow();
            processedUpdates().done(u.updateId(), T0);
            return u;
        }, held, release);
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        PendingUpdate other = inOne(() -> processedUpdates().claimNext().orElseThrow());
        assertThat(other.updateId()).as("chat 10 is held, chat 20 is free").isEqualTo(3);
        release.countDown();
        PendingUpdate u1 = first.get(30, TimeUnit.SECONDS);
        assertThat(u1.updateId()).isEqualTo(1);
        assertThat(u1.payload()).isEqualTo("a");
        assertThat(u1.recordedAt()).isEqualTo(T0);
        assertThat(inOne(() -> processedUpdates().claimNext()).orElseThrow().updateId())
                .as("chat 20's update was not marked done, so it comes back").isIn(2L, 3L);
    }

    /**
     * One claim per transaction: a second claim before the update is done answers the same update again (the
     * transaction holds its chat, and a database's own row lock does not pass it by), not nothing, and once it is
     * done the claim moves on. A store that answered nothing would let a partner's loop that claims until empty in
     * one transaction pass on it, and handle an update twice on a database.
     */
    @Test
    void aSecondClaimInTheSameTransactionReturnsTheChatItHolds() {
        processedUpdates().record(1, 10, "a", T0);
        processedUpdates().record(2, 20, "b", T0.plusSeconds(1));
        processedUpdates().record(3, 10, "c", T0.plusSeconds(2));
        List<Long> claimed = inOne(() -> {
            List<Long> ids = new ArrayList<>();
            ids.add(processedUpdates().claimNext().map(PendingUpdate::updateId).orElse(-1L));
            ids.add(processedUpdates().claimNext().map(PendingUpdate::updateId).orElse(-1L));
            processedUpdates().done(1, T0);
            ids.add(processedUpdates().claimNext().map(PendingUpdate::updateId).orElse(-1L));
            return ids;
        });
        assertThat(claimed).as("again while held, the oldest head once done").containsExactly(1L, 1L, 2L);
        assertThat(inOne(() -> processedUpdates().claimNext()).map(PendingUpdate::updateId))
                .as("2 was not marked done: it comes back after the commit").contains(2L);
    }

    @Test
    void aClaimEndsWithItsTransactionAndARolledBackUpdateComesBack() {
        processedUpdates().record(1, 10, "a", T0);
        assertThatThrownBy(() -> inOne(() -> {
            processedUpdates().claimNext().orElseThrow();
            throw new IllegalStateException("the handler died");
        })).hasMessageContaining("died");
        PendingUpdate again = inOne(() -> {
            PendingUpdate u = processedUpdates().claimNext().orElseThrow();
            processedUpdates().done(u.updateId(), T0);
            return u;
        });
        assertThat(again.updateId()).isEqualTo(1);
        assertThat(inOne(() -> processedUpdates().claimNext())).isEmpty();
    }

    /** Claims update {@code updateId} (its chat's head) and rolls the handling back, as a failed handler does. */
    private void handleAndRollBack(long updateId) {
        assertThatThrownBy(() -> inOne(() -> {
            assertThat(processedUpdates().claimNext().map(PendingUpdate::updateId)).contains(updateId);
            throw new IllegalStateException("the handling failed");
        })).hasMessageContaining("failed");
    }

    @Test
    void aRolledBackUpdateIsReclaimedAndItsChatHeldUntilTheApologyCommits() throws Exception {
        processedUpdates().record(1, 10, "a", T0);
        processedUpdates().record(2, 10, "b", T0.plusSeconds(1));
        processedUpdates().record(3, 20, "c", T0.plusSeconds(2));
        handleAndRollBack(1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<PendingUpdate> apology = holding(() -> {
            PendingUpdate u = processedUpdates().reclaim(1).orElseThrow();
            processedUpdates().done(u.updateId(), T0);
            return u;
        }, held, release);
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(inOne(() -> processedUpdates().claimNext()).map(PendingUpdate::updateId))
                .as("chat 10 is the apology's: another handler takes chat 20").contains(3L);
        release.countDown();
        PendingUpdate u = apology.get(30, TimeUnit.SECONDS);
        assertThat(u.updateId()).isEqualTo(1);
        assertThat(u.chatId()).isEqualTo(10);
        assertThat(u.payload()).isEqualTo("a");
        assertThat(u.recordedAt()).isEqualTo(T0);
        assertThat(inOne(() -> processedUpdates().claimNext()).map(PendingUpdate::updateId))
                .as("the apology marked 1 done; chat 20's claim was not").isIn(Optional.of(2L), Optional.of(3L));
    }

    @Test
    void anUpdateHandledByAnotherAfterTheRollbackIsNotReclaimed() {
        processedUpdates().record(1, 10, "a", T0);
        handleAndRollBack(1);
        inOne(() -> {
            processedUpdates().done(processedUpdates().claimNext().orElseThrow().updateId(), T0);
            return null;
        });
        assertThat(inOne(() -> processedUpdates().reclaim(1))).as("answered by its handler").isEmpty();
        assertThat(inOne(() -> processedUpdates().reclaim(404))).as("never recorded").isEmpty();
    }

    @Test
    void reclaimingWaitsForTheChatsHolderAndSeesItsDoneMark() throws Exception {
        processedUpdates().record(1, 10, "a", T0);
        handleAndRollBack(1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<PendingUpdate> handler = holding(() -> {
            PendingUpdate u = processedUpdates().claimNext().orElseThrow();
            processedUpdates().done(u.updateId(), T0);
            return u;
        }, held, release);
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<PendingUpdate>> reclaimed = inOneElsewhere(() -> processedUpdates().reclaim(1));
        assertThatThrownBy(() -> reclaimed.get(HOLDER_WAIT_MILLIS, TimeUnit.MILLISECONDS))
                .as("reclaim waits while another transaction holds the chat").isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThat(handler.get(30, TimeUnit.SECONDS).updateId()).isEqualTo(1);
        assertThat(reclaimed.get(30, TimeUnit.SECONDS)).as("the holder handled it: nothing to answer").isEmpty();
    }

    @Test
    void reclaimingWaitsForAHolderThatRollsBackAndThenTakesTheUpdate() throws Exception {
        processedUpdates().record(1, 10, "a", T0);
        handleAndRollBack(1);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> failing = holdingThenFailing(() -> processedUpdates().claimNext().orElseThrow(), held,
                release);
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<PendingUpdate>> reclaimed = inOneElsewhere(() -> processedUpdates().reclaim(1));
        assertThatThrownBy(() -> reclaimed.get(HOLDER_WAIT_MILLIS, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
        release.countDown();
        assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("the handling failed");
        assertThat(reclaimed.get(30, TimeUnit.SECONDS).map(PendingUpdate::updateId)).contains(1L);
    }

    @Test
    void concurrentHandlersKeepEachChatInOrder() throws Exception {
        int chats = 5;
        int perChat = 20;
        long id = 1;
        for (int i = 0; i < perChat; i++) {
            for (int c = 0; c < chats; c++) {
                processedUpdates().record(id++, c, "u", T0);
            }
        }
        List<long[]> handled = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            tasks.add(pool.submit(() -> {
                while (handled.size() < chats * perChat) {
                    boolean any = inOne(() -> {
                        Optional<PendingUpdate> u = processedUpdates().claimNext();
                        u.ifPresent(x -> {
                            handled.add(new long[] {x.chatId(), x.updateId()});
                            processedUpdates().done(x.updateId(), T0);
                        });
                        return u.isPresent();
                    });
                    if (!any) {
                        Thread.onSpinWait();
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(handled).hasSize(chats * perChat);
        for (int c = 0; c < chats; c++) {
            long chat = c;
            assertThat(handled.stream().filter(h -> h[0] == chat).map(h -> h[1]).toList()).isSorted();
        }
    }

    @Test
    void handledUpdatesArePurgedAfterRetention() {
        handledUpdatesBeforeTheCutoffArePurgedOthersKept(cutoff -> processedUpdates().purge(cutoff, 10));
    }

    /** The one-statement form ({@code purge(cutoff)}) keeps the same rule as the bounded one. */
    @Test
    void handledUpdatesArePurgedAfterRetentionAllAtOnce() {
        handledUpdatesBeforeTheCutoffArePurgedOthersKept(cutoff -> processedUpdates().purge(cutoff));
    }

    /**
     * A purge forgets handled updates recorded before the cutoff, and nothing else: not one recorded at the cutoff
     * itself (the oldest record kept), and never one not handled yet, however old (an update stuck first in line, or
     * waiting behind its chat's; forgotten, it is lost, and its re-delivery handled as new). One of each, in chats of
     * their own.
     */
    private void handledUpdatesBeforeTheCutoffArePurgedOthersKept(ToIntFunction<Instant> purge) {
        Instant cutoff = T0.plus(Duration.ofDays(7));
        processedUpdates().record(1, 10, "old, handled", T0);
        processedUpdates().record(2, 11, "just before the cutoff, handled", cutoff.minusMillis(1));
        processedUpdates().record(3, 12, "at the cutoff, handled", cutoff);
        for (int i = 0; i < 3; i++) {
            inOne(() -> {
                processedUpdates().done(processedUpdates().claimNext().orElseThrow().updateId(), cutoff);
                return null;
            });
        }
        processedUpdates().record(4, 13, "old, not handled", T0);
        processedUpdates().record(5, 14, "new, not handled", T0.plus(Duration.ofDays(8)));

        assertThat(purge.applyAsInt(cutoff)).isEqualTo(2);
        assertThat(processedUpdates().oldestPending()).as("the old one not handled").contains(T0);
        assertThat(inOne(() -> processedUpdates().claimNext()).orElseThrow().updateId()).isEqualTo(4);
        assertThat(purge.applyAsInt(cutoff)).as("purged already").isZero();
        // a purged id is new again; a kept one is a re-delivery
        assertThat(processedUpdates().record(3, 12, "at the cutoff", cutoff)).as("kept: at the cutoff").isFalse();
        assertThat(processedUpdates().record(4, 13, "old", T0)).as("kept: not handled").isFalse();
        assertThat(processedUpdates().record(5, 14, "new", T0)).as("kept: new").isFalse();
        assertThat(processedUpdates().record(1, 10, "old", cutoff)).as("purged").isTrue();
        assertThat(processedUpdates().record(2, 11, "before the cutoff", cutoff)).as("purged").isTrue();
    }

    @Test
    void theHandledUpdatesPurgeTakesAtMostItsLimitAtATime() {
        for (long id = 1; id <= 3; id++) {
            processedUpdates().record(id, 10 + id, "u" + id, T0);
            inOne(() -> {
                processedUpdates().done(processedUpdates().claimNext().orElseThrow().updateId(), T0);
                return null;
            });
        }
        Instant cutoff = T0.plus(Duration.ofDays(7));

        assertThat(processedUpdates().purge(cutoff, 2)).isEqualTo(2);
        assertThat(processedUpdates().purge(cutoff, 2)).isEqualTo(1);
        assertThat(processedUpdates().purge(cutoff, 2)).isZero();
        // forgotten: each id is new again
        assertThat(processedUpdates().record(1, 11, "u1", cutoff)).isTrue();
    }

    // ---- the outbox -----------------------------------------------------------------------------------

    private static Outgoing text(long chat, String text) {
        return Outgoing.plain(new Reply.SendText(chat, text, Keyboard.NONE));
    }

    /** What a sender claims for (any lease much longer than these tests' steps). */
    private static final Duration LEASE = Duration.ofMinutes(10);

    private Optional<PendingReplies.Queued> claim(Instant now) {
        return inOne(() -> pendingReplies().claim(now, LEASE));
    }

    private boolean done(PendingReplies.Queued q, Instant now) {
        return inOne(() -> pendingReplies().done(q, TokenBucket.full(3, now), now));
    }

    private static String textOf(PendingReplies.Queued q) {
        return ((Reply.SendText) q.outgoing().reply()).text();
    }

    /** Takes the next due reply and marks it done, due again at once. */
    private Optional<String> take(Instant now) {
        return claim(now).map(q -> {
            done(q, now);
            return textOf(q);
        });
    }

    @Test
    void repliesLeaveInOrderPerChatOldestFirst() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2"), text(2, "b1")), T0);
        pendingReplies().append(List.of(text(1, "a3")), T0);
        List<String> sent = new ArrayList<>();
        for (Optional<String> s = take(T0); s.isPresent(); s = take(T0)) {
            sent.add(s.get());
        }
        assertThat(sent).as("the oldest waiting reply first, while pacing allows").containsExactly("a1", "a2", "b1", "a3");
        assertThat(pendingReplies().nextDueAfter(T0)).isEmpty();
    }

    /** The operator's gauge of replies that do not leave: when the oldest one still waiting was queued. */
    @Test
    void theOldestWaitingReplyIsTheFirstNotYetSentEvenOnTheWireOrGivenBack() {
        assertThat(pendingReplies().oldestWaiting()).isEmpty();
        pendingReplies().append(List.of(text(1, "a1")), T0);
        pendingReplies().append(List.of(text(2, "b1")), T0.plusSeconds(5));
        pendingReplies().append(List.of(text(1, "a2")), T0.plusSeconds(10));
        PendingReplies.Queued a1 = claim(T0.plusSeconds(10)).orElseThrow();
        assertThat(pendingReplies().oldestWaiting()).as("on the wire is not sent yet").contains(T0);
        inOne(() -> {
            pendingReplies().release(a1, T0);
            return null;
        });
        assertThat(pendingReplies().oldestWaiting()).as("a reply given back still waits").contains(T0);
        PendingReplies.Queued again = claim(T0.plusSeconds(10)).orElseThrow();
        assertThat(textOf(again)).isEqualTo("a1");
        done(again, T0.plusSeconds(10));
        assertThat(pendingReplies().oldestWaiting()).contains(T0.plusSeconds(5));
        pendingReplies().dropChat(2);
        assertThat(pendingReplies().oldestWaiting()).contains(T0.plusSeconds(10));
        while (take(T0.plusSeconds(3600)).isPresent()) {
            // the rest goes
        }
        assertThat(pendingReplies().oldestWaiting()).isEmpty();
    }

    @Test
    void aLeasedChatIsNotClaimedAgainUntilItsReplyIsDone() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2"), text(2, "b1")), T0);
        PendingReplies.Queued a1 = claim(T0).orElseThrow();
        assertThat(textOf(a1)).isEqualTo("a1");
        assertThat(a1.leasedUntil()).isEqualTo(T0.plus(LEASE));
        assertThat(claim(T0).map(PendingReplies.Queued::chatId)).as("chat 1 is leased, chat 2 is free").contains(2L);
        assertThat(claim(T0)).as("a2 waits for a1's sender").isEmpty();
        assertThat(claim(a1.leasedUntil().minusMillis(1))).as("until the lease ends").isEmpty();
        assertThat(done(a1, T0)).isTrue();
        assertThat(claim(T0).map(QueuesContract::textOf)).contains("a2");
    }

    @Test
    void aLeaseThatEndsMakesTheChatClaimableAgainAndOnlyItsNewHolderSettlesIt() {
        pendingReplies().append(List.of(text(1, "a1")), T0);
        PendingReplies.Queued dead = claim(T0).orElseThrow();
        assertThat(pendingReplies().nextDueAfter(T0)).as("a resting sender wakes when the lease ends")
                .contains(dead.leasedUntil());
        Instant ended = dead.leasedUntil();
        PendingReplies.Queued again = claim(ended).orElseThrow();
        assertThat(again.id()).as("the same reply, sent once more").isEqualTo(dead.id());
        assertThat(again.leasedUntil()).isAfter(dead.leasedUntil());
        pendingReplies().append(List.of(text(1, "a2")), ended);
        assertThat(done(dead, ended)).as("the dead sender's late word changes nothing").isFalse();
        pendingReplies().release(dead, ended);
        assertThat(claim(ended)).as("the chat is still its new holder's").isEmpty();
        assertThat(done(again, ended)).isTrue();
        assertThat(take(ended)).as("a1 left once; a2 is next").contains("a2");
        assertThat(take(ended.plus(LEASE).plus(LEASE))).isEmpty();
    }

    @Test
    void appendingToAChatWhoseReplyIsBeingSentDoesNotWait() {
        pendingReplies().append(List.of(text(1, "a1")), T0);
        PendingReplies.Queued sending = claim(T0).orElseThrow();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> inOne(() -> {
            pendingReplies().append(List.of(text(1, "a2"), text(2, "b1")), T0);
            return null;
        }), "a handler queueing a reply waited for the chat's send");
        assertThat(done(sending, T0)).as("a2 came while a1 was on the wire").isTrue();
        List<String> rest = new ArrayList<>();
        for (Optional<String> s = take(T0); s.isPresent(); s = take(T0)) {
            rest.add(s.get());
        }
        assertThat(rest).containsExactlyInAnyOrder("a2", "b1");
    }

    @Test
    void endingEveryLeaseAtAStartMakesEveryLeasedChatDueAtOnce() {
        pendingReplies().append(List.of(text(1, "one"), text(2, "two"), text(3, "three")), T0);
        PendingReplies.Queued one = claim(T0).orElseThrow();
        claim(T0).orElseThrow();
        Instant restart = T0.plusSeconds(5);

        assertThat(pendingReplies().releaseAll(restart)).as("the earlier run's two leases").isEqualTo(2);
        assertThat(done(one, T0)).as("no longer its sender's").isFalse();
        assertThat(claim(T0).map(PendingReplies.Queued::chatId)).as("the never leased chat").contains(3L);
        assertThat(claim(restart)).as("a released chat, due at the restart").isPresent();
        assertThat(claim(restart)).isPresent();
        assertThat(claim(restart)).isEmpty();
        assertThat(pendingReplies().releaseAll(restart)).isEqualTo(3);
    }

    @Test
    void aReleasedChatIsClaimableAtOnceWithItsReplyStillFirst() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2")), T0);
        PendingReplies.Queued q = claim(T0).orElseThrow();
        Instant released = T0.plusSeconds(1);
        pendingReplies().release(q, released);
        assertThat(claim(T0)).as("due again from the release").isEmpty();
        assertThat(take(released)).contains("a1");
        assertThat(take(released)).contains("a2");
    }

    /**
     * A chat whose send threw (a partner's messenger failing for that chat) is released due now: it goes behind the
     * chats due before it. Claimed by its older head instead, it came first at every claim, and one broken chat kept
     * every other chat's replies from leaving.
     */
    @Test
    void aChatReleasedAfterAFailedSendGoesBehindTheChatsDueBeforeIt() {
        pendingReplies().append(List.of(text(1, "a1")), T0);
        pendingReplies().append(List.of(text(2, "b1")), T0.plusSeconds(1));
        pendingReplies().append(List.of(text(3, "c1")), T0.plusSeconds(2));
        Instant now = T0.plusSeconds(3);
        PendingReplies.Queued broken = claim(now).orElseThrow();
        assertThat(broken.chatId()).as("the chat due first").isEqualTo(1);
        pendingReplies().release(broken, now);
        assertThat(take(now.plusSeconds(1))).as("the chats due before the release first, by due time").contains("b1");
        assertThat(take(now.plusSeconds(1))).contains("c1");
        assertThat(take(now.plusSeconds(1))).contains("a1");
    }

    /** A deferred reply (Telegram unreachable, a long 429): its chat is due when it may go, the reply still first. */
    @Test
    void aChatReleasedUntilLaterIsNotClaimedBeforeThenWhileOtherChatsAre() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2"), text(2, "b1")), T0);
        PendingReplies.Queued q = claim(T0).orElseThrow();
        assertThat(q.chatId()).isEqualTo(1);
        Instant later = T0.plusSeconds(61);
        pendingReplies().release(q, later);
        assertThat(take(T0.plusSeconds(1))).contains("b1");
        assertThat(claim(T0.plusSeconds(60))).as("not before its wait is over").isEmpty();
        assertThat(pendingReplies().nextDueAfter(T0.plusSeconds(60))).contains(later);
        assertThat(take(later)).contains("a1");
        assertThat(take(later)).contains("a2");
    }

    /**
     * A long text some of whose messages went out before Telegram asked to wait: what is still to go takes its place,
     * first in its chat, with the same follow, and only that is sent when the chat is due again (a late word from a
     * lease that ended changes nothing).
     */
    @Test
    void aReplyReleasedWithItsRestGoesOnWithTheRestOnly() {
        pendingReplies().append(List.of(
                new Outgoing(new Reply.SendText(1, "part one, part two", Keyboard.NONE), new Outgoing.Follow.Tagged("t")),
                text(1, "a2")), T0);
        PendingReplies.Queued q = claim(T0).orElseThrow();
        Instant later = T0.plusSeconds(30);
        pendingReplies().releaseRest(q, new Reply.SendText(1, "part two", Keyboard.NONE), later);
        assertThat(claim(T0.plusSeconds(29))).as("not before its wait is over").isEmpty();
        PendingReplies.Queued again = claim(later).orElseThrow();
        assertThat(again.id()).isEqualTo(q.id());
        assertThat(again.outgoing()).isEqualTo(new Outgoing(new Reply.SendText(1, "part two", Keyboard.NONE),
                new Outgoing.Follow.Tagged("t")));
        pendingReplies().releaseRest(q, new Reply.SendText(1, "late", Keyboard.NONE), later);
        assertThat(done(again, later)).isTrue();
        assertThat(take(later)).contains("a2");
    }

    /**
     * What made a reply (the update's or job's correlation id) is kept with it, through a release with its deferral
     * and the rest of a long text, and given back by each claim, so that the sender's lines name it; a reply queued
     * without one has none, and one longer than {@link PendingReplies#ORIGIN_MAX} is kept cut there. Before, the
     * senders logged with no correlation id (review L68).
     */
    @Test
    void aReplysOriginComesBackWithItsClaim() {
        pendingReplies().append(List.of(text(1, "a1"), text(2, "b1")), T0, Optional.of("upd_4711"));
        pendingReplies().append(List.of(text(1, "a2")), T0, Optional.empty());
        pendingReplies().append(List.of(text(3, "c1")), T0, Optional.of("x".repeat(PendingReplies.ORIGIN_MAX + 9)));
        PendingReplies.Queued first = claim(T0).orElseThrow();
        java.util.Map<String, Optional<String>> byText = new java.util.HashMap<>();
        byText.put(textOf(first), first.origin());
        pendingReplies().releaseRest(first, new Reply.SendText(first.chatId(), "rest", Keyboard.NONE), T0,
                new PendingReplies.Deferral(T0, true));
        for (Optional<PendingReplies.Queued> q = claim(T0); q.isPresent(); q = claim(T0)) {
            byText.put(textOf(q.get()), q.get().origin());
            done(q.get(), T0);
        }
        assertThat(byText).containsEntry("a1", Optional.of("upd_4711")).containsEntry("b1", Optional.of("upd_4711"))
                .containsEntry("a2", Optional.empty())
                .containsEntry("c1", Optional.of("x".repeat(PendingReplies.ORIGIN_MAX)))
                .as("kept with the rest of a long text").containsEntry("rest", byText.get(textOf(first)));
    }

    /**
     * What the sender notes of a reply the platform could not take yet (when it was first deferred, whether a try of it
     * threw) is kept with the reply until it leaves: the next claim gives it back, as it would after a restart or to
     * another instance; a release that names none keeps it, a later one replaces it, the rest of a long text keeps
     * it; a late word from a lease that ended changes nothing; the chat's next reply has none. Kept in the sender's
     * memory, a restart started the reply's day again (never given up) and forgot a throw (a result that may have
     * reached the chat refunded as surely not sent).
     */
    @Test
    void aReplysDeferralIsKeptWithItUntilItLeaves() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2")), T0);
        PendingReplies.Queued first = claim(T0).orElseThrow();
        assertThat(first.deferral()).as("never deferred").isEmpty();
        PendingReplies.Deferral deferred = new PendingReplies.Deferral(T0, false);
        pendingReplies().release(first, T0.plusSeconds(15), deferred);
        assertThat(claim(T0.plusSeconds(14))).as("due when it may go").isEmpty();

        PendingReplies.Queued again = claim(T0.plusSeconds(15)).orElseThrow();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.deferral()).contains(deferred);
        pendingReplies().release(again, T0.plusSeconds(16)); // given back: a store failed before the send
        again = claim(T0.plusSeconds(16)).orElseThrow();
        assertThat(again.deferral()).as("kept by a release that names none").contains(deferred);

        PendingReplies.Deferral threw = new PendingReplies.Deferral(T0, true);
        pendingReplies().release(again, T0.plusSeconds(20), threw);
        again = claim(T0.plusSeconds(20)).orElseThrow();
        assertThat(again.deferral()).as("replaced").contains(threw);
        pendingReplies().release(first, T0.plusSeconds(20), deferred);
        pendingReplies().releaseRest(first, new Reply.SendText(1, "late", Keyboard.NONE), T0.plusSeconds(20),
                deferred);
        assertThat(claim(T0.plusSeconds(20))).as("the late word of an ended lease changes nothing").isEmpty();

        pendingReplies().releaseRest(again, new Reply.SendText(1, "rest", Keyboard.NONE), T0.plusSeconds(21));
        again = claim(T0.plusSeconds(21)).orElseThrow();
        assertThat(textOf(again)).isEqualTo("rest");
        assertThat(again.deferral()).as("kept with its rest").contains(threw);
        PendingReplies.Deferral later = new PendingReplies.Deferral(T0.plusSeconds(21), true);
        pendingReplies().releaseRest(again, new Reply.SendText(1, "end", Keyboard.NONE), T0.plusSeconds(22), later);
        again = claim(T0.plusSeconds(22)).orElseThrow();
        assertThat(textOf(again)).isEqualTo("end");
        assertThat(again.deferral()).contains(later);

        assertThat(done(again, T0.plusSeconds(22))).isTrue();
        PendingReplies.Queued next = claim(T0.plusSeconds(22)).orElseThrow();
        assertThat(textOf(next)).isEqualTo("a2");
        assertThat(next.deferral()).as("the next reply's own: none").isEmpty();
    }

    /**
     * A pre-checkout's answer kept in the update's transaction is given back whole (its refusal's text too, its
     * window's end) until it is gone, kept again it replaces itself, and it is no reply of the queue: no claim takes
     * it, nothing counts it as waiting. Not kept, a kill between the commit and the call lost it, and Telegram
     * cancelled the payment.
     */
    @Test
    void aPreCheckoutAnswerIsKeptUntilItIsGone() {
        PendingReplies.KeptAnswer yes = new PendingReplies.KeptAnswer(
                new Reply.AnswerPreCheckout(SNOWFLAKE, "pcq-1", true, Optional.empty()), T0.plusSeconds(10));
        PendingReplies.KeptAnswer no = new PendingReplies.KeptAnswer(
                new Reply.AnswerPreCheckout(2, "pcq-2", false, Optional.of("счёт устарел")),
                T0.plusSeconds(11));
        inOne(() -> {
            pendingReplies().keepAnswer(yes);
            pendingReplies().keepAnswer(no);
            return null;
        });
        assertThat(pendingReplies().keptAnswers()).containsExactlyInAnyOrder(yes, no);
        assertThat(claim(T0.plusSeconds(1))).as("not a reply of the queue").isEmpty();
        assertThat(pendingReplies().oldestWaiting()).isEmpty();

        PendingReplies.KeptAnswer again = new PendingReplies.KeptAnswer(no.answer(), T0.plusSeconds(12));
        pendingReplies().keepAnswer(again);
        pendingReplies().answerGone("pcq-1");
        pendingReplies().answerGone("pcq-unknown");
        assertThat(pendingReplies().keptAnswers()).containsExactly(again);
        pendingReplies().answerGone("pcq-2");
        assertThat(pendingReplies().keptAnswers()).isEmpty();
    }

    /**
     * A try marked before its call ({@code tryBegins}) is kept as one that threw, whatever became of its lease: the
     * claim after the lease ended (its sender died mid-call) gives it back, its {@code since} the try's start, and
     * so does the claim after that one, whose own mark keeps the first one's {@code since}; a mark written past the
     * lease, another sender holding the chat, still counts; a release naming a deferral replaces it (a try that
     * ended surely not sent), one naming none keeps it; the chat's next reply has none, and a reply that left the
     * queue is not marked. Not kept, a job's result refused for sure at the next try was refunded though the try
     * before may have reached the chat.
     */
    @Test
    void aTryThatBeganIsMarkedAsOneThatThrewUntilAReleaseReplacesIt() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2")), T0);
        PendingReplies.Queued first = claim(T0).orElseThrow();
        pendingReplies().tryBegins(first, T0.plusSeconds(1));
        assertThat(claim(T0.plusSeconds(2))).as("still leased: the mark ends no lease").isEmpty();
        Instant over = T0.plus(LEASE);

        PendingReplies.Queued second = claim(over).orElseThrow();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.deferral()).as("the try its dead sender began, its day from this claim")
                .contains(new PendingReplies.Deferral(over, true));
        pendingReplies().tryBegins(first, over.plusSeconds(1)); // the first sender, past its lease
        pendingReplies().tryBegins(second, over.plusSeconds(2));
        pendingReplies().release(second, over.plusSeconds(3));
        PendingReplies.Queued third = claim(over.plusSeconds(3)).orElseThrow();
        assertThat(third.deferral()).as("kept by marks and a release naming none, still with no day of its own")
                .contains(new PendingReplies.Deferral(over.plusSeconds(3), true));

        PendingReplies.Deferral clean = new PendingReplies.Deferral(over.plusSeconds(4), false);
        pendingReplies().release(third, over.plusSeconds(5), clean);
        PendingReplies.Queued fourth = claim(over.plusSeconds(5)).orElseThrow();
        assertThat(fourth.deferral()).as("replaced by a release naming a deferral").contains(clean);
        pendingReplies().tryBegins(fourth, over.plusSeconds(6));
        pendingReplies().releaseRest(fourth, new Reply.SendText(1, "rest", Keyboard.NONE), over.plusSeconds(7));
        PendingReplies.Queued fifth = claim(over.plusSeconds(7)).orElseThrow();
        assertThat(fifth.deferral()).as("a mark keeps the since of the deferral kept, and goes with the rest")
                .contains(new PendingReplies.Deferral(over.plusSeconds(4), true));

        assertThat(done(fifth, over.plusSeconds(7))).isTrue();
        PendingReplies.Queued next = claim(over.plusSeconds(7)).orElseThrow();
        assertThat(next.deferral()).as("the next reply's own: none").isEmpty();
        assertThat(pendingReplies().dropChat(1)).isEqualTo(1);
        pendingReplies().tryBegins(next, over.plusSeconds(8));
        assertThat(done(next, over.plusSeconds(8))).as("nothing left to mark, nothing queued").isFalse();
        pendingReplies().append(List.of(text(1, "a3")), over.plusSeconds(8));
        assertThat(claim(over.plusSeconds(8)).orElseThrow().deferral()).as("a reply queued after: none").isEmpty();
    }

    /**
     * The give-up day counts from a deferral, never from a mark: a try whose sender died at its mark, the host then
     * down a day, must not find its result's day over at the first deferral after the restart (given up at once,
     * charged and told it may not have arrived). The claim gives the bare mark back with its own time, and the
     * release naming that deferral keeps it.
     */
    @Test
    void aMarkStartsNoDayTheClaimDoes() {
        pendingReplies().append(List.of(text(1, "a1")), T0);
        PendingReplies.Queued first = claim(T0).orElseThrow();
        pendingReplies().tryBegins(first, T0.plusSeconds(1)); // its sender then dies
        Instant restarted = T0.plus(Duration.ofHours(25));
        PendingReplies.Queued again = claim(restarted).orElseThrow();
        assertThat(again.deferral()).as("a throw, its day from this claim, not from the mark a day before")
                .contains(new PendingReplies.Deferral(restarted, true));
        pendingReplies().release(again, restarted.plusSeconds(30), again.deferral().orElseThrow());
        PendingReplies.Queued later = claim(restarted.plusSeconds(30)).orElseThrow();
        assertThat(later.deferral()).as("the day as the release kept it").contains(again.deferral().orElseThrow());
        pendingReplies().tryBegins(later, restarted.plusSeconds(31));
        pendingReplies().release(later, restarted.plusSeconds(60));
        assertThat(claim(restarted.plusSeconds(60)).orElseThrow().deferral()).as("a mark keeps the day kept")
                .contains(again.deferral().orElseThrow());
    }

    @Test
    void aChatDroppedWhileItsReplyIsSentIsLeasedUntilThatReplyIsSettled() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2")), T0);
        PendingReplies.Queued q = claim(T0).orElseThrow();
        assertThat(pendingReplies().dropChat(1)).isEqualTo(2);
        pendingReplies().append(List.of(text(1, "after")), T0);
        assertThat(claim(T0)).as("still leased").isEmpty();
        assertThat(done(q, T0)).as("the reply queued after the drop waits").isTrue();
        assertThat(take(T0)).contains("after");
        assertThat(take(T0)).isEmpty();
    }

    @Test
    void aDroppedQueueTellsTheRepliesThatLeftItOldestFirst() {
        pendingReplies().append(List.of(text(1, "a1"), text(2, "b1"), text(1, "a2"), text(1, "a3")), T0);
        PendingReplies.Queued q = claim(T0).orElseThrow();
        assertThat(pendingReplies().dropQueue(1)).extracting(o -> ((Reply.SendText) o.reply()).text())
                .as("the one being sent included").containsExactly("a1", "a2", "a3");
        assertThat(pendingReplies().dropQueue(1)).isEmpty();
        done(q, T0);
        assertThat(take(T0)).as("another chat's replies stay").contains("b1");
        assertThat(take(T0)).isEmpty();
    }

    /**
     * Two drops of one chat's queue at once (the sender's for a user who blocked the bot, a broadcast's meeting the
     * same block), the first in a transaction that queued a reply after its drop and is still open when the second
     * starts: after both, each reply was told dropped by one of them or is still queued, claimable. A second drop that
     * set the chat's head from what it read before the first committed left that reply with no head (never sent), or
     * a head naming a reply the first had deleted, which the claim takes as the next due chat and leases nothing for,
     * so that every chat due after it waits (nothing but another drop of that chat set it right again).
     */
    @Test
    void twoDropsOfAChatAtOnceLeaveEachReplyDroppedOnceOrQueued() throws Exception {
        pendingReplies().append(List.of(text(1, "a")), T0);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<Outgoing>> first = holding(() -> {
            List<Outgoing> dropped = pendingReplies().dropQueue(1);
            pendingReplies().append(List.of(text(1, "b")), T0);
            return dropped;
        }, held, release);
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<Outgoing>> second = inOneElsewhere(() -> pendingReplies().dropQueue(1));
        // not a synchronisation: the second drop meets the first's locks (a store that does not wait has finished)
        Thread.sleep(HOLDER_WAIT_MILLIS);
        release.countDown();
        List<String> told = new ArrayList<>();
        for (Outgoing o : first.get(30, TimeUnit.SECONDS)) {
            told.add(((Reply.SendText) o.reply()).text());
        }
        for (Outgoing o : second.get(30, TimeUnit.SECONDS)) {
            told.add(((Reply.SendText) o.reply()).text());
        }
        pendingReplies().append(List.of(text(2, "another chat")), T0);
        List<String> left = new ArrayList<>();
        for (Optional<String> s = take(T0); s.isPresent(); s = take(T0)) {
            left.add(s.get());
        }
        assertThat(left).as("the other chat's reply is not held behind chat 1").contains("another chat");
        left.remove("another chat");
        List<String> all = new ArrayList<>(told);
        all.addAll(left);
        assertThat(all).as("told dropped %s, still queued %s", told, left).containsExactlyInAnyOrder("a", "b");
    }

    /**
     * Whether a job's result waits in a chat's queue, the reply being sent included, until it is settled or dropped:
     * the shop tells a result on its way by it, and queues no copy behind it («📤 Получить» while the first send
     * waits). Only a result of that job counts: not another job's, not the job's status, not another chat's.
     */
    @Test
    void aResultWaitingInAChatIsToldUntilSettled() {
        JobId job = new JobId(12);
        assertThat(pendingReplies().resultWaiting(1, job)).isFalse();
        Outgoing result = new Outgoing(new Reply.SendMedia(1, MediaKind.PHOTO, "https://r/fox.png", "🦊", Keyboard.NONE,
                Optional.of("too large")), new Outgoing.Follow.JobResult(job, new Reply.SendText(1, "link", Keyboard.NONE)));
        Outgoing status = new Outgoing(new Reply.SendText(1, "⏳", Keyboard.NONE), new Outgoing.Follow.JobStatus(
                new JobId(13)));
        Outgoing other = new Outgoing(new Reply.SendMedia(2, MediaKind.PHOTO, "https://r/owl.png", "🦉", Keyboard.NONE,
                Optional.empty()), new Outgoing.Follow.JobResult(new JobId(14), new Reply.SendText(2, "link",
                Keyboard.NONE)));
        pendingReplies().append(List.of(text(1, "a0"), status, result, other, text(1, "a2")), T0);
        assertThat(pendingReplies().resultWaiting(1, job)).as("behind other replies").isTrue();
        assertThat(pendingReplies().resultWaiting(1, new JobId(13))).as("a status is no result").isFalse();
        assertThat(pendingReplies().resultWaiting(1, new JobId(14))).as("another chat's").isFalse();
        assertThat(pendingReplies().resultWaiting(2, new JobId(14))).isTrue();
        assertThat(pendingReplies().resultWaiting(3, job)).isFalse();
        assertThat(pendingReplies().dropQueue(2)).hasSize(1);
        assertThat(pendingReplies().resultWaiting(2, new JobId(14))).as("dropped").isFalse();

        assertThat(take(T0)).contains("a0");
        assertThat(claim(T0).map(q -> done(q, T0))).as("the status").isPresent();
        PendingReplies.Queued q = claim(T0).orElseThrow();
        assertThat(q.outgoing()).isEqualTo(result);
        assertThat(pendingReplies().resultWaiting(1, job)).as("the one being sent included").isTrue();
        done(q, T0);
        assertThat(pendingReplies().resultWaiting(1, job)).as("settled").isFalse();
        assertThat(take(T0)).contains("a2");
    }

    @Test
    void aPacedChatWaitsForItsTurnWhileOthersGo() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2"), text(2, "b1")), T0);
        Instant later = T0.plusSeconds(1);
        inOne(() -> {
            PendingReplies.Queued q = pendingReplies().claim(T0, LEASE).orElseThrow();
            pendingReplies().done(q, new TokenBucket(0.2, T0), later);
            return null;
        });
        assertThat(take(T0)).contains("b1");
        assertThat(take(T0)).as("chat 1 is not due yet").isEmpty();
        assertThat(pendingReplies().nextDueAfter(T0)).contains(later);
        PendingReplies.Queued due = claim(later).orElseThrow();
        assertThat(due.pacing()).contains(new TokenBucket(0.2, T0));
        assertThat(textOf(due)).isEqualTo("a2");
    }

    /**
     * The machine's clock stepped back an hour (NTP) after a chat was served: its next turn, set on the clock before
     * the step, is an hour ahead of the clock now. A reply queued for it goes at once (its turn at most
     * {@code ChatPacing.INTERVAL_MAX} away), not after that hour with every other chat served in the hour before the
     * step.
     */
    @Test
    void aChatServedBeforeTheClockSteppedBackIsNotSilentForTheStep() {
        pendingReplies().append(List.of(text(1, "before the step")), T0);
        inOne(() -> pendingReplies().done(pendingReplies().claim(T0, LEASE).orElseThrow(), TokenBucket.full(3, T0),
                T0.plusSeconds(1)));
        Instant stepped = T0.minus(Duration.ofHours(1));

        pendingReplies().append(List.of(text(1, "after the step")), stepped);

        Instant latestTurn = stepped.plus(dev.kiebot.core.pacing.ChatPacing.INTERVAL_MAX);
        assertThat(pendingReplies().nextDueAfter(stepped)).hasValueSatisfying(at -> assertThat(at)
                .isBeforeOrEqualTo(latestTurn));
        assertThat(take(latestTurn)).contains("after the step");
    }

    /**
     * The clock stepped back ten minutes ({@link PendingReplies#clockSteppedBack}): a chat with a reply queued behind
     * its pace, its turn a second away on the clock before the step, is due a second after the step, not ten minutes
     * and a second; a chat deferred for five minutes (a 429's {@code retry_after}) still waits those five minutes,
     * which a store that cut every turn to a bound would cut short.
     */
    @Test
    void aChatsTurnMovesBackWithTheClockAndKeepsItsWait() {
        pendingReplies().append(List.of(text(1, "a1"), text(2, "b1"), text(2, "b2")), T0);
        pendingReplies().release(claim(T0).orElseThrow(), T0.plus(Duration.ofMinutes(5)));
        PendingReplies.Queued b1 = claim(T0).orElseThrow();
        assertThat(inOne(() -> pendingReplies().done(b1, TokenBucket.full(3, T0), T0.plusSeconds(1)))).isTrue();
        Instant stepped = T0.minus(Duration.ofMinutes(10));

        assertThat(pendingReplies().clockSteppedBack(Duration.ofMinutes(10), stepped)).isEqualTo(2);

        assertThat(claim(stepped)).as("b2, a second ahead").isEmpty();
        assertThat(take(stepped.plusSeconds(1))).contains("b2");
        assertThat(claim(stepped.plus(Duration.ofMinutes(5)).minusSeconds(1))).as("a1's five minutes").isEmpty();
        assertThat(take(stepped.plus(Duration.ofMinutes(5)))).contains("a1");
    }

    /**
     * A leased chat is left as it is when the clock steps back: its sender settles it by the lease's end it was given
     * (moved, the settle changed nothing and the reply went again), and no other sender claims it before that end.
     */
    @Test
    void aLeasedChatKeepsItsLeaseWhenTheClockStepsBack() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2")), T0);
        PendingReplies.Queued leased = claim(T0).orElseThrow();

        assertThat(pendingReplies().clockSteppedBack(Duration.ofMinutes(10), T0.minus(Duration.ofMinutes(10))))
                .isZero();

        assertThat(claim(T0.plus(LEASE).minusSeconds(1))).as("leased").isEmpty();
        assertThat(done(leased, T0)).as("still its sender's").isTrue();
        assertThat(take(T0)).contains("a2");
    }

    /** A chat's lease is not cut short by a reply queued for it: the sender holding it is sending. */
    @Test
    void aReplyQueuedForALeasedChatLeavesItsLease() {
        pendingReplies().append(List.of(text(1, "a1")), T0);
        PendingReplies.Queued leased = claim(T0).orElseThrow();
        pendingReplies().append(List.of(text(1, "a2")), T0.plusSeconds(1));
        assertThat(take(T0.plus(LEASE).minusSeconds(1))).as("leased").isEmpty();
        assertThat(done(leased, T0.plusSeconds(2))).isTrue();
    }

    @Test
    void markingAReplyDoneSaysWhetherItsChatHasMoreQueued() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2"), text(2, "b1")), T0);
        List<Boolean> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(inOne(() -> {
                PendingReplies.Queued q = pendingReplies().claim(T0, LEASE).orElseThrow();
                return pendingReplies().done(q, TokenBucket.full(3, T0), T0);
            }));
        }
        assertThat(more).as("a1 leaves a2 behind; a2 and b1 are their chats' last").containsExactly(true, false, false);
    }

    @Test
    void aChatDueNowDoesNotHideWhenAPacedChatFallsDue() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2")), T0);
        Instant later = T0.plusSeconds(1);
        inOne(() -> {
            PendingReplies.Queued q = pendingReplies().claim(T0, LEASE).orElseThrow();
            pendingReplies().done(q, new TokenBucket(0.2, T0), later);
            return null;
        });
        // chat 2 is due at once (a sender takes it now): an idle sender must still wake for chat 1
        pendingReplies().append(List.of(text(2, "b1")), T0);
        assertThat(pendingReplies().nextDueAfter(T0)).contains(later);
        assertThat(pendingReplies().nextDueAfter(later)).isEmpty();
        // a sender has chat 2 now: should it die, its chat falls due when the lease ends
        PendingReplies.Queued b1 = claim(T0).orElseThrow();
        assertThat(pendingReplies().nextDueAfter(T0)).contains(later);
        assertThat(pendingReplies().nextDueAfter(later)).contains(b1.leasedUntil());
    }

    @Test
    void aBlockedChatLosesItsQueueAndTagsAreKept() {
        pendingReplies().append(List.of(text(1, "a1"), text(1, "a2"), text(2, "b1")), T0);
        assertThat(pendingReplies().dropChat(1)).isEqualTo(2);
        assertThat(take(T0)).contains("b1");
        assertThat(take(T0)).isEmpty();
        assertThat(pendingReplies().taggedMessage(5, "status")).isEmpty();
        pendingReplies().tag(5, "status", 77);
        pendingReplies().tag(5, "status", SNOWFLAKE);
        assertThat(pendingReplies().taggedMessage(5, "status")).as("the last tag, a 64-bit id").contains(SNOWFLAKE);
        assertThat(pendingReplies().taggedMessage(6, "status")).isEmpty();
    }

    @Test
    void untaggingForgetsTheNamedScreensOfTheChatOnly() {
        pendingReplies().tag(5, "manual:1", 71);
        pendingReplies().tag(5, "manual:2", 72);
        pendingReplies().tag(5, "manual:3", 73);
        pendingReplies().tag(6, "manual:1", 81);

        assertThat(inOne(() -> pendingReplies().untag(5, List.of("manual:1", "manual:2", "manual:9")))).isEqualTo(2);
        assertThat(pendingReplies().untag(5, List.of())).isZero();

        assertThat(pendingReplies().taggedMessage(5, "manual:1")).isEmpty();
        assertThat(pendingReplies().taggedMessage(5, "manual:2")).isEmpty();
        assertThat(pendingReplies().taggedMessage(5, "manual:3")).contains(73L);
        assertThat(pendingReplies().taggedMessage(6, "manual:1")).as("another chat's").contains(81L);
    }

    /**
     * The replies moved aside unsent hold users' words, read by the operator only: forgotten past the cutoff (one
     * moved at it kept), at most the limit a call, and no reply still queued with them. A store that moves none aside
     * forgets nothing and leaves the queue as it was.
     */
    @Test
    void deadLettersMovedBeforeTheCutoffAreForgottenAtMostALimitAtATime() {
        pendingReplies().append(List.of(text(1, "queued")), T0);
        Instant cutoff = T0.plus(Duration.ofDays(30));
        boolean kept = deadLetter(101, 1, T0);
        kept &= deadLetter(102, 2, T0.plusSeconds(1));
        kept &= deadLetter(103, 3, cutoff.minusMillis(1));
        kept &= deadLetter(104, 4, cutoff);

        assertThat(pendingReplies().forgetDeadLetters(cutoff, 2)).as("a pass of 2").isEqualTo(kept ? 2 : 0);
        assertThat(deadLetters()).as("the oldest moved first").containsExactlyInAnyOrderElementsOf(
                kept ? List.of(103L, 104L) : List.of());
        assertThat(pendingReplies().forgetDeadLetters(cutoff, 2)).isEqualTo(kept ? 1 : 0);
        assertThat(pendingReplies().forgetDeadLetters(cutoff, 2)).isZero();
        assertThat(deadLetters()).as("moved at the cutoff, not before it").containsExactlyElementsOf(
                kept ? List.of(104L) : List.of());
        assertThat(take(cutoff)).as("the queue as it was").contains("queued");
        assertThat(take(cutoff)).isEmpty();
    }

    @Test
    void everyKindOfReplyComesBackAsItWent() {
        Keyboard kb = Keyboard.of(List.of(Button.callback("▶️ Дальше", "*|p|IMAGE:1"),
                Button.link("site", "https://example.org")));
        List<Outgoing> all = List.of(
                text(1, "x"),
                Outgoing.plain(new Reply.SendText(1, "в теме форума", Keyboard.NONE, Optional.of(37L))),
                new Outgoing(new Reply.SendText(1, "строка\nвторая «кавычки» \"q\" \\ 🎬", kb),
                        new Outgoing.Follow.JobStatus(new JobId(12))),
                new Outgoing(new Reply.EditText(1, SNOWFLAKE, "edit", kb), new Outgoing.Follow.Tagged("broadcast:3")),
                new Outgoing(new Reply.SendMedia(1, MediaKind.VIDEO, "https://r/v.mp4", "cap", kb),
                        new Outgoing.Follow.JobResult(new JobId(12), new Reply.SendText(1, "link", Keyboard.NONE))),
                new Outgoing(new Reply.SendMedia(1, MediaKind.PHOTO, "AgACAgIAAxkBAAI", "cap", Keyboard.NONE),
                        new Outgoing.Follow.SentAgain(new JobId(12), Optional.of("https://r/a.png"))),
                new Outgoing(new Reply.SendMedia(1, MediaKind.PHOTO, "AgACAgIAAxkBAAJ", "cap", Keyboard.NONE),
                        new Outgoing.Follow.SentAgain(new JobId(12), Optional.empty())),
                Outgoing.plain(new Reply.SendMedia(1, MediaKind.DOCUMENT, "https://r/big.mp4", "", Keyboard.NONE,
                        Optional.of("📎 Файл слишком большой для Telegram, поэтому присылаю ссылку."))),
                Outgoing.plain(new Reply.SendInvoice(1, "Top up", "desc", "topup:abc", 50)),
                Outgoing.plain(new Reply.ChatAction(1, Activity.UPLOADING_PHOTO)),
                Outgoing.plain(new Reply.ChatAction(1, Activity.UPLOADING_VIDEO)),
                Outgoing.plain(new Reply.ChatAction(1, Activity.UPLOADING_AUDIO)),
                Outgoing.plain(new Reply.ChatAction(1, Activity.UPLOADING_DOCUMENT)),
                Outgoing.plain(new Reply.UploadMedia(1, MediaKind.PHOTO, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, -1},
                        "shop-30d.png", "30 дней", kb)),
                Outgoing.plain(new Reply.AnswerCallback(1, "q1", Optional.of("ok"), true)),
                Outgoing.plain(new Reply.AnswerPreCheckout(1, "p1", false, Optional.of("no"))));
        pendingReplies().append(all, T0);
        List<Outgoing> back = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            back.add(inOne(() -> {
                PendingReplies.Queued q = pendingReplies().claim(T0, LEASE).orElseThrow();
                pendingReplies().done(q, TokenBucket.full(3, T0), T0);
                return q.outgoing();
            }));
        }
        assertThat(back).containsExactlyElementsOf(all);
    }
}
