package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An admin's Stars refund asks Telegram only once the admin's update has committed, on the real PostgreSQL: asked
 * from inside it, a rollback after Telegram's answer (a notice that could not be queued, the done mark) kept the
 * credit of Stars already given back, with nobody told (found by a review).
 */
class StarsRefundAfterCommitTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private static final long ANN = 5_580_001;
    private static final long ADMIN = 5_580_900;
    private static final String CHARGE = "charge-1";
    private static final String AGAIN = "charge-2";
    private long updateIds = 77;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final ScriptedStarsRefunds telegram = new ScriptedStarsRefunds();
    private Stores stores;
    private Shop shop;

    @BeforeEach
    void emptyDatabase() {
        stores = TestDatabase.emptyStores(clock);
        shop = adminShop().build();
        stores.users().seen(ANN, "Ann", Optional.empty(), Optional.of("en"), clock.instant());
        stores.users().seen(ADMIN, "Boss", Optional.empty(), Optional.of("en"), clock.instant());
        stores.ledger().transfer("topup-ann", AccountId.STARS_CLEARING, AccountId.wallet(ANN), 10_000,
                TransferKind.TOP_UP_STARS);
        stores.payments().saveInvoice(new Invoice("topup:x", ANN, 50, 7_500, clock.instant()));
        stores.payments().recordCharge(new StarsCharge(CHARGE, ANN, "topup:x", 50, 7_500, clock.instant()));
        stores.ledger().transfer("stars:" + CHARGE, AccountId.STARS_CLEARING, AccountId.wallet(ANN), 7_500,
                TransferKind.TOP_UP_STARS);
    }

    /** The shop as the admin's refunds see it; a test may route its calls to Telegram elsewhere. */
    private Shop.Builder adminShop() {
        return ScriptedShop.builder(stores, messenger, clock).starsRefunds(telegram)
                .settings(ShopSettings.defaults().withAdmins(Set.of(ADMIN)).withAdmission(AdmissionPolicy.off()));
    }

    private Incoming refundCommand(String charge) {
        return new Incoming(updateIds++, new Actor(ADMIN, ADMIN, "Boss", Optional.empty(), Optional.of("en")),
                new Event.Command("refund_stars", charge));
    }

    /**
     * The admin's {@code /refund_stars <charge>} handled and committed (it moves nothing: it shows the payment, the
     * confirmation kept in his chat), and its «💸 Refund» as the update a test hands to an instance.
     */
    private Incoming refundPress(String charge) {
        stores.transactions().inOne(() -> {
            shop.storefront().handle(refundCommand(charge));
            return null;
        });
        shop.sender().drain(100);
        List<String> moves = messenger.all().stream()
                .map(r -> r instanceof dev.kiebot.core.reply.Reply.SendText t ? t.keyboard()
                        : dev.kiebot.core.reply.Keyboard.NONE)
                .flatMap(k -> k.buttons().stream()).flatMap(b -> b.data().stream())
                .filter(dev.kiebot.core.testing.ShopHarness::movesMoney).toList();
        assertThat(moves).as("the confirmation shown").isNotEmpty();
        long id = updateIds++;
        return new Incoming(id, new Actor(ADMIN, ADMIN, "Boss", Optional.empty(), Optional.of("en")),
                new Event.Callback("q" + id, moves.get(moves.size() - 1), Optional.of(1L)));
    }

    /** A payment naming no invoice of the bot: Telegram took the Stars, the bot credited nothing. */
    private void paidAgain() {
        stores.transactions().inOne(() -> {
            shop.storefront().handle(new Incoming(updateIds++, new Actor(ANN, ANN, "Ann", Optional.empty(),
                    Optional.of("en")), new Event.SuccessfulPayment(AGAIN, "topup:never-issued", "XTR", 50)));
            return null;
        });
        assertThat(stores.payments().uncredited(AGAIN)).isPresent();
        assertThat(balance()).isEqualTo(17_500);
    }

    private UncreditedRefund refundOfAgain() {
        return stores.payments().uncredited(AGAIN).orElseThrow().refund();
    }

    private long balance() {
        return stores.ledger().balance(AccountId.wallet(ANN)).available();
    }

    @Test
    void aRefundCallsTelegramOnItsOwnExecutorNotBehindTheButtonAnswers() {
        List<Runnable> answersWaiting = new ArrayList<>();
        Shop separate = adminShop()
                .answers(answersWaiting::add) // every answer thread busy: nothing there runs
                .refundCalls(Runnable::run)
                .build();

        Incoming press = refundPress(CHARGE);
        stores.transactions().inOne(() -> {
            separate.storefront().handle(press);
            return null;
        });

        assertThat(telegram.calls()).as("before, the refund queued behind the answers").hasSize(1);
        // the press's own answer waits there (its confirmation's button is a press), the refund not behind it
        assertThat(answersWaiting).hasSizeLessThanOrEqualTo(1);
    }

    /**
     * A refund call that waited in its queue until its hold was about to expire: asked then, Telegram's refund
     * could come after the sweeper gave the money back to the wallet (found by a review). It is not asked; the hold
     * goes back at once and the admin may ask again.
     */
    @Test
    void aRefundCallThatWaitedPastItsHoldsMarginAsksTelegramNothing() {
        List<Runnable> queued = new ArrayList<>();
        Shop slow = adminShop()
                .refundCalls(queued::add)
                .build();
        Incoming press = refundPress(CHARGE);
        stores.transactions().inOne(() -> {
            slow.storefront().handle(press);
            return null;
        });
        assertThat(balance()).as("held").isEqualTo(10_000);
        clock.advance(Duration.ofMinutes(6)); // Telegram was slow for the refunds before this one

        queued.forEach(Runnable::run);

        assertThat(telegram.calls()).isEmpty();
        assertThat(balance()).as("the hold given back").isEqualTo(17_500);
        slow.sender().drain(100);
        assertThat(messenger.texts()).anySatisfy(t -> assertThat(t).contains("waited too long"));
    }

    @Test
    void anUpdateRolledBackAfterTheRefundWasAskedForAsksTelegramNothing() {
        Incoming press = refundPress(CHARGE);
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            shop.storefront().handle(press);
            throw new IllegalStateException("the update's done mark failed");
        })).hasMessageContaining("done mark");

        assertThat(telegram.calls()).as("before, Telegram had refunded the Stars already").isEmpty();
        assertThat(balance()).as("the hold rolled back with the update").isEqualTo(17_500);
    }

    @Test
    void aCommittedRefundIsAskedForThenDebitedWithBothNotices() {
        Incoming press = refundPress(CHARGE);
        stores.transactions().inOne(() -> {
            shop.storefront().handle(press);
            assertThat(telegram.calls()).as("not while the update's transaction is open").isEmpty();
            return null;
        });

        assertThat(telegram.calls()).hasSize(1);
        assertThat(balance()).isEqualTo(10_000);
        shop.sender().drain(100);
        assertThat(messenger.texts()).anySatisfy(t -> assertThat(t).contains("Refunded 50"));
        assertThat(messenger.texts()).filteredOn(t -> t.contains("75\u00A0₽")).hasSizeGreaterThanOrEqualTo(2);
    }

    /** A payment that credited nothing: Telegram alone is asked, after the admin's update commits, and only once. */
    @Test
    void anUncreditedPaymentIsRefundedOnceTheAdminsUpdateCommitsAndTakesNothing() {
        paidAgain();
        Incoming press = refundPress(AGAIN);
        stores.transactions().inOne(() -> {
            shop.storefront().handle(press);
            assertThat(telegram.calls()).as("not while the update's transaction is open").isEmpty();
            return null;
        });

        assertThat(telegram.calls()).containsExactly(new ScriptedStarsRefunds.Call(ANN, AGAIN));
        assertThat(balance()).isEqualTo(17_500);
        assertThat(refundOfAgain()).isEqualTo(UncreditedRefund.REFUNDED);
        stores.transactions().inOne(() -> {
            shop.storefront().handle(refundCommand(AGAIN));
            return null;
        });
        assertThat(telegram.calls()).hasSize(1);
        shop.sender().drain(100);
        assertThat(messenger.texts()).anySatisfy(t -> assertThat(t).contains("Refunded 50", "not credited"))
                .anySatisfy(t -> assertThat(t).contains("already refunded"));
    }

    @Test
    void anUncreditedRefundRolledBackWithItsUpdateAsksNothingAndStaysOpen() {
        paidAgain();
        Incoming press = refundPress(AGAIN);
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            shop.storefront().handle(press);
            throw new IllegalStateException("the update's done mark failed");
        })).hasMessageContaining("done mark");

        assertThat(telegram.calls()).isEmpty();
        assertThat(refundOfAgain()).as("the claim rolled back with the update").isEqualTo(UncreditedRefund.OPEN);
    }

    /** A call that waited until its claim was about to go stale could ask while a second admin asks too. */
    @Test
    void anUncreditedRefundCallThatWaitedTooLongAsksNothingAndMayBeAskedAgain() {
        paidAgain();
        List<Runnable> queued = new ArrayList<>();
        Shop slow = adminShop()
                .refundCalls(queued::add)
                .build();
        Incoming press = refundPress(AGAIN);
        stores.transactions().inOne(() -> {
            slow.storefront().handle(press);
            return null;
        });
        assertThat(refundOfAgain()).isEqualTo(UncreditedRefund.REFUNDING);
        clock.advance(Duration.ofMinutes(6));

        queued.forEach(Runnable::run);

        assertThat(telegram.calls()).isEmpty();
        assertThat(refundOfAgain()).isEqualTo(UncreditedRefund.OPEN);
        slow.sender().drain(100);
        assertThat(messenger.texts()).anySatisfy(t -> assertThat(t).contains("never reached Telegram"));
        Incoming again = refundPress(AGAIN);
        stores.transactions().inOne(() -> {
            shop.storefront().handle(again);
            return null;
        });
        assertThat(telegram.calls()).containsExactly(new ScriptedStarsRefunds.Call(ANN, AGAIN));
        assertThat(balance()).isEqualTo(17_500);
    }

    /**
     * Telegram reports a refund of the charge made outside the bot (its support, say) while an admin refunds it: the
     * report reads "nothing under way" and is about to take the amount when the admin presses Refund. The charge's
     * record is locked by whichever reads its refund state first, so the admin's refund waits and then finds the
     * amount taken. Before, it ran past the waiting report, posted its own hold, and the report took the amount
     * again: twice from the wallet (found by a review).
     */
    @Test
    void aRefundReportAboutToTakeTheAmountMakesAnAdminsRefundWaitAndTheAmountIsTakenOnce() throws Exception {
        CountDownLatch aboutToTake = new CountDownLatch(1);
        CountDownLatch take = new CountDownLatch(1);
        Ledger real = stores.ledger();
        Ledger pausing = new ForwardingLedger(real) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (("stars-refund:" + CHARGE).equals(id)) {
                    aboutToTake.countDown();
                    LockWaits.awaitQuietly(take);
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
        Shop reporting = ScriptedShop.builder(stores.withLedger(pausing), messenger, clock).build();
        Incoming press = refundPress(CHARGE); // shown before the report: only the press meets it
        CompletableFuture<Void> report = CompletableFuture.runAsync(() -> stores.transactions().inOne(() -> {
            reporting.storefront().handle(new Incoming(updateIds++, new Actor(ANN, ANN, "Ann", Optional.empty(),
                    Optional.of("en")), new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50)));
            return null;
        }), ELSEWHERE);
        LockWaits.awaitQuietly(aboutToTake);
        CompletableFuture<Void> admin = CompletableFuture.runAsync(() -> stores.transactions().inOne(() -> {
            shop.storefront().handle(press);
            return null;
        }), ELSEWHERE);

        // the admin's refund waits for the charge's record (before the lock it ran to its end past the report)
        LockWaits.awaitDoneOrALockWait(admin);
        take.countDown();
        report.get(30, TimeUnit.SECONDS);
        admin.get(30, TimeUnit.SECONDS);

        assertThat(balance()).as("the amount taken once").isEqualTo(10_000);
        assertThat(telegram.calls()).as("refunded already: Telegram is not asked").isEmpty();
        shop.sender().drain(100);
        assertThat(messenger.texts()).anySatisfy(t -> assertThat(t).contains("already refunded"));
    }
}
