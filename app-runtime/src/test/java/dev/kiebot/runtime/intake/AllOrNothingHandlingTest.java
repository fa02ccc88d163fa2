package dev.kiebot.runtime.intake;

import static dev.kiebot.postgres.testing.LockWaits.awaitQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.shop.ReplySender;
import dev.kiebot.core.shop.SendAttempt;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ForwardingAudit;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Handling is all-or-nothing and replies never hold a handler, checked on the real PostgreSQL: a crash before
 * the handling commit leaves nothing and the update is handled once afterwards; a crash after it leaves the
 * replies queued and they go out once; a chat being paced does not delay another chat; a sender stopped
 * mid-way and another one started deliver every reply once.
 */
class AllOrNothingHandlingTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private static final long ALICE = 5_550_001;
    private static final long BOB = 5_550_002;
    private static final long ADMIN = 5_550_009;

    private final HandlingTestBed bed = new HandlingTestBed();

    private Shop shop(ChatPacing pacing, Clock pacingClock) {
        return ScriptedShop.on(bed.stores, bed.messenger, bed.clock, pacing, pacingClock);
    }

    private long pendingUpdates() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM processed_updates WHERE done_at IS NULL").mapTo(Long.class).one());
    }

    private long outboxRowsTo(long chat) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE chat_id = :chat")
                .bind("chat", chat).mapTo(Long.class).one());
    }

    private long outboxRows() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
    }

    /** The process dies at this point: not an exception the dispatcher handles. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** The inbox of a process that dies right before it would mark its update done (inside the transaction). */
    private ProcessedUpdates dyingBeforeDone() {
        return new InboxFailingAtDone(bed.stores.processedUpdates()) {
            @Override
            public void done(long updateId, Instant now) {
                throw new Crash();
            }
        };
    }

    @Test
    void aCrashBeforeTheCommitLeavesNothingAndTheUpdateIsHandledOnceAfterwards() {
        aliceHasPaid();
        Shop dying = bed.shop();
        assertThatThrownBy(() -> bed.dispatcher(dying, dyingBeforeDone()).handleOne()).isInstanceOf(Crash.class);
        assertThat(bed.stores.ledger().balance(AccountId.wallet(ALICE)).available()).isZero();
        assertThat(outboxRows()).isZero();
        assertThat(bed.stores.payments().charge("charge-1")).isEmpty();

        Shop restarted = bed.shop();
        assertThat(bed.dispatcher(restarted, bed.stores.processedUpdates()).handleOne()).isTrue();
        assertThat(bed.dispatcher(restarted, bed.stores.processedUpdates()).handleOne()).isFalse();
        restarted.sender().drain(100);
        assertThat(bed.stores.ledger().balance(AccountId.wallet(ALICE)).available()).isEqualTo(7_500);
        assertThat(bed.textsTo(ALICE)).filteredOn(t -> t.contains("Balance topped up")).hasSize(1);
    }

    /**
     * A payment whose handling failed after it was credited: the credit is rolled back and nothing retries it, so the
     * apology's transaction keeps it refundable with its audit (before, /refund_stars did not know the charge).
     */
    @Test
    void aPaymentWhoseHandlingFailedIsRolledBackAndKeptRefundableWithItsAudit() {
        aliceHasPaid();
        Shop shop = bed.shop();
        UpdateDispatcher failing = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(), in -> {
                    shop.storefront().handle(in);
                    throw new IllegalStateException("a bug after the credit");
                }, shop.storefront()::apologize);

        assertThat(failing.handleOne()).isTrue();

        assertThat(bed.stores.ledger().balance(AccountId.wallet(ALICE)).available()).as("rolled back").isZero();
        assertThat(bed.stores.payments().charge("charge-1")).isEmpty();
        assertThat(bed.stores.payments().uncredited("charge-1")).hasValueSatisfying(c -> {
            assertThat(c.userId()).isEqualTo(ALICE);
            assertThat(c.stars()).isEqualTo(50);
            assertThat(c.payload()).isEqualTo("topup:real");
        });
        assertThat(bed.stores.audit().byCorrelation("pay:charge-1")).extracting(e -> e.action())
                .containsExactly("payment.anomaly");
        assertThat(failing.handleOne()).as("done").isFalse();
    }

    /**
     * An update whose transaction meets a deadlock at every claim (a code path that always does, against a periodic
     * job) is left pending a bounded number of times and for a bounded while, then given up as a failing update is:
     * retried for ever, it held its chat for good. Not before the while: it is claimed again at once, so its tries
     * alone could all be spent within one burst of lock conflicts.
     */
    @Test
    void anUpdateThatMeetsADeadlockAtEveryClaimIsGivenUpAfterItsTries() {
        aliceHasPaid();
        Shop shop = bed.shop();
        UpdateDispatcher deadlocked = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(), in -> {
                    throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                            new java.sql.SQLException("deadlock detected", "40P01"), null);
                }, shop.storefront()::apologize);

        for (int i = 0; i < UpdateDispatcher.CONTENDED_TRIES_MAX; i++) {
            // returned, not thrown: a throw put the handler thread to sleep in the loop's backoff
            assertThat(deadlocked.handleOne()).as("tried, try %d", i + 1).isTrue();
            assertThat(pendingUpdates()).as("left for a later claim, try %d", i + 1).isEqualTo(1);
        }
        assertThat(deadlocked.handleOne()).as("tried past its count").isTrue();
        assertThat(pendingUpdates()).as("but within the while: still left for a later claim").isEqualTo(1);
        bed.clock.advance(UpdateDispatcher.CONTENDED_FOR_MIN);
        assertThat(deadlocked.handleOne()).as("given up").isTrue();
        assertThat(pendingUpdates()).isZero();
        assertThat(bed.stores.payments().uncredited("charge-1")).as("kept for an admin's refund").isPresent();
        assertThat(bed.dispatcher(shop, bed.stores.processedUpdates()).drain()).as("done").isZero();
    }

    /**
     * A Stars payment whose transaction met a deadlock on every one of its tries (another user's payment locking the
     * same wallets the other way round): another transaction's timing, not the payment's fault, so the update stays
     * pending and is credited once on a later claim. It was given up, and the payment kept not credited until an admin
     * refunded it by hand.
     */
    @Test
    void aPaymentWhoseTransactionKeptMeetingDeadlocksIsCreditedOnceLaterNotKeptUncredited() {
        aliceHasPaid();
        Shop shop = bed.shop();
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        UpdateDispatcher deadlocked = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(), in -> {
                    tries.incrementAndGet();
                    shop.storefront().handle(in);
                    throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                            new java.sql.SQLException("deadlock detected", "40P01"), null);
                }, shop.storefront()::apologize);

        assertThat(deadlocked.handleOne()).as("tried, not thrown to the loop's backoff").isTrue();
        assertThat(pendingUpdates()).as("left for a later claim").isEqualTo(1);
        assertThat(tries.get()).as("the transaction's own retries first").isGreaterThan(1);
        assertThat(bed.stores.payments().uncredited("charge-1")).isEmpty();
        assertThat(bed.stores.ledger().balance(AccountId.wallet(ALICE)).available()).isZero();

        assertThat(bed.dispatcher(shop, bed.stores.processedUpdates()).drain()).isEqualTo(1);
        shop.sender().drain(100);
        assertThat(bed.stores.ledger().balance(AccountId.wallet(ALICE)).available()).isEqualTo(7_500);
        assertThat(bed.stores.payments().uncredited("charge-1")).isEmpty();
        assertThat(bed.textsTo(ALICE)).filteredOn(t -> t.contains("Balance topped up")).hasSize(1);
        assertThat(bed.dispatcher(shop, bed.stores.processedUpdates()).drain()).isZero();
    }

    /**
     * An Error that comes back on the same update is the update's, not the process's (a chart drawn on a machine
     * without fonts throws {@code InternalError}): after {@link UpdateDispatcher#ERROR_TRIES_MAX} tries again it is
     * given up with an apology, and the chats behind it are answered. Before, it was tried for ever, first each time,
     * and no chat got an answer.
     */
    @Test
    void anUpdateThatKeepsThrowingAnErrorIsGivenUpAfterAFewTriesAndTheOthersGoOn() {
        bed.record(bed.updates.command(ALICE, "admin", ""));
        bed.record(bed.updates.command(BOB, "start", ""));
        Shop shop = bed.shop();
        UpdateDispatcher dispatcher = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(),
                failingAlicesHandling(shop, () -> new InternalError("Fontconfig head is null")),
                shop.storefront()::apologize);

        for (int i = 0; i < UpdateDispatcher.ERROR_TRIES_MAX; i++) {
            assertThatThrownBy(dispatcher::handleOne).isInstanceOf(InternalError.class);
        }
        assertThat(dispatcher.handleOne()).as("given up").isTrue();
        assertThat(dispatcher.handleOne()).as("Bob's").isTrue();
        assertThat(dispatcher.handleOne()).isFalse();
        shop.sender().drain(100);
        assertThat(bed.textsTo(ALICE)).singleElement().asString().contains("Sorry");
        assertThat(bed.textsTo(BOB)).isNotEmpty().noneMatch(t -> t.contains("Sorry"));
    }

    /**
     * An update the translator throws on (bad data, likely what failed its handling) is given up, marked done with no
     * apology (nobody to address one to), and its chat's next update is handled, as core's {@code Inbox} gives it up.
     * The give-up translated it again for the apology, inside its transaction, which threw too: it was never marked
     * done, stayed first in its chat, and every claim threw.
     */
    @Test
    void anUpdateTheTranslatorThrowsOnIsGivenUpWithNoApologyAndItsChatGoesOn() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        bed.record(bed.updates.command(ALICE, "help", ""));
        Shop shop = bed.shop();
        UpdateDispatcher dispatcher = bed.dispatcher(update -> {
            if (update.contains("/start")) {
                throw new IllegalArgumentException("malformed update: " + update);
            }
            return bed.translate(update);
        }, bed.stores.processedUpdates(), bed.stores.transactions(), shop.storefront()::handle,
                shop.storefront()::apologize);

        assertThat(dispatcher.handleOne()).as("given up").isTrue();
        assertThat(dispatcher.handleOne()).as("its chat's next").isTrue();
        assertThat(dispatcher.handleOne()).isFalse();
        assertThat(pendingUpdates()).isZero();
        shop.sender().drain(100);
        assertThat(bed.textsTo(ALICE)).as("/help's answer, no apology").isNotEmpty()
                .noneMatch(t -> t.contains("the code upd_"));
    }

    /**
     * An update whose handling fails and whose apology's transaction fails too (a store refusing the apology's write)
     * counts each such try a failure of the update, as core's {@code Inbox} does: thrown to the loop's backoff
     * {@code Inbox.APOLOGY_TRIES_MAX} times and for {@code Inbox.CONTENDED_FOR_MIN}, then marked done with no answer, logged at ERROR with its user masked, and
     * the other chats go on. Before, nothing was counted: it went back first in the inbox ({@code claimNext} takes the
     * smallest head), was claimed again ahead of Bob's at every try, and Alice's chat was blocked for good.
     */
    @Test
    void anUpdateWhoseApologyFailsTooIsGivenUpWithoutAnAnswerAfterItsTriesAndTheOthersGoOn() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        bed.record(bed.updates.command(BOB, "start", ""));
        Shop shop = bed.shop();
        UpdateDispatcher dispatcher = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(),
                failingAlicesHandling(shop, () -> new IllegalStateException("a bug")), in -> {
            shop.storefront().apologize(in);
            if (in.actor().userId() == ALICE) {
                throw new IllegalStateException("the store refused the apology's write");
            }
        });

        LogCapture logs = LogCapture.attach();
        try {
            for (int i = 0; i < Inbox.APOLOGY_TRIES_MAX; i++) {
                assertThatThrownBy(dispatcher::handleOne).as("left pending, try %d", i + 1)
                        .hasMessageContaining("apology's write");
                assertThat(pendingUpdates()).as("Bob's still waits too, try %d", i + 1).isEqualTo(2);
            }
            bed.clock.advance(UpdateDispatcher.CONTENDED_FOR_MIN);
            assertThat(dispatcher.handleOne()).as("given up without an answer").isTrue();
        } finally {
            logs.detach();
        }
        assertThat(dispatcher.handleOne()).as("Bob's").isTrue();
        assertThat(dispatcher.handleOne()).isFalse();
        assertThat(pendingUpdates()).isZero();
        shop.sender().drain(100);
        assertThat(bed.textsTo(ALICE)).as("rolled back with the apology").isEmpty();
        assertThat(bed.textsTo(BOB)).isNotEmpty();
        assertThat(logs.warnings()).anySatisfy(l -> assertThat(l).startsWith("ERROR").contains("given up without an "
                + "answer").contains("***0001")).noneMatch(l -> l.contains(String.valueOf(ALICE)));
    }

    /**
     * A Stars payment given up with no answer (its handling failed, and its apology, which keeps it as not credited,
     * kept failing) is recorded under its code with its charge id and amount, and kept as not credited (refundable),
     * in the done mark's transaction, as core's {@code Inbox} does it: before, an ERROR line in the log was all there
     * was of the Stars taken, and then an audit line, but no refund knew the charge. The admins are alerted once per
     * charge, in that transaction (a row of the outbox), as for every payment not credited, and Alice hears nothing:
     * before, the admins heard nothing of it.
     */
    @Test
    void aPaymentGivenUpWithNoAnswerIsRecordedUnderItsCodeWithItsCharge() {
        aliceHasPaid();
        bed.stores.users().seen(ADMIN, "Admin", Optional.empty(), Optional.of("en"), bed.clock.instant());
        Shop shop = ScriptedShop.builder(bed.stores, bed.messenger, bed.clock).settings(ShopSettings.defaults()
                .withAdmission(AdmissionPolicy.off()).withAdmins(Set.of(ADMIN))).build();
        UpdateDispatcher dispatcher = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(), in -> {
            throw new IllegalStateException("a bug");
        }, in -> {
            shop.storefront().apologize(in);
            throw new IllegalStateException("the store refused the apology's write");
        }, shop.storefront()::givenUp);

        givenUpAfterItsApologysTries(dispatcher);

        assertThat(bed.stores.audit().recent(10)).filteredOn(e -> e.action().equals(Inbox.GIVEN_UP)).singleElement()
                .satisfies(e -> {
                    assertThat(e.detail()).isEqualTo(ALICE + " charge-1 50 XTR");
                    assertThat(e.correlationId()).hasValueSatisfying(c -> assertThat(c).startsWith("upd_"));
                });
        assertThat(bed.stores.payments().uncredited("charge-1")).as("kept as not credited, given up")
                .hasValueSatisfying(c -> {
                    assertThat(c.userId()).isEqualTo(ALICE);
                    assertThat(c.stars()).isEqualTo(50);
                    assertThat(c.reason()).contains("given up with no answer");
                });
        assertThat(outboxRows()).as("the admin's alert, queued with the done mark").isEqualTo(1);
        shop.sender().drain(100);
        assertThat(bed.textsTo(ADMIN)).singleElement().satisfies(t -> assertThat(t).contains(
                "Payment not credited — paid by ", "(id " + ALICE + "): ", "its handling and its apology kept failing",
                "Reference charge-1"));
        assertThat(bed.textsTo(ALICE)).isEmpty();
    }

    /**
     * An update given up with no answer whose audit line cannot be written either is still marked done, alone, after
     * one try of the line (logged at ERROR): its chat goes on.
     */
    @Test
    void anUpdateGivenUpWhoseAuditLineFailsIsMarkedDoneAlone() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        java.util.concurrent.atomic.AtomicInteger lines = new java.util.concurrent.atomic.AtomicInteger();
        UpdateDispatcher dispatcher = bed.dispatcher(bed::translate, bed.stores.processedUpdates(),
                bed.stores.transactions(), ForwardingAudit.refusing(bed.stores.audit(), Inbox.GIVEN_UP, lines), in -> {
                    throw new IllegalStateException("a bug");
                }, in -> {
                    throw new IllegalStateException("the store refused the apology's write");
                });

        givenUpAfterItsApologysTries(dispatcher);

        assertThat(outboxRows()).isZero();
        assertThat(lines).as("the line tried once").hasValue(1);
        assertThat(bed.stores.audit().recent(10)).noneMatch(e -> e.action().equals(Inbox.GIVEN_UP));
    }

    /**
     * A Stars payment given up because the outbox refuses every row (the apology's, then the admins' alert queued with
     * the done mark) is still kept as not credited, refundable, with its given-up line, without the alert: the alert
     * failed the give-up's transaction, and the update was marked done alone, the charge kept nowhere and no line
     * written ({@code /refund_stars} and {@code /find} knew nothing of it). No {@code payment.anomaly} line either,
     * which would say the admins were told and keep them from hearing of the same charge again.
     */
    @Test
    void aPaymentGivenUpWhoseAlertTheOutboxRefusesIsKeptWithoutIt() {
        aliceHasPaid();
        UpdateDispatcher dispatcher = onAShopWhoseOutboxRefusesItsRows(stores -> stores, settings -> settings);

        givenUpAfterItsApologysTries(dispatcher);

        assertThat(bed.stores.payments().uncredited("charge-1")).as("kept as not credited, refundable")
                .hasValueSatisfying(c -> assertThat(c.reason()).contains("given up with no answer"));
        assertThat(bed.stores.audit().recent(10)).filteredOn(e -> e.action().equals(Inbox.GIVEN_UP)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(ALICE + " charge-1 50 XTR"));
        assertThat(bed.stores.audit().byCorrelation("pay:charge-1")).as("no alert said sent").isEmpty();
        assertThat(outboxRows()).isZero();
    }

    /**
     * The same on a shop that keeps no Stars store ({@code Payments.none()}): kept without the alert, it was kept
     * nowhere (no store, no alert, so no {@code payment.anomaly} line), {@code /find <charge id>} found nothing and the
     * log said «kept without it». Now its own line under {@code pay:<charge id>}, not an anomaly line (which would keep
     * the admins from hearing of the same charge again), and the log says it is kept nowhere but the audit.
     */
    @Test
    void aPaymentGivenUpWhoseAlertTheOutboxRefusesOnAShopWithoutAStarsStoreIsAuditedUnderItsCharge() {
        aliceHasPaid();
        UpdateDispatcher dispatcher = onAShopWhoseOutboxRefusesItsRows(r -> new dev.kiebot.core.shop.Stores(r.users(),
                r.chatStates(), r.ledger(), r.jobs(), dev.kiebot.core.payments.Payments.none(), r.freeUsage(),
                r.processedUpdates(), r.audit(), r.admissions(), r.broadcasts(), r.manualTopUps(), r.supportTickets(),
                r.figures(), r.pendingReplies(), r.transactions(), r.pausedModels(), r.externalRefundDues(), r.personalData()),
                ShopSettings::withoutStars);
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            givenUpAfterItsApologysTries(dispatcher);
        } finally {
            logs.detach();
        }

        assertThat(bed.stores.audit().recent(10)).filteredOn(e -> e.action().equals(Inbox.GIVEN_UP)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(ALICE + " charge-1 50 XTR"));
        assertThat(bed.stores.audit().byCorrelation("pay:charge-1")).as("its line, no anomaly's").singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo(Inbox.GIVEN_UP_KEPT_NOWHERE));
        assertThat(outboxRows()).isZero();
        assertThat(logs.warnings()).anySatisfy(l -> assertThat(l).contains("upd_")
                .contains("kept nowhere but the audit").contains("/find charge-1"))
                .noneSatisfy(l -> assertThat(l).contains("kept without it"));
    }

    /**
     * The dispatcher of a shop whose outbox refuses every row (the apology's, then the admins' alert queued with the
     * done mark), with {@code ADMIN} among its admins and handling that throws as a bug would: an update is apologized
     * for, then given up. {@code stores} makes the shop's stores from the refusing ones, {@code settings} its settings
     * from the defaults with no admission limit.
     */
    private UpdateDispatcher onAShopWhoseOutboxRefusesItsRows(
            java.util.function.UnaryOperator<dev.kiebot.core.shop.Stores> stores,
            java.util.function.UnaryOperator<ShopSettings> settings) {
        bed.stores.users().seen(ADMIN, "Admin", Optional.empty(), Optional.of("en"), bed.clock.instant());
        dev.kiebot.core.shop.Stores refusing = bed.stores.withPendingReplies(
                new dev.kiebot.core.testing.ForwardingPendingReplies(bed.stores.pendingReplies()) {
                    @Override
                    public void append(List<dev.kiebot.core.reply.Outgoing> replies, Instant now) {
                        throw new IllegalStateException("the outbox refuses its rows (the apology's write)");
                    }
                }, bed.stores.transactions());
        Shop shop = ScriptedShop.builder(stores.apply(refusing), bed.messenger, bed.clock).settings(settings.apply(
                ShopSettings.defaults().withAdmission(AdmissionPolicy.off()).withAdmins(Set.of(ADMIN)))).build();
        return bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(), in -> {
            throw new IllegalStateException("a bug");
        }, in -> shop.storefront().apologize(in), shop.storefront()::givenUp);
    }

    /** Its apology fails {@code Inbox.APOLOGY_TRIES_MAX} times, then it is given up: done, with no answer. */
    private void givenUpAfterItsApologysTries(UpdateDispatcher dispatcher) {
        for (int i = 0; i < Inbox.APOLOGY_TRIES_MAX; i++) {
            assertThatThrownBy(dispatcher::handleOne).as("left pending, try %d", i + 1)
                    .hasMessageContaining("apology's write");
        }
        bed.clock.advance(UpdateDispatcher.CONTENDED_FOR_MIN);
        assertThat(dispatcher.handleOne()).as("given up without an answer").isTrue();
        assertThat(dispatcher.handleOne()).isFalse();
        assertThat(pendingUpdates()).isZero();
        assertThat(outboxRowsTo(ALICE)).as("no answer to her").isZero();
    }

    /**
     * A store problem of under a second (a statement timeout, neither a lost connection nor a deadlock) fails a Stars
     * payment's handling and its apology, which keeps the payment as not credited: past
     * {@code Inbox.APOLOGY_TRIES_MAX} failed apologies within the same instant the update stays pending, by core's
     * time floor ({@code Inbox.CONTENDED_FOR_MIN}), and is credited once at the first try after the problem. Counted
     * with no floor, it was marked done with no answer at the 4th try: the Stars taken, and nothing kept of them.
     */
    @Test
    void aPaymentWhoseHandlingAndApologyFailForUnderASecondIsCreditedAfter() {
        aliceHasPaid();
        Shop shop = bed.shop();
        java.util.concurrent.atomic.AtomicBoolean blip = new java.util.concurrent.atomic.AtomicBoolean(true);
        UpdateDispatcher dispatcher = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(), in -> {
            if (blip.get()) {
                throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                        new java.sql.SQLException("canceling statement due to statement timeout", "57014"), null);
            }
            shop.storefront().handle(in);
        }, in -> {
            if (blip.get()) {
                throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(
                        new java.sql.SQLException("canceling statement due to statement timeout", "57014"), null);
            }
            shop.storefront().apologize(in);
        });

        for (int i = 0; i <= Inbox.APOLOGY_TRIES_MAX; i++) {
            assertThatThrownBy(dispatcher::handleOne).as("left pending, try %d", i + 1)
                    .hasMessageContaining("statement timeout");
            assertThat(pendingUpdates()).as("try %d", i + 1).isEqualTo(1);
        }
        blip.set(false);
        assertThat(dispatcher.handleOne()).isTrue();
        assertThat(pendingUpdates()).isZero();
        assertThat(bed.stores.ledger().balance(AccountId.wallet(ALICE)).available()).isEqualTo(7_500);
        assertThat(bed.stores.payments().uncredited("charge-1")).isEmpty();
    }

    /**
     * An update that keeps throwing an Error and whose apology fails too is given up by one count, as core's
     * {@code Inbox} gives it up: its Errors' tries once, then its apology's tries, then marked done with no answer, and
     * Bob's is handled. The Errors' count was forgotten at each give-up, so each try of the apology came only after
     * {@code ERROR_TRIES_MAX} more Errors.
     */
    @Test
    void anUpdateThatKeepsThrowingAnErrorAndWhoseApologyFailsIsGivenUpByOneCount() {
        bed.record(bed.updates.command(ALICE, "admin", ""));
        bed.record(bed.updates.command(BOB, "start", ""));
        Shop shop = bed.shop();
        UpdateDispatcher dispatcher = bed.dispatcher(bed.stores.processedUpdates(), bed.stores.transactions(),
                failingAlicesHandling(shop, () -> new InternalError("Fontconfig head is null")), in -> {
            throw new IllegalStateException("the store refused the apology's write");
        });

        for (int i = 0; i < UpdateDispatcher.ERROR_TRIES_MAX; i++) {
            assertThatThrownBy(dispatcher::handleOne).as("Error, try %d", i + 1).isInstanceOf(InternalError.class);
        }
        for (int i = 0; i < Inbox.APOLOGY_TRIES_MAX; i++) {
            assertThatThrownBy(dispatcher::handleOne).as("apology, try %d", i + 1)
                    .hasMessageContaining("apology's write");
        }
        bed.clock.advance(UpdateDispatcher.CONTENDED_FOR_MIN);
        assertThat(dispatcher.handleOne()).as("given up without an answer").isTrue();
        assertThat(dispatcher.handleOne()).as("Bob's").isTrue();
        assertThat(dispatcher.handleOne()).isFalse();
        assertThat(pendingUpdates()).isZero();
    }

    @Test
    void aCrashAfterTheCommitLeavesTheRepliesQueuedAndTheyGoOutOnce() {
        bed.record(bed.updates.command(ALICE, "start", ""));
        bed.record(bed.updates.command(ALICE, "help", ""));
        Shop first = bed.shop();
        UpdateDispatcher d = bed.dispatcher(first, bed.stores.processedUpdates());
        assertThat(d.drain()).isEqualTo(2);
        assertThat(bed.messenger.all()).as("the handler sent nothing itself").isEmpty();
        assertThat(outboxRows()).isEqualTo(2);
        // the process dies before its sender ran; the next one delivers
        Shop next = bed.shop();
        assertThat(bed.dispatcher(next, bed.stores.processedUpdates()).drain()).as("nothing is handled twice").isZero();
        assertThat(next.sender().drain(100)).isEqualTo(2);
        assertThat(next.sender().drain(100)).isZero();
        assertThat(bed.textsTo(ALICE)).hasSize(2);
        assertThat(bed.textsTo(ALICE).get(0)).contains("Hi, User" + ALICE);
        assertThat(bed.textsTo(ALICE).get(1)).contains("Here you can make");
    }

    @Test
    void aChatWaitingForItsTurnDoesNotDelayAnotherChatAndEachChatKeepsItsOrder() {
        Shop paced = shop(new ChatPacing(Duration.ofSeconds(10), 1), Clock.systemUTC());
        bed.record(bed.updates.command(ALICE, "start", ""));
        for (int i = 1; i <= 3; i++) {
            bed.record(bed.updates.command(ALICE, "help", ""));
        }
        bed.record(bed.updates.command(BOB, "start", ""));
        UpdateDispatcher d = bed.dispatcher(paced, bed.stores.processedUpdates());
        assertThat(d.drain()).as("handlers never wait for Telegram").isEqualTo(5);
        paced.sender().drain(100);
        assertThat(bed.textsTo(BOB)).as("Bob's answer is not behind Alice's paused chat").hasSize(1);
        assertThat(bed.textsTo(ALICE)).as("Alice's chat waits for its turn").hasSize(1);
        assertThat(bed.textsTo(ALICE).get(0)).contains("Hi, User" + ALICE);
        assertThat(paced.sender().sendNext()).isInstanceOfSatisfying(SendAttempt.NothingDue.class, idle ->
                assertThat(idle.untilNextDue()).hasValueSatisfying(wait ->
                        assertThat(wait).isGreaterThan(Duration.ofSeconds(5))));
        // ten seconds on, her turn has come: the rest follow, in order
        Shop later = shop(new ChatPacing(Duration.ZERO, 1), Clock.offset(Clock.systemUTC(), Duration.ofSeconds(11)));
        later.sender().drain(100);
        assertThat(bed.textsTo(ALICE)).hasSize(4);
        assertThat(bed.textsTo(ALICE).subList(1, 4)).allSatisfy(t -> assertThat(t).contains("Here you can make"));
    }

    /**
     * The sender looks for a due chat a moment before Alice's turn and asks how long to rest a moment after it:
     * asked apart, her reply was in neither answer (not due yet, and not "due after now"), and an idle sender slept
     * the whole safety poll (60 s on the bot's own database) with it waiting.
     */
    @Test
    void aChatFallingDueWhileTheSenderLooksIsLookedAtAgainAtOnce() {
        Instant start = Instant.parse("2026-11-30T12:00:00Z");
        Shop paced = shop(new ChatPacing(Duration.ofSeconds(10), 1), Clock.fixed(start, java.time.ZoneOffset.UTC));
        bed.record(bed.updates.command(ALICE, "start", ""));
        bed.record(bed.updates.command(ALICE, "help", ""));
        assertThat(bed.dispatcher(paced, bed.stores.processedUpdates()).drain()).isEqualTo(2);
        assertThat(paced.sender().drain(100)).isEqualTo(1);
        Instant turn = start.plusSeconds(10);
        Shop looking = shop(new ChatPacing(Duration.ofSeconds(10), 1),
                new ReadsClock(turn.minusMillis(1), turn.plusMillis(1)));

        assertThat(looking.sender().sendNext()).isInstanceOfSatisfying(SendAttempt.NothingDue.class, idle ->
                assertThat(idle.untilNextDue()).as("her turn came while the sender looked: look again at once")
                        .hasValueSatisfying(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ZERO)));
        assertThat(looking.sender().sendNext().sent()).isTrue();
        assertThat(bed.textsTo(ALICE)).hasSize(2);
    }

    /** Reads the given instants in turn, then the last one for ever. */
    private static final class ReadsClock extends Clock {
        private final java.util.Deque<Instant> reads;

        ReadsClock(Instant... reads) {
            this.reads = new java.util.ArrayDeque<>(List.of(reads));
        }

        @Override
        public synchronized Instant instant() {
            return reads.size() > 1 ? reads.poll() : reads.peek();
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aSenderStoppedMidwayAndAnotherStartedDeliverEveryReplyOnce() {
        for (long chat = 1; chat <= 30; chat++) {
            bed.record(bed.updates.command(7_000_000 + chat, "help", ""));
        }
        assertThat(bed.dispatcher(bed.shop(), bed.stores.processedUpdates()).drain()).isEqualTo(30);
        assertThat(bed.shop().sender().drain(10)).isEqualTo(10);
        assertThat(outboxRows()).isEqualTo(20);
        assertThat(bed.shop().sender().drain(100)).isEqualTo(20);
        for (long chat = 1; chat <= 30; chat++) {
            assertThat(bed.textsTo(7_000_000 + chat)).as("chat %d", chat).hasSize(1);
        }
    }

    /**
     * Found by a review: the sender held its chat's row for the whole Telegram call (a video's upload, a 429's
     * {@code retry_after}: up to minutes), so a handler queueing a reply for that chat waited as long, holding its
     * thread and a pooled connection: a few users pressing buttons while their results uploaded stopped handling
     * for everybody. The chat is leased for the send now, not locked across it.
     */
    @Test
    void aHandlerQueueingForAChatWhoseReplyIsOnTheWireDoesNotWaitForTelegram() throws Exception {
        SendOnTheWire uploading = aliceStartsAndHerReplyGoesOnTheWire();
        try {
            bed.record(bed.updates.command(ALICE, "help", ""));
            UpdateDispatcher handler = bed.dispatcher(bed.shop(), bed.stores.processedUpdates());
            int handled = assertTimeoutPreemptively(Duration.ofSeconds(10), handler::drain,
                    "the handler waited for the sender's call to Telegram");
            assertThat(handled).isEqualTo(1);
            assertThat(bed.messenger.all()).as("the first reply is still on the wire").isEmpty();
        } finally {
            uploading.callReturns().countDown();
        }
        assertThat(uploading.sent().get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(bed.shop().sender().drain(100)).isEqualTo(1);
        assertThat(bed.textsTo(ALICE)).hasSize(2);
        assertThat(bed.textsTo(ALICE).get(0)).contains("Hi, User" + ALICE);
        assertThat(bed.textsTo(ALICE).get(1)).contains("Here you can make");
    }

    /**
     * A sender that dies in the middle of a send (its host vanished, its thread hung) keeps its chat only until its
     * lease ends: another sender then sends the reply once more (the outbox delivers at least once), and resting
     * senders know when to look. Should the dead sender's call come back after all, what it says changes nothing.
     */
    @Test
    void aSenderDeadMidSendLeavesItsReplyToAnotherWhenItsLeaseEnds() throws Exception {
        SendOnTheWire dead = aliceStartsAndHerReplyGoesOnTheWire();
        try {
            bed.record(bed.updates.command(BOB, "start", ""));
            assertThat(bed.dispatcher(bed.shop(), bed.stores.processedUpdates()).drain()).isEqualTo(1);
            Shop other = bed.shop();
            assertThat(other.sender().drain(100)).as("Bob's reply; Alice's chat is the dead sender's").isEqualTo(1);
            assertThat(other.sender().sendNext()).isInstanceOfSatisfying(SendAttempt.NothingDue.class, idle ->
                    assertThat(idle.untilNextDue()).as("a resting sender wakes when the lease ends")
                            .contains(ReplySender.LEASE));
            bed.clock.advance(ReplySender.LEASE);
            assertThat(other.sender().drain(100)).isEqualTo(1);
            assertThat(other.sender().drain(100)).isZero();
            assertThat(bed.textsTo(ALICE)).hasSize(1);
        } finally {
            dead.callReturns().countDown();
        }
        assertThat(dead.sent().get(30, TimeUnit.SECONDS)).as("its late word is taken, and changes nothing")
                .isEqualTo(1);
        assertThat(bed.shop().sender().drain(100)).isZero();
        assertThat(outboxRows()).isZero();
        assertThat(bed.textsTo(ALICE)).as("the dead sender's send reached Telegram, and one more").hasSize(2)
                .allSatisfy(t -> assertThat(t).contains("Hi, User" + ALICE));
        assertThat(bed.textsTo(BOB)).hasSize(1);
    }

    /**
     * Alice's /start handled, and its reply taken by a sender of its own on another thread, whose call to Telegram
     * has begun and does not return until {@link SendOnTheWire#callReturns()} counts down (a long upload, a hung
     * host). A test counts it down in a {@code finally}, so that the thread ends whatever the test found.
     */
    private SendOnTheWire aliceStartsAndHerReplyGoesOnTheWire() throws InterruptedException {
        bed.record(bed.updates.command(ALICE, "start", ""));
        assertThat(bed.dispatcher(bed.shop(), bed.stores.processedUpdates()).drain()).isEqualTo(1);
        CountDownLatch onTheWire = new CountDownLatch(1);
        CountDownLatch callReturns = new CountDownLatch(1);
        Messenger held = reply -> {
            onTheWire.countDown();
            awaitQuietly(callReturns);
            return bed.messenger.send(reply);
        };
        Shop shop = ScriptedShop.builder(bed.stores, bed.messenger, bed.clock).messenger(held)
                .pacingClock(bed.clock).build();
        CompletableFuture<Integer> sent = CompletableFuture.supplyAsync(() -> shop.sender().drain(1), ELSEWHERE);
        boolean begun = onTheWire.await(30, TimeUnit.SECONDS);
        if (!begun) {
            callReturns.countDown();
        }
        assertThat(begun).as("the sender's call to Telegram began").isTrue();
        return new SendOnTheWire(callReturns, sent);
    }

    /** A send held on the wire: counting {@code callReturns} down lets it return; {@code sent} is its drain's count. */
    private record SendOnTheWire(CountDownLatch callReturns, CompletableFuture<Integer> sent) {
    }

    /** Alice's Stars payment of her own 50-Star invoice, recorded and not yet handled. */
    private void aliceHasPaid() {
        bed.stores.users().seen(ALICE, "Alice", Optional.empty(), Optional.of("en"), bed.clock.instant());
        bed.stores.payments().saveInvoice(new Invoice("topup:real", ALICE, 50, 7_500, bed.clock.instant()));
        bed.record(bed.updates.successfulPayment(ALICE, "topup:real", 50, "charge-1"));
    }

    /**
     * Handling that throws what {@code failure} makes for Alice's updates, as a bug would, and lets the shop handle
     * everyone else's.
     */
    private static java.util.function.Consumer<dev.kiebot.core.conversation.Incoming> failingAlicesHandling(
            Shop shop, java.util.function.Supplier<? extends Throwable> failure) {
        return in -> {
            if (in.actor().userId() == ALICE) {
                throwUnchecked(failure.get());
            }
            shop.storefront().handle(in);
        };
    }

    /** Throws an Error or a RuntimeException as it is (a test's handling throws only those). */
    private static void throwUnchecked(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) t;
    }
}
