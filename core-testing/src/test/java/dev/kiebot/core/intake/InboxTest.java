package dev.kiebot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.core.shop.Contention;
import dev.kiebot.core.shop.LoggedLines;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.ForwardingAudit;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.ForwardingProcessedUpdates;
import dev.kiebot.core.testing.ShopHarness;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What core's {@link Inbox}, the loop partners call (once the 190 lines they copied from the example), does with an
 * update: recorded once, handled in one transaction with its done mark, and after a failure given up with one apology
 * or left pending, by the failure's kind, with counts in a row that a burst cannot reset.
 */
class InboxTest {
    private static final long U = 501;
    private final ShopHarness h = new ShopHarness().startedByAdminAnd(U);

    /** A platform's re-delivery of an update is dropped at the door: handled once, answered once. */
    @Test
    void anUpdateDeliveredTwiceIsHandledOnce() {
        h.messenger.drain();
        Inbox inbox = new Inbox(h.shop, InboxTest::incoming);
        assertThat(inbox.record(940, U, "text hello")).isTrue();
        assertThat(inbox.record(940, U, "text hello")).as("a re-delivery").isFalse();

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U).hasSize(1);
    }

    /**
     * An update dated before the replay horizon ({@link ReplayHorizon#AGE} before the shop's clock) is refused at the
     * door: not recorded, so never handled, and told in one WARNING naming it and its chat masked. The store forgets a
     * handled id after {@code Upkeep.UPDATE_RETENTION}: such an update posted again after that was handled again.
     */
    @Test
    void anUpdateDatedBeforeTheReplayHorizonIsNotRecorded() {
        h.messenger.drain();
        Inbox inbox = new Inbox(h.shop, InboxTest::incoming);
        Instant horizon = h.clock.instant().minus(ReplayHorizon.AGE);
        List<String> warnings = LoggedLines.of(Inbox.class, java.util.logging.Level.WARNING, () ->
                assertThat(inbox.record(950, U, "text replayed", horizon.minusSeconds(1))).as("refused").isFalse());
        assertThat(warnings).singleElement().satisfies(line -> assertThat(line)
                .contains("upd_950 refused, not recorded", "chat ***501").doesNotContain("replayed"));

        assertThat(inbox.handleWaiting()).isZero();
        h.deliver();
        assertThat(h.messenger.drain()).isEmpty();
        assertThat(h.stores.processedUpdates().record(950, U, "text probe", h.clock.instant()))
                .as("950 was not recorded").isTrue();
    }

    /** One dated just inside the horizon is recorded and handled as any other, and its re-delivery dropped. */
    @Test
    void anUpdateDatedJustInsideTheReplayHorizonIsRecordedAndHandled() {
        h.messenger.drain();
        Inbox inbox = new Inbox(h.shop, InboxTest::incoming);
        Instant horizon = h.clock.instant().minus(ReplayHorizon.AGE);
        assertThat(inbox.record(951, U, "text hello", horizon)).isTrue();
        assertThat(inbox.record(951, U, "text hello", horizon)).as("a re-delivery").isFalse();

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U).hasSize(1);
    }

    /**
     * The claim, the handling and the done mark are one transaction: it commits after the done mark, and the chat is
     * held until then. Handled in a transaction of its own, a crash between it and the done mark handled the update
     * again at the next start (a second generation, a second answer).
     */
    @Test
    void anUpdateIsClaimedHandledAndMarkedDoneInOneTransaction() {
        List<String> steps = new ArrayList<>();
        Inbox inbox = new Inbox(h.anotherInstance(inbox(s -> new ForwardingProcessedUpdates(s) {
            @Override
            public Optional<PendingUpdate> claimNext() {
                Optional<PendingUpdate> claimed = super.claimNext();
                claimed.ifPresent(u -> {
                    steps.add("claimed");
                    h.stores.transactions().afterCommit(() -> steps.add("the claim's transaction committed"));
                });
                return claimed;
            }

            @Override
            public void done(long updateId, Instant now) {
                steps.add("done");
                super.done(updateId, now);
            }
        })), u -> {
            steps.add("handled");
            return incoming(u);
        });
        inbox.record(941, U, "text hello");

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        assertThat(steps).containsExactly("claimed", "handled", "done", "the claim's transaction committed");
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /**
     * Between the rollback and the apology the update's chat is free, and another handler (a thread, an instance) may
     * take the update and handle it: the apology's transaction claims it again first ({@code reclaim}), finds it done
     * and says nothing, so the user gets one answer. Apologizing for the update in hand, he got an answer and an
     * apology.
     */
    @Test
    void anUpdateHandledByAnotherHandlerAfterTheRollbackIsNotApologizedFor() throws InterruptedException {
        h.messenger.drain();
        Inbox other = new Inbox(h.shop, InboxTest::incoming);
        Inbox inbox = new Inbox(h.anotherInstance(inbox(s -> new ForwardingProcessedUpdates(s) {
            @Override
            public Optional<PendingUpdate> reclaim(long updateId) {
                Thread handler = new Thread(other::handleOne); // its own transaction: another thread's
                handler.start();
                try {
                    handler.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return super.reclaim(updateId);
            }
        })), failingOnce(942));
        inbox.record(942, U, "text hello");

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).doesNotContain("upd_942"));
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /**
     * An update too deep to handle (a StackOverflowError) is the update's failure, not the process's: given up with
     * an apology like a bug's exception. Thrown on, it was rolled back, stayed first in its chat for good, and failed
     * every start's handleWaiting.
     */
    @Test
    void anUpdateThatOverflowsTheStackIsApologizedForAndItsChatGoesOn() {
        h.messenger.drain();
        AtomicBoolean deep = new AtomicBoolean(true);
        Inbox inbox = new Inbox(h.shop, u -> {
            if (u.payload().equals("text deep") && deep.getAndSet(false)) {
                throw new StackOverflowError();
            }
            return incoming(u);
        });
        inbox.record(910, U, "text deep");
        inbox.record(911, U, "text hello");

        assertThat(inbox.handleWaiting()).as("the deep one given up, the next one handled").isEqualTo(2);
        assertApologizedForAndNothingPending("upd_910");
    }

    /**
     * An Error that comes back on the same update is the update's (a library that throws {@code InternalError} on
     * its data): thrown on a few times, the update left pending, then given up with an apology and the
     * chat's next update handled. Thrown on for ever, it stayed first in the inbox and failed every handleWaiting.
     */
    @Test
    void anUpdateThatKeepsThrowingAnErrorIsGivenUpAfterAFewTriesAndItsChatGoesOn() {
        h.messenger.drain();
        AtomicInteger handlings = new AtomicInteger();
        Inbox inbox = new Inbox(h.shop, u -> {
            // each handling of it throws; the apology's translation (the last) does not
            if (u.payload().equals("text fonts") && handlings.incrementAndGet() <= Inbox.ERROR_TRIES_MAX + 1) {
                throw new InternalError("Fontconfig head is null");
            }
            return incoming(u);
        });
        inbox.record(930, U, "text fonts");
        inbox.record(931, U, "text hello");

        for (int i = 0; i < Inbox.ERROR_TRIES_MAX; i++) {
            assertThatThrownBy(inbox::handleWaiting).as("left pending, try %d", i + 1)
                    .isInstanceOf(InternalError.class);
            assertThat(h.stores.processedUpdates().oldestPending()).isPresent();
        }
        assertThat(inbox.handleWaiting()).as("given up, then the next one").isEqualTo(2);
        assertApologizedForAndNothingPending("upd_930");
    }

    /**
     * A pool's timeout while a Stars payment was handled: apologized for, the payment was kept as not credited and
     * the update marked done, the Stars waiting for an admin's refund. Left pending, it is credited at the next try.
     */
    @Test
    void aPaymentCutOffByALostConnectionStaysPendingWithNoApologyAndIsCreditedOnceLater() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        AtomicBoolean lost = new AtomicBoolean(true);
        Shop cutOff = h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (lost.getAndSet(false)) {
                    throw new IllegalStateException("Unable to acquire a connection",
                            new SQLTransientConnectionException("Connection is not available, request timed out"));
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
        Inbox inbox = new Inbox(cutOff, InboxTest::incoming);
        assertThat(inbox.record(900, U, "pay ch-1 " + payload)).isTrue();

        assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-1")).as("not given up").isEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).as("still pending").isPresent();
        assertThat(h.balance(U)).isZero();

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        isCreditedOnce("ch-1");
        assertThat(inbox.handleWaiting()).isZero();
    }

    /**
     * An update cut off by a class 53 SQLState (out of memory here) is left pending and tried again without limit, as
     * the database may be short for everyone; but one the database cannot take at all held its chat for good with
     * the outage's one warning only. Past {@link Inbox#SHORT_OF_RESOURCES_TOLD_AFTER} of such tries it is told as an
     * ERROR, once, and still left pending: credited once the database takes it.
     */
    @Test
    void anUpdateCutOffByTheDatabaseShortOfResourcesForOverAnHourIsToldOnceAndStaysPending() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        AtomicBoolean short_ = new AtomicBoolean(true);
        Shop cutOff = h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (short_.get()) {
                    throw new IllegalStateException("the store's wrapper",
                            new SQLException("out of memory", "53200"));
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
        Inbox inbox = new Inbox(cutOff, InboxTest::incoming);
        inbox.record(930, U, "pay ch-9 " + payload);
        try (LoggedLines logged = LoggedLines.recording(Inbox.class, java.util.logging.Level.SEVERE)) {
            List<String> errors = logged.lines();
            assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
            h.clock.advance(Inbox.SHORT_OF_RESOURCES_TOLD_AFTER.minusMinutes(1));
            assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
            assertThat(errors).as("within the hour: the outage's warning is the runner's").isEmpty();

            h.clock.advance(Duration.ofMinutes(2));
            assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
            h.clock.advance(Duration.ofMinutes(1));
            assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(ConnectionLoss.in(e)).isTrue());
            assertThat(errors).as("told once").singleElement().satisfies(line -> assertThat(line)
                    .contains("update 930", "SQLState 53200", "still left pending").doesNotContain("ch-9"));
        }
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-9")).as("not given up").isEmpty();

        short_.set(false);
        assertThat(inbox.handleWaiting()).isEqualTo(1);
        isCreditedOnce("ch-9");
    }

    /**
     * A Stars payment whose transaction met a deadlock past its own retries (another payment locking the same wallets
     * the other way round): another transaction's timing, so it stays pending with no apology and is credited once at
     * the next claim. Apologized for, it was kept not credited, waiting for an admin's refund.
     */
    @Test
    void aPaymentWhoseTransactionMetADeadlockStaysPendingWithNoApologyAndIsCreditedOnceLater() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Inbox inbox = new Inbox(deadlocking(new AtomicInteger(1)), InboxTest::incoming);
        assertThat(inbox.record(920, U, "pay ch-4 " + payload)).isTrue();

        assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(Contention.in(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited("ch-4")).as("not given up").isEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).as("still pending").isPresent();

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        isCreditedOnce("ch-4");
    }

    /**
     * An update whose transaction meets a deadlock at every claim is left pending a bounded number of times and for
     * {@link Inbox#CONTENDED_FOR_MIN}, then given up with an apology: the payment kept for an admin's refund, the chat's next update answered.
     */
    @Test
    void anUpdateThatMeetsADeadlockAtEveryClaimIsGivenUpAfterItsTries() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Inbox inbox = new Inbox(deadlocking(new AtomicInteger(Integer.MAX_VALUE)), InboxTest::incoming);
        inbox.record(921, U, "pay ch-5 " + payload);
        inbox.record(922, U, "text hello");

        for (int i = 0; i < Inbox.CONTENDED_TRIES_MAX; i++) {
            assertThatThrownBy(inbox::handleWaiting).as("left for a later claim, try %d", i + 1)
                    .satisfies(e -> assertThat(Contention.in(e)).isTrue());
        }
        h.clock.advance(Inbox.CONTENDED_FOR_MIN);
        assertThat(inbox.handleWaiting()).as("given up, then the next one").isEqualTo(2);
        assertThat(h.stores.payments().uncredited("ch-5")).as("kept for an admin's refund").isPresent();
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /**
     * {@code Inbox(Parts, Watch)}, the loop of a runner with threads and a log of its own (kiebot's runtime's
     * {@code UpdateDispatcher}): a watch that does not pause after contention has a contended update counted as one
     * handled and claimed again at the next call, not thrown, given up by the same count and time; the watch is told
     * of each claim, each try left pending, the give-up and its commit, and each call's end, thrown or not.
     */
    @Test
    void aWatchedInboxClaimsAContendedUpdateAgainAtOnceAndTellsItsWatchEachStep() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        List<String> told = new ArrayList<>();
        Inbox inbox = new Inbox(Inbox.Parts.of(deadlocking(new AtomicInteger(Integer.MAX_VALUE)),
                InboxTest::incoming), new Inbox.Watch() {
                    @Override
                    public void claimed(PendingUpdate update) {
                        told.add("claimed " + update.updateId());
                    }

                    @Override
                    public void finished() {
                        told.add("finished");
                    }

                    @Override
                    public boolean pauseAfterContention() {
                        return false;
                    }

                    @Override
                    public void leftPending(long updateId, Throwable failure, int count, int triesMax) {
                        told.add("left pending " + updateId + " " + count + "/" + triesMax);
                    }

                    @Override
                    public void givingUp(PendingUpdate update, Throwable failure) {
                        told.add("giving up " + update.updateId());
                    }

                    @Override
                    public void gaveUp(PendingUpdate update, Optional<Boolean> apologized) {
                        told.add("gave up " + update.updateId() + " " + apologized);
                    }
                });
        inbox.record(926, U, "pay ch-6 " + payload);

        for (int i = 0; i < Inbox.CONTENDED_TRIES_MAX; i++) {
            assertThat(inbox.handleOne()).as("counted as handled, not thrown, try %d", i + 1).isTrue();
            assertThat(h.stores.processedUpdates().oldestPending()).as("still pending, try %d", i + 1).isPresent();
        }
        assertThat(inbox.handleOne()).as("tries spent, not the time: still left").isTrue();
        assertThat(h.stores.processedUpdates().oldestPending()).isPresent();
        h.clock.advance(Inbox.CONTENDED_FOR_MIN);
        assertThat(inbox.handleOne()).as("given up").isTrue();
        assertThat(inbox.handleOne()).as("none left").isFalse();
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
        assertThat(h.stores.payments().uncredited("ch-6")).as("its apology kept it for an admin's refund").isPresent();
        assertThat(told.subList(0, 3)).containsExactly("claimed 926", "left pending 926 1/" + Inbox.CONTENDED_TRIES_MAX,
                "finished");
        assertThat(told.subList(told.size() - 5, told.size())).containsExactly("claimed 926", "giving up 926",
                "gave up 926 Optional[true]", "finished", "finished");
    }

    /**
     * A burst of lock conflicts that spends an update's tries within a second (handleWaiting throws, the partner's
     * thread calls again after a short pause) does not give up a Stars payment: it is given up only after its tries
     * and {@link Inbox#CONTENDED_FOR_MIN} from the first, as the runtime's UpdateDispatcher does. Given up at its 11th
     * try, it was kept as not credited; here the 12th claim, within the same second, meets no deadlock.
     */
    @Test
    void aBurstOfDeadlocksWithinASecondDoesNotGiveUpAStarsPayment() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Inbox inbox = new Inbox(deadlocking(new AtomicInteger(Inbox.CONTENDED_TRIES_MAX + 1)), InboxTest::incoming);
        inbox.record(925, U, "pay ch-9 " + payload);
        for (int i = 0; i <= Inbox.CONTENDED_TRIES_MAX + 1; i++) {
            try {
                inbox.handleWaiting();
            } catch (RuntimeException e) {
                // the partner's handler thread: a short pause, and again
            }
        }
        isCreditedOnce("ch-9");
    }

    /**
     * A burst of deadlocks over more chats than the inbox counts at once (an attacker's, say, whose updates another
     * instance then handles) does not restart the count of the update failing longest: it is given up after its
     * tries. Clearing every count once 256 were tracked, as the loop partners copied did, gave it a fresh
     * {@link Inbox#CONTENDED_TRIES_MAX} after each such burst, holding its chat for good.
     */
    @Test
    void aBurstOfDeadlocksOverManyChatsDoesNotRestartTheCountOfTheUpdateFailingLongest() {
        h.messenger.drain();
        Set<Long> failedOnce = new HashSet<>();
        AtomicInteger longest = new AtomicInteger(); // its handlings fail; its apology's translation (the last) not
        Inbox inbox = new Inbox(h.shop, u -> {
            if (u.payload().equals("text longest") ? longest.incrementAndGet() <= Inbox.CONTENDED_TRIES_MAX + 1
                    : failedOnce.add(u.updateId())) {
                throw new IllegalStateException("the store's wrapper", new SQLException("deadlock detected", "40P01"));
            }
            return incoming(u);
        });
        Inbox anotherInstance = new Inbox(h.shop, u -> Optional.empty());
        inbox.record(10_000, U, "text longest");
        int before = Inbox.CONTENDED_TRIES_MAX / 2;
        for (int i = 0; i < before; i++) {
            assertThatThrownBy(inbox::handleWaiting).satisfies(e -> assertThat(Contention.in(e)).isTrue());
        }

        h.clock.advance(Duration.ofSeconds(1));
        for (long burst = 1; burst <= Inbox.TRACKED_MAX + 44; burst++) {
            inbox.record(burst, 100_000 + burst, "text burst"); // each in its own chat, claimed before the first
            assertThatThrownBy(inbox::handleOne).satisfies(e -> assertThat(Contention.in(e)).isTrue());
            assertThat(anotherInstance.handleOne()).as("handled by the other instance").isTrue();
        }

        for (int i = before; i < Inbox.CONTENDED_TRIES_MAX; i++) {
            assertThatThrownBy(inbox::handleWaiting).as("try %d", i + 1)
                    .satisfies(e -> assertThat(Contention.in(e)).isTrue());
        }
        h.clock.advance(Inbox.CONTENDED_FOR_MIN);
        assertThat(inbox.handleWaiting()).as("given up after its tries").isEqualTo(1);
        assertApologizedForAndNothingPending("upd_10000");
    }

    /**
     * An update the partner's {@code translate} cannot read (his parser throws on its JSON) is given up, marked done with
     * no apology (nobody to address it to), and its chat's next update is handled. The apology's translation threw
     * again, so it was never marked done: it stayed first in its chat and every handleWaiting threw.
     */
    @Test
    void anUpdateItsTranslationCannotReadIsGivenUpAndItsChatGoesOn() {
        h.messenger.drain();
        Inbox inbox = new Inbox(h.shop, u -> {
            if (u.payload().startsWith("{")) {
                throw new IllegalArgumentException("malformed update: " + u.payload());
            }
            return incoming(u);
        });
        inbox.record(950, U, "{\"broken\"");
        inbox.record(951, U, "text hello");

        assertThat(inbox.handleWaiting()).as("950 given up, 951 handled").isEqualTo(2);
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
        h.deliver();
        assertThat(h.messenger.drain()).as("951 answered, 950 not apologized for").isNotEmpty()
                .noneSatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("upd_950"));
    }

    /**
     * A button press that waited in the inbox past the platform's answer window (a restart, a backlog) is handled but
     * not answered, though the partner's translation left {@code receivedAt} unknown: the inbox gives it the time it
     * was recorded, as the runtime does. Left unknown, the shop took the handling's moment and answered in vain.
     */
    @Test
    void aButtonPressThatWaitedPastTheAnswerWindowIsNotAnsweredThoughTheTranslationSaidNoTime() {
        h.messenger.drain();
        Inbox inbox = new Inbox(h.shop, u -> Optional.of(new Incoming(u.updateId(), ShopHarness.actor(U, "en"),
                new Event.Callback("q" + u.updateId(), u.payload(), Optional.of(1L)))));
        inbox.record(960, U, "*|b");
        h.clock.advance(Duration.ofSeconds(20));

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        h.deliver();
        List<Reply> replies = h.messenger.drain();
        assertThat(replies).as("handled").isNotEmpty();
        assertThat(replies).as("not answered late").noneMatch(r -> r instanceof Reply.AnswerCallback);
    }

    /**
     * A Stars payment whose transaction met a deadlock is left pending, and the started threads try it again after a
     * pause, with no new update to wake them and long before their tick: credited once. Partners' threads that only
     * ran handleWaiting when woken left it pending until the next update came or a restart.
     */
    @Test
    void theThreadsHandleAnUpdateLeftPendingAfterADeadlockWithNoNewUpdate() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Inbox inbox = new Inbox(deadlocking(new AtomicInteger(1)), InboxTest::incoming);
        inbox.record(926, U, "pay ch-10 " + payload);
        try (InboxThreads handlers = inbox.start(1, Duration.ofHours(1))) { // its first try meets the deadlock
            awaitNothingPending();
        }
        isCreditedOnce("ch-10");
    }

    /** An update recorded while the threads are idle wakes one at once, long before its tick. */
    @Test
    void aRecordWakesTheIdleThreads() throws InterruptedException {
        Inbox inbox = new Inbox(h.shop, InboxTest::incoming);
        try (InboxThreads handlers = inbox.start(2, Duration.ofHours(1))) {
            Thread.sleep(200); // past their first look, idle
            inbox.record(974, U, "text hello");
            awaitNothingPending();
        }
    }

    /** What the last run recorded but did not handle is handled at start, with no update to wake the threads. */
    @Test
    void theThreadsHandleAtStartWhatWasRecordedBefore() {
        h.messenger.drain();
        new Inbox(h.shop, InboxTest::incoming).record(970, U, "text hello");
        try (InboxThreads handlers = new Inbox(h.shop, InboxTest::incoming).start(1, Duration.ofHours(1))) {
            awaitNothingPending();
        }
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U).hasSize(1);
    }

    /**
     * An update another process recorded on the same stores wakes no thread here: it is handled at the next safety
     * tick, or at once when told ({@link InboxThreads#wake()}, from PgNotifications on PgProcessedUpdates.CHANNEL).
     */
    @Test
    void anUpdateAnotherProcessRecordedIsHandledAtTheTickOrWhenTold() {
        Inbox anotherProcess = new Inbox(h.shop, InboxTest::incoming);
        try (InboxThreads ticking = new Inbox(h.shop, InboxTest::incoming).start(1, Duration.ofMillis(100))) {
            anotherProcess.record(971, U, "text hello");
            awaitNothingPending();
        }
        try (InboxThreads told = new Inbox(h.shop, InboxTest::incoming).start(1, Duration.ofHours(1))) {
            anotherProcess.record(972, U, "text hello");
            told.wake();
            awaitNothingPending();
        }
    }

    /** Closed, the threads take nothing more: what is recorded then waits for the next start. */
    @Test
    void closedThreadsTakeNoMoreUpdates() throws InterruptedException {
        Inbox inbox = new Inbox(h.shop, InboxTest::incoming);
        inbox.start(2, InboxThreads.TICK_MIN).close();
        inbox.record(973, U, "text hello");
        Thread.sleep(300);
        assertThat(h.stores.processedUpdates().oldestPending()).isPresent();
    }

    /**
     * A tick below {@link InboxThreads#TICK_MIN} is refused, saying what to pass: a tick of a millisecond, accepted
     * before, had each idle thread ask the database a thousand times a second.
     */
    @Test
    void aTickBelowATenthOfASecondIsRefusedSayingWhatToPass() {
        Inbox inbox = new Inbox(h.shop, InboxTest::incoming);
        assertThatThrownBy(() -> inbox.start(1, Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 ms").hasMessageContaining("InboxThreads.SAFETY_TICK (5 s), or longer")
                .hasMessageContaining("PT0.001S");
        assertThatThrownBy(() -> inbox.start(1, Duration.ofMillis(99))).isInstanceOf(IllegalArgumentException.class);
        inbox.start(1, InboxThreads.TICK_MIN).close();
    }

    /**
     * A thread still busy after the stop's grace is interrupted and waited for again: it ends its update (here a
     * moment after the interrupt, as a driver's call ends its transaction) before {@code close()} returns, so that the
     * caller does not close the stores under it. Before, {@code close()} returned at the interrupt.
     */
    @Test
    void closeWaitsForAThreadItInterruptedToEnd() throws InterruptedException {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> handler =
                new java.util.concurrent.atomic.AtomicReference<>();
        Inbox inbox = new Inbox(h.shop, u -> {
            handler.set(Thread.currentThread());
            busy.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1).toMillis());
            } catch (InterruptedException interrupted) {
                try {
                    Thread.sleep(300); // ending its work: a moment more
                } catch (InterruptedException again) {
                    throw new IllegalStateException("interrupted twice", again);
                }
            }
            return incoming(u);
        });
        inbox.record(980, U, "text hello");
        InboxThreads threads = inbox.start(1, InboxThreads.SAFETY_TICK);
        assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        threads.close();
        assertThat(handler.get().isAlive()).as("ended before close() returned").isFalse();
    }

    /** Waits (up to 10 s) until no update is pending: the inbox's threads handled them. */
    private void awaitNothingPending() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (h.stores.processedUpdates().oldestPending().isPresent()) {
            assertThat(System.nanoTime()).as("still pending after 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * An update whose handling fails and whose apology's transaction fails too (a store that refuses the chat's writes)
     * counts each such try a failure of the update: left pending {@link Inbox#APOLOGY_TRIES_MAX} times (thrown, so the
     * caller pauses) and {@link Inbox#CONTENDED_FOR_MIN}, then marked done with no answer in a transaction of its own, and the other chats' updates go on.
     * Before, nothing was counted: it went back first in the inbox ({@code claimNext} takes the smallest head), was
     * claimed again and again ahead of every other chat, and its own chat was blocked for good.
     */
    @Test
    void anUpdateWhoseApologyFailsTooIsGivenUpWithoutAnAnswerAfterItsTriesAndTheOthersGoOn() {
        long refused = 502;
        h.messenger.drain();
        Inbox inbox = new Inbox(h.anotherInstance(refusingRepliesTo(refused)), u -> Optional.of(new Incoming(
                u.updateId(), ShopHarness.actor(u.chatId(), "en"), new Event.Text(u.payload().substring(5)))
                .receivedAt(u.recordedAt())));
        inbox.record(960, refused, "text hello");
        inbox.record(961, U, "text hello");

        for (int i = 0; i < Inbox.APOLOGY_TRIES_MAX; i++) {
            assertThatThrownBy(inbox::handleOne).as("left pending, try %d", i + 1)
                    .isInstanceOf(IllegalStateException.class);
            assertThat(h.stores.processedUpdates().oldestPending()).isPresent();
        }
        h.clock.advance(Inbox.CONTENDED_FOR_MIN);
        assertThat(inbox.handleWaiting()).as("given up with no answer, then the other chat's").isEqualTo(2);
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
        h.deliver();
        assertThat(h.messenger.drain()).as("the other chat answered, the refused one not").isNotEmpty()
                .allSatisfy(r -> assertThat(r.chatId()).isEqualTo(U));
    }

    /**
     * A Stars payment given up with no answer (its handling and its apology failed, the apology's keeping it as not
     * credited among them) leaves an audit line under its code with its charge id, and {@code /find} with the code
     * says the Stars were taken and credited nowhere, with the charge id and the amount. Before, an ERROR line in the
     * log was all there was of it: /find said no failure had the code. The charge is kept as not credited in the same
     * transaction, as the apology would have kept it: {@code /find} with the charge id shows it, and
     * {@code /refund_stars} with it refunds the Stars (before, it answered that it knew no such charge). The admins
     * are alerted once per charge, as for every payment not credited, and the user hears nothing: before, the admins
     * heard nothing of it, and of the same charge come again (kept before) they were alerted only then.
     */
    @Test
    void aPaymentGivenUpWithNoAnswerIsFoundByItsCodeWithItsCharge() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Inbox inbox = new Inbox(h.anotherInstance(s -> refusingApologiesKeeping(s.withLedger(
                new ForwardingLedger(s.ledger()) {
                    @Override
                    public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount,
                                                 TransferKind kind) {
                        throw new IllegalStateException("a bug in the ledger");
                    }
                }))), InboxTest::incoming);
        inbox.record(970, U, "pay ch-9 " + payload);

        List<Reply> told = givenUpAfterItsApologysTries(inbox);

        assertThat(told).as("the admins alerted, the user told nothing").singleElement().satisfies(r -> {
            assertThat(r.chatId()).isEqualTo(ShopHarness.ADMIN);
            assertThat(ShopHarness.lastText(List.of(r))).contains("Payment not credited — paid by ", "(id " + U + "): ",
                    "its handling and its apology kept failing", "Reference ch-9", "update 970");
        });

        assertThat(h.stores.audit().byCorrelation("upd_970")).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Inbox.GIVEN_UP);
            assertThat(e.detail()).isEqualTo(U + " ch-9 50 XTR");
        });
        assertThat(ShopHarness.lastText(h.admin("find", "upd_970"))).contains("upd_970",
                "could not handle a payment of 50", "by user User" + U + " (id " + U + ")", "not credited", "charge id: ch-9",
                "/refund_stars ch-9", "/find " + U);
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(ShopHarness.lastText(h.admin("find", "upd_970"))).contains("upd_970",
                "не смог обработать оплату пользователя User" + U + " (ID " + U + ")", "не зачислены", "Номер платежа в Telegram: ch-9",
                "сохранён как незачисленный");
        assertThat(h.stores.payments().uncredited("ch-9")).as("kept as not credited, refundable")
                .hasValueSatisfying(c -> {
                    assertThat(c.userId()).isEqualTo(U);
                    assertThat(c.stars()).isEqualTo(50);
                    assertThat(c.reason()).contains("given up with no answer");
                });
        assertThat(ShopHarness.lastText(h.admin("find", "ch-9"))).contains("раз за разом срывались");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
        assertThat(ShopHarness.lastText(h.adminConfirmed("refund_stars", "ch-9"))).contains("Refunded 50\u00A0⭐ to ", "(id " + U + ")");

        Inbox again = new Inbox(h.shop, InboxTest::incoming);
        again.record(972, U, "pay ch-9 " + payload);
        assertThat(again.handleWaiting()).isEqualTo(1);
        h.deliver();
        assertThat(h.messenger.drain()).as("the same charge again: the user told, the admins not again")
                .singleElement().satisfies(r -> assertThat(r.chatId()).isEqualTo(U));
    }

    /**
     * An update given up with no answer whose audit line cannot be written either is still marked done, alone, after
     * one try of the line: its chat goes on.
     */
    @Test
    void anUpdateGivenUpWhoseAuditLineFailsIsMarkedDoneAlone() {
        h.messenger.drain();
        AtomicInteger lines = new AtomicInteger();
        Inbox inbox = new Inbox(h.anotherInstance(s -> refusingRepliesTo(U).apply(stores(s, UnaryOperator.identity(),
                a -> ForwardingAudit.refusing(a, Inbox.GIVEN_UP, lines)))), InboxTest::incoming);
        inbox.record(971, U, "text hello");

        assertThat(givenUpAfterItsApologysTries(inbox)).isEmpty();

        assertThat(lines).as("the line tried once").hasValue(1);
        assertThat(h.stores.audit().byCorrelation("upd_971")).noneMatch(e -> e.action().equals(Inbox.GIVEN_UP));
    }

    /**
     * Its apology fails {@link Inbox#APOLOGY_TRIES_MAX} times, then it is given up: done, with no answer to its chat.
     *
     * @return what was delivered after (to other chats: an admin's alert)
     */
    private List<Reply> givenUpAfterItsApologysTries(Inbox inbox) {
        for (int i = 0; i < Inbox.APOLOGY_TRIES_MAX; i++) {
            assertThatThrownBy(inbox::handleOne).as("left pending, try %d", i + 1)
                    .isInstanceOf(IllegalStateException.class);
        }
        h.clock.advance(Inbox.CONTENDED_FOR_MIN);
        assertThat(inbox.handleWaiting()).as("given up with no answer").isEqualTo(1);
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
        h.deliver();
        List<Reply> delivered = h.messenger.drain();
        assertThat(delivered).as("no answer to its chat").noneMatch(r -> r.chatId() == U);
        return delivered;
    }

    /**
     * The stores whose payments refuse a charge kept as not credited by an apology ({@code handling failed…}): the
     * apology fails before it writes it (the in-memory stores do not undo a rolled-back write), and what is kept of
     * the charge after is what the give-up kept.
     */
    private static Stores refusingApologiesKeeping(Stores s) {
        Payments payments = s.payments();
        Payments refusing = (Payments) Proxy.newProxyInstance(Payments.class.getClassLoader(),
                new Class<?>[] {Payments.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recordUncredited")
                            && ((UncreditedCharge) args[0]).reason().startsWith("handling failed")) {
                        throw new IllegalStateException("the store refuses the apology's write");
                    }
                    try {
                        return method.invoke(payments, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), refusing, s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(), s.supportTickets(),
                s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(), s.externalRefundDues(), s.personalData());
    }

    /** The stores whose outbox refuses {@code chat}'s replies: its handling fails, its apology too. */
    private static UnaryOperator<Stores> refusingRepliesTo(long chat) {
        return s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public void append(List<Outgoing> replies, Instant now) {
                if (replies.stream().anyMatch(r -> r.reply().chatId() == chat)) {
                    throw new IllegalStateException("the outbox refuses this chat's rows");
                }
                super.append(replies, now);
            }
        }, s.transactions());
    }

    /** Recorded as "pay charge payload" or "text …": your platform's raw update. */
    private static Optional<Incoming> incoming(PendingUpdate u) {
        String[] f = u.payload().split(" ", 3);
        Event event = f[0].equals("pay") ? new Event.SuccessfulPayment(f[1], f[2], "XTR", 50)
                : new Event.Text(u.payload().substring(5));
        return Optional.of(new Incoming(u.updateId(), ShopHarness.actor(U, "en"), event).receivedAt(u.recordedAt()));
    }

    /** {@link #incoming}, whose first translation of {@code updateId} fails as a bug would. */
    private static java.util.function.Function<PendingUpdate, Optional<Incoming>> failingOnce(long updateId) {
        AtomicBoolean failing = new AtomicBoolean(true);
        return u -> {
            if (u.updateId() == updateId && failing.getAndSet(false)) {
                throw new IllegalStateException("a bug");
            }
            return incoming(u);
        };
    }

    /** The payment's Stars credited once, its user told, its update done. */
    private void isCreditedOnce(String charge) {
        h.deliver();
        List<Reply> replies = h.messenger.drain();
        assertThat(replies).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U)))
                .filteredOn(t -> t.kind() == TransferKind.TOP_UP_STARS).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(h.balance(U)).isPositive());
        assertThat(h.stores.payments().uncredited(charge)).isEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }

    /** The shop over the harness' stores whose ledger's next {@code deadlocks} transfers meet a deadlock. */
    private Shop deadlocking(AtomicInteger deadlocks) {
        return h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (deadlocks.getAndDecrement() > 0) {
                    throw new IllegalStateException("the store's wrapper",
                            new SQLException("deadlock detected", "40P01"));
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
    }

    /** The stores with {@code change} applied to their inbox. */
    private static UnaryOperator<Stores> inbox(UnaryOperator<ProcessedUpdates> change) {
        return s -> stores(s, change, UnaryOperator.identity());
    }

    /** {@code s} with {@code inbox} applied to its inbox and {@code audit} to its audit trail. */
    private static Stores stores(Stores s, UnaryOperator<ProcessedUpdates> inbox, UnaryOperator<Audit> audit) {
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                inbox.apply(s.processedUpdates()), audit.apply(s.audit()), s.admissions(), s.broadcasts(),
                s.manualTopUps(), s.supportTickets(), s.figures(), s.pendingReplies(), s.transactions(),
                s.pausedModels(), s.externalRefundDues(), s.personalData());
    }

    /** The user was told his update (named by its id in the apology) was given up, and nothing waits in the inbox. */
    private void assertApologizedForAndNothingPending(String updateName) {
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == U)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains(updateName));
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }
}
