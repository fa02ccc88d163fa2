package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.MediaKind;
import java.time.Duration;
import java.util.Optional;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram refunds a Stars payment whose credit the user had spent (all of it, part of it, or held by a running
 * generation). The charge is refunded once and for all, whatever the wallet held: neither an admin's refund nor a
 * second report takes the user's next top-up for it. What could not be taken back is the shop's loss, booked in the
 * ledger once per charge, shown in /export as money returned, and told to the admins once.
 */
class StarsRefundOfSpentCreditTest {
    private static final long U = 42;
    private static final String CH1 = "ch-1";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        payload = h.paid50Stars(U, CH1); // 50 ⭐: 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private void spend(long amount) {
        assertThat(h.stores.ledger().transfer("spent-" + amount, AccountId.wallet(U), AccountId.REVENUE, amount,
                TransferKind.GENERATION).succeeded()).isTrue();
    }

    private List<Reply> report() {
        return h.send(U, new Event.RefundedPayment(CH1, payload, "XTR", 50));
    }

    /**
     * ch-2 paid beside ch-1 (150 ₽ in all), a hold (another charge's admin refund, say) keeping 100 ₽ of it, 50 ₽ spent,
     * then Telegram's refunds of ch-1 and ch-2 reported: the hold's id.
     */
    private String twoChargesRefundedWhileAHoldKeeps100() {
        String payload2 = h.paid50Stars(U, "ch-2");
        String hold = "some-hold";
        assertThat(h.stores.ledger().hold(hold, AccountId.wallet(U), AccountId.REVENUE, 10_000,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        spend(5_000);
        report();
        h.send(U, new Event.RefundedPayment("ch-2", payload2, "XTR", 50));
        return hold;
    }

    private List<Transfer> losses() {
        return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS);
    }

    private static List<String> toAdmin(List<Reply> replies) {
        return replies.stream().filter(r -> r.chatId() == ShopHarness.ADMIN && r instanceof Reply.SendText)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    @Test
    void aReportOfASpentChargeRefundsItForGoodSoAnAdminsRefundTakesNothingOfTheNextTopUp() {
        spend(7_500);
        report();
        h.paid50Stars(U, "ch-2");
        assertThat(h.balance(U)).isEqualTo(7_500);

        List<Reply> listed = h.admin("refund_stars", String.valueOf(U));
        assertThat(lastText(listed)).contains(CH1 + " (refunded)", "ch-2");
        Reply.SendText list = (Reply.SendText) listed.get(listed.size() - 1);
        assertThat(list.keyboard().buttons()).as("one Refund button: ch-2's").hasSize(1);
        assertThat(lastText(h.adminPressConfirmed(list.keyboard().buttons().get(0).data().orElseThrow())))
                .contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).extracting(c -> c.chargeId()).containsExactly("ch-2");
        h.paid50Stars(U, "ch-3");

        h.starsRefunds.thenAnswer(new StarsRefundResult.AlreadyRefunded());
        assertThat(lastText(h.adminConfirmed("refund_stars", CH1))).contains("already refunded");
        h.deliver();
        assertThat(h.starsRefunds.calls()).as("Telegram not asked for ch-1").hasSize(1);
        assertThat(h.balance(U)).as("ch-3's top-up stays").isEqualTo(7_500);
    }

    @Test
    void aSecondReportOfASpentChargeUnderANewUpdateTakesNothingOfTheNextTopUp() {
        spend(7_500);
        report();
        h.paid50Stars(U, "ch-2");
        List<Reply> again = report();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(toAdmin(again)).as("the loss was told once").isEmpty();
        assertThat(losses()).singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(7_500));
    }

    @Test
    void theUnrecoveredPartIsBookedAsTheShopsLossOnceAndTheAdminsAreToldOnce() {
        spend(5_000);
        List<Reply> told = report();
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).filteredOn(t -> t.kind()
                == TransferKind.STARS_REFUND).singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(2_500));
        assertThat(losses()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(StarsRefundAttempts.lossId(CH1));
            assertThat(t.kind()).isEqualTo(TransferKind.STARS_REFUND_LOSS);
            assertThat(t.debit()).isEqualTo(AccountId.STARS_REFUND_LOSS);
            assertThat(t.credit()).isEqualTo(AccountId.STARS_CLEARING);
            assertThat(t.amount()).isEqualTo(5_000);
        });
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted())
                .as("the Stars went back whole: the clearing account owes nothing for ch-1").isZero();
        assertThat(toAdmin(told)).singleElement().asString().contains("Telegram refunded 50\u00A0⭐ for payment "
                + CH1 + " to User" + U + " (id " + U + ")", "only 25\u00A0₽ could be taken",
                "The shop loses 50\u00A0₽");
        assertThat(h.stores.audit().byCorrelation(CH1)).filteredOn(e -> e.action().equals(TopUps.LOSS_TOLD))
                .hasSize(1);

        assertThat(toAdmin(report())).as("reported again: told before").isEmpty();
        assertThat(losses()).hasSize(1);
        assertThat(lastText(h.admin("find", CH1))).contains("losses on Stars refunds");
    }

    /**
     * The refund reported while a job holds part of the credit: what was free is taken, the held part is owed from the
     * job's hold and no loss is booked for it. The job fails: the void gives the money back to the wallet and the
     * owed part goes to the Stars at once, so the user ends with what he had before the payment (nothing), and the
     * shop lost nothing. Before, the held part was booked as loss at the report, and the void gave it to the user too.
     */
    @Test
    void moneyHeldByARunningJobThatFailsGoesToTheStarsAndNoLossIsBooked() {
        Job job = h.runningFoxImage(U);
        long held = heldOn(U);
        report();
        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).as("what was free was taken back")
                .filteredOn(t -> t.kind() == TransferKind.STARS_REFUND).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(7_500 - held));
        assertThat(losses()).as("nothing spent yet: no loss").isEmpty();
        assertThat(lastText(h.adminConfirmed("refund_stars", CH1))).contains("already refunded");

        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).as("the held part went to the Stars, not back to him").isZero();
        assertThat(heldOn(U)).isZero();
        assertThat(losses()).as("nothing was spent").isEmpty();
        assertThat(h.stores.ledger().find(HeldStarsRefunds.back(CH1, job.holdId()).id(1)))
                .hasValueSatisfying(t -> assertThat(t.amount()).isEqualTo(held));
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted())
                .as("the Stars went back whole: the clearing account owes nothing for ch-1").isZero();
        assertThat(h.stores.payments().openHeldRefunds(10)).isEmpty();

        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(U)).as("settled once").isZero();
    }

    /** The job delivered: what it held was spent, the shop's loss then, under the hold's own id. */
    @Test
    void moneyHeldByAJobThatSucceedsIsLostWhenItIsPosted() {
        Job job = h.runningFoxImage(U);
        long held = heldOn(U);
        report();
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(job).state().moneyHeld()).isFalse();
        assertThat(h.balance(U)).isZero();
        assertThat(losses()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(HeldStarsRefunds.lossId(CH1, job.holdId()));
            assertThat(t.amount()).isEqualTo(held);
        });
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    /** Posted for less (a lesser result): the rest given back goes to the Stars, what was charged is the loss. */
    @Test
    void aPartialPostGivesTheRestToTheStarsAndLosesWhatWasCharged() {
        Job job = h.runningFoxImage(U);
        long held = heldOn(U);
        report();
        long charged = held / 3;
        assertThat(h.shop.generations().complete(job.id(), new JobResult(List.of("https://files/out.png"),
                MediaKind.PHOTO), Optional.empty(), charged)).isPresent();
        assertThat(h.balance(U)).as("the rest went to the Stars, not back to him").isZero();
        assertThat(h.stores.ledger().find(HeldStarsRefunds.back(CH1, job.holdId()).id(1)))
                .hasValueSatisfying(t -> assertThat(t.amount()).isEqualTo(held - charged));
        assertThat(losses()).singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(charged));
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    private long lossBalance() {
        return losses().stream().mapToLong(t -> AccountId.STARS_REFUND_LOSS.equals(t.debit()) ? t.amount()
                : -t.amount()).sum();
    }

    private void succeeds(Job job) {
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
    }

    /**
     * The job that held the credit at the report is delivered (its charge the shop's loss), then an admin refunds it:
     * the user has that money back in Stars already, so the refund goes back against the loss, not to his wallet, and
     * the loss account says the shop lost nothing. Before, the wallet got the price too: the Stars and the credit.
     */
    @Test
    void anAdminsRefundOfAJobWhoseChargeWasLostToAHeldReportGoesAgainstTheLossNotToTheWallet() {
        Job job = h.runningFoxImage(U);
        report();
        succeeds(job);
        assertThat(lossBalance()).isEqualTo(job.price());

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("his Stars came back whole: nothing on his wallet").isZero();
        assertThat(lossBalance()).as("the shop lost nothing: the job was given back").isZero();
        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("once").isZero();
        assertThat(lossBalance()).isZero();
    }

    /**
     * Posted for less while a report found the credit held, then refunded as a result gone at the provider would be:
     * only what was charged, all of it the loss, goes back against the loss; the rest went to the Stars at the post.
     */
    @Test
    void theRefundOfAJobPostedForLessAfterAHeldReportGoesBackAgainstItsLossOnly() {
        Job job = h.runningFoxImage(U);
        report();
        long charged = job.price() / 3;
        assertThat(h.shop.generations().complete(job.id(), new JobResult(List.of("https://files/out.png"),
                MediaKind.PHOTO), Optional.empty(), charged)).isPresent();
        assertThat(lossBalance()).isEqualTo(charged);

        assertThat(Generations.refundedToWallet(h.stored(job),
                h.shop.generations().refundAfterCharge(h.stored(job), "a test"))).isZero();
        assertThat(h.balance(U)).isZero();
        assertThat(lossBalance()).isZero();
    }

    /**
     * Credit spent on a job before the report is part of the shop's loss ({@code stars-loss:<charge>}); the job
     * refunded after it goes back against that loss, not to the wallet: he has that money back in Stars.
     */
    @Test
    void anAdminsRefundOfAJobPaidWithCreditSpentBeforeTheReportGoesAgainstItsLoss() {
        Job job = h.runningFoxImage(U);
        succeeds(job);
        spend(7_500 - job.price() - 100);
        report();
        assertThat(lossBalance()).isEqualTo(7_400);

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).isZero();
        assertThat(lossBalance()).as("the job given back was part of what was lost").isEqualTo(7_400 - job.price());
        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("once").isZero();
    }

    /**
     * A job paid before a later Stars payment: that payment's refund, its credit spent elsewhere, is no loss of the
     * job's, so the job's refund reaches the wallet (review V: it went against the later payment's loss, the user got
     * nothing and the admin read «returned 0 ₽»).
     */
    @Test
    void aRefundOfAJobPaidBeforeALaterChargeIsNotTakenByThatChargesLoss() {
        Job job = h.runningFoxImage(U);
        succeeds(job);
        h.clock.advance(Duration.ofHours(1));
        String later = h.paid50Stars(U, "ch-later");
        h.clock.advance(Duration.ofHours(1));
        spend(h.balance(U));
        h.clock.advance(Duration.ofHours(1));
        h.send(U, new Event.RefundedPayment("ch-later", later, "XTR", 50));

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("paid with CH1's credit, never refunded: its price back on the wallet")
                .isEqualTo(job.price());
    }

    /** The loss of the report smaller than the job's price: what is beyond it reaches the wallet, the loss is none. */
    @Test
    void aRefundBeyondTheLossOfAReportGivesTheRestToTheWallet() {
        Job job = h.runningFoxImage(U);
        succeeds(job);
        spend(7_500 - job.price());
        h.topUp(U, 7_400);
        report();
        assertThat(lossBalance()).isEqualTo(100);

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("the rest of what was charged").isEqualTo(job.price() - 100);
        assertThat(lossBalance()).isZero();
    }

    /** The hold expired past its deadline: as a void, the money goes to the Stars, not back to him. */
    @Test
    void anExpiredHoldGivesTheOwedPartToTheStars() {
        Job job = h.runningFoxImage(U);
        report();
        h.clock.advance(Duration.between(h.clock.instant(), job.deadline()).plus(ShopSettings.HOLD_MARGIN)
                .plusMinutes(1));
        assertThat(h.shop.worker().sweepExpiredHolds(10)).isEqualTo(1);
        h.work(10);
        assertThat(h.stores.ledger().holdState(job.holdId())).contains(HoldState.EXPIRED);
        assertThat(h.balance(U)).isZero();
        assertThat(losses()).isEmpty();
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    /**
     * A hold voided by the build before this one (no settling): the upkeep's sweep of expired holds settles what it
     * owes, once.
     */
    @Test
    void aHoldVoidedWithoutSettlingIsSettledByTheSweep() {
        Job job = h.runningFoxImage(U);
        report();
        assertThat(h.stores.ledger().voidHold(Ledger.voidId(job.holdId()), job.holdId()).succeeded()).isTrue();
        assertThat(h.balance(U)).as("the build before gave it back").isPositive();
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.payments().openHeldRefunds(10)).isEmpty();
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    /**
     * The sweep settles a hold voided by the build before even when older open records sit on a hold still pending (a
     * running job's): listed first, they filled the sweep's page, and the voided hold's money stayed on the wallet.
     */
    @Test
    void theSweepSettlesAVoidedHoldPastTheOpenRecordsOfARunningOne() {
        AccountId wallet = AccountId.wallet(U);
        java.time.Instant later = h.clock.instant().plus(Duration.ofHours(1));
        assertThat(h.stores.ledger().hold("running", wallet, AccountId.REVENUE, 5_000, TransferKind.GENERATION, later)
                .succeeded()).isTrue();
        assertThat(h.stores.ledger().hold("voided", wallet, AccountId.REVENUE, 2_500, TransferKind.GENERATION, later)
                .succeeded()).isTrue();
        report();
        assertThat(h.stores.payments().heldRefundsOfCharge(CH1)).hasSize(2);
        assertThat(h.stores.ledger().voidHold(Ledger.voidId("voided"), "voided").succeeded()).isTrue();
        assertThat(h.balance(U)).as("the build before gave it back").isEqualTo(2_500);

        assertThat(new HeldStarsRefunds(h.stores, h.clock).sweep(1)).as("the sweep counts the hold it settled")
                .isEqualTo(1);
        assertThat(h.balance(U)).as("settled past the running hold's record").isZero();
        assertThat(h.stores.payments().openHeldRefunds(10)).isEmpty();
    }

    /**
     * Two charges refunded while one hold (another charge's admin refund, say) keeps 100 ₽ of their 150 ₽: the hold
     * owes the first charge 75 ₽ and the second the 25 ₽ it holds beyond, never more than it holds; the rest of the
     * second is the loss (50 ₽ spent). Voided by a build without settling, the sweep gives each its part.
     */
    @Test
    void twoChargesOwedFromOneHoldShareItAndNeverOweMoreThanItHolds() {
        String hold = twoChargesRefundedWhileAHoldKeeps100();
        assertThat(h.stores.payments().heldRefundsOnHold(hold)).extracting(o -> o.chargeId() + " " + o.amount())
                .containsExactly(CH1 + " 7500", "ch-2 2500");
        assertThat(losses()).singleElement().satisfies(t -> assertThat(t.amount()).isEqualTo(5_000));

        assertThat(h.stores.ledger().voidHold(Ledger.voidId(hold), hold).succeeded()).isTrue();
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(U)).isZero();
        assertThat(losses()).as("only what was spent").extracting(Transfer::amount).containsExactly(5_000L);
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    /**
     * What a delivered job's hold owed of a Stars refund is the shop's loss, not a debt on the user's later money: a
     * card top-up paid in while the job ran stays on his wallet whole, whether the job is charged all or less.
     */
    @Test
    void aDeliveredJobsDebtIsTheShopsLossNotTheUsersLaterTopUp() {
        for (boolean lesser : new boolean[] {false, true}) {
            setUp();
            Job job = h.runningFoxImage(U);
            long held = heldOn(U);
            report();
            cardTopUp("card-" + lesser, 10_000);
            long charged = lesser ? held / 3 : held;
            assertThat(h.shop.generations().complete(job.id(), new JobResult(List.of("https://files/out.png"),
                    MediaKind.PHOTO), Optional.empty(), charged)).isPresent();
            assertThat(h.balance(U)).as("lesser " + lesser + ": the card's money untouched").isEqualTo(10_000);
            assertThat(losses()).as("what the job was charged is lost").singleElement()
                    .satisfies(t -> assertThat(t.amount()).isEqualTo(charged));
            assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
        }
    }

    /**
     * A hold owing two charges' refunds and posted for less gives back what it returned once: to the first owed, then
     * what is left of it to the next; the rest of each is lost, never taken from the user's other money.
     */
    @Test
    void aHoldOwingTwoChargesGivesWhatItReturnedOnceNotEachItsWhole() {
        String hold = twoChargesRefundedWhileAHoldKeeps100();
        cardTopUp("card-b", 10_000);

        assertThat(h.stores.ledger().post(Ledger.postId(hold), hold, 7_000).succeeded()).isTrue();
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.balance(U)).as("3 000 returned, all to ch-1's Stars; the card's money stays").isEqualTo(10_000);
        assertThat(h.stores.ledger().find(HeldStarsRefunds.back(CH1, hold).id(1))).get()
                .extracting(Transfer::amount).isEqualTo(3_000L);
        assertThat(h.stores.ledger().find(HeldStarsRefunds.back("ch-2", hold).id(1))).isEmpty();
        assertThat(losses()).extracting(Transfer::amount).containsExactlyInAnyOrder(5_000L, 4_500L, 2_500L);
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    private void cardTopUp(String id, long amount) {
        assertThat(h.stores.ledger().transfer(id, AccountId.MANUAL_CLEARING, AccountId.wallet(U), amount,
                TransferKind.TOP_UP_MANUAL).succeeded()).isTrue();
    }

    /**
     * Telegram reports the same refund again (a new update): nothing is taken, booked, audited or told a second time.
     */
    @Test
    void aSecondReportOfTheSameRefundIsANoOpForTheUserAndTheAudit() {
        spend(5_000);
        assertThat(lastText(report())).contains("50");
        int audited = h.stores.audit().byCorrelation(CH1).size();
        h.messenger.drain();
        assertThat(report()).as("the user is not told again").isEmpty();
        assertThat(h.stores.audit().byCorrelation(CH1)).as("the audit has no second line").hasSize(audited);
        assertThat(h.balance(U)).isZero();
    }

    private long heldOn(long userId) {
        return h.stores.ledger().balance(AccountId.wallet(userId)).debitsPending();
    }

    @Test
    void theExportShowsTheLossAsMoneyReturnedByTheUserItWasPaidBy() {
        spend(5_000);
        report();
        h.messenger.drain();
        Reply.UploadMedia file = h.admin("export", "").stream().filter(Reply.UploadMedia.class::isInstance)
                .map(Reply.UploadMedia.class::cast).findFirst().orElseThrow();
        String csv = new String(file.content(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Stars refunded: spent by the user," + U + ",-50.00,RUB,"
                + StarsRefundAttempts.lossId(CH1));
        assertThat(file.caption()).contains("75\u00A0₽ received", "75\u00A0₽ returned");
    }

    /**
     * A running job's hold owed part of a Stars refund and was voided without settling it (a stop between the sweep's
     * expiry and its settle, or the build before): the Stars' money back on the wallet paid another job before the
     * sweep found the wallet empty and booked it as lost. That job was charged after the report's loss of credit spent;
     * a refund read such a loss only when booked at or after the job's charge, so its refund went to the wallet whole:
     * the user had its price twice, in Stars and on the wallet. X delivered and A running on the Stars' money, the rest
     * of it free: the report takes the free part back, books X's price as lost and A's as owed. A is voided unsettled;
     * B, charged after the loss, spends what came back; the sweep finds nothing to take and books A's price as lost
     * too. The user has all 50 ⭐ back: B's refund is money he has in Stars, and goes against the loss, not to his
     * wallet.
     */
    @Test
    void aJobPaidWithAVoidedHoldsStarsMoneyBeforeItsSettlingIsRefundedAgainstTheLoss() {
        Job x = h.runningFoxImage(U);
        succeeds(x);
        long price = x.price();
        Job a = h.runningFoxImage(U);
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(CH1, payload, "XTR", 50));
        assertThat(h.balance(U)).as("the free part taken back").isZero();
        assertThat(h.stores.ledger().find(StarsRefundAttempts.lossId(CH1)))
                .hasValueSatisfying(t -> assertThat(t.amount()).as("X's price, spent").isEqualTo(price));

        assertThat(h.stores.ledger().voidHold(Ledger.voidId(a.holdId()), a.holdId()).succeeded()).isTrue();
        assertThat(h.balance(U)).as("A's hold given back, not settled yet").isEqualTo(price);
        h.clock.advance(Duration.ofMinutes(1));
        Job b = h.runningFoxImage(U);
        succeeds(b);
        assertThat(h.balance(U)).isZero();
        h.shop.worker().sweepExpiredHolds(10);
        assertThat(h.stores.ledger().find(HeldStarsRefunds.lossId(CH1, a.holdId())))
                .hasValueSatisfying(t -> assertThat(t.amount()).as("nothing left to take: lost").isEqualTo(price));
        assertThat(lossBalance()).as("the whole charge lost: X and what B spent").isEqualTo(2 * price);

        h.adminConfirmed("refund", b.id().display());
        assertThat(h.balance(U)).as("B's price is back with him in Stars: not on his wallet as well").isZero();
        assertThat(h.stores.ledger().find(Ledger.refundId(b.holdId()))).isEmpty();
        assertThat(h.stores.ledger().find(HeldStarsRefunds.lossBackId(b.holdId(), StarsRefundAttempts.lossId(CH1))))
                .hasValueSatisfying(t -> {
                    assertThat(t.amount()).isEqualTo(price);
                    assertThat(t.kind()).isEqualTo(TransferKind.REFUND);
                });
        assertThat(lossBalance()).as("the shop lost X alone").isEqualTo(price);
    }

    /** A job's refund as an admin's {@code /refund} makes it: against the losses first, the rest to the wallet. */
    private long refunded(String holdId, long charged) {
        Ledger ledger = h.stores.ledger();
        return new HeldStarsRefunds(h.stores, h.clock).giveBackAgainstLoss(holdId, List.of(holdId), U, charged,
                left -> assertThat(ledger.transfer(Ledger.refundId(holdId), AccountId.REVENUE, AccountId.wallet(U),
                        left, TransferKind.REFUND).succeeded()).isTrue());
    }

    /**
     * A job paid by two Stars payments (ch-1's 75 ₽, then 25 ₽ of ch-2's; another job spends ch-2's other 50 ₽), ch-2
     * refunded by Telegram with the wallet empty (all 75 ₽ a loss), then the job refunded: ch-2's 25 ₽ go against its
     * loss, ch-1's 75 ₽ to the wallet. Those 75 ₽ are ch-1's money again (the refund keeps its part against the loss as
     * ch-2's, and gives ch-1's back), so a next job they pay is ch-1's: refunded, its whole price reaches the wallet,
     * and ch-2's loss keeps the 50 ₽ of the job ch-2 paid alone, which its refund then takes whole. Read as kept of the
     * first Stars it met (ch-1's), the first refund gave ch-2's 25 ₽ back instead: the next job was said paid by them,
     * and its refund sent 25 ₽ of ch-1's money, which the user never got back, against ch-2's loss.
     */
    @Test
    void aJobPaidWithWhatARefundPartlyAgainstALossGaveBackIsPaidByTheStarsNotRefunded() {
        String payload2 = h.paid50Stars(U, "ch-2");
        spend(10_000); // ch-1's 7 500 and 2 500 of ch-2
        spend(5_000); // the rest of ch-2
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment("ch-2", payload2, "XTR", 50));
        assertThat(lossBalance()).as("ch-2 all lost").isEqualTo(7_500);

        assertThat(refunded("spent-10000", 10_000)).as("ch-1's part to the wallet").isEqualTo(7_500);
        assertThat(lossBalance()).as("ch-2's 25 ₽ back against its loss").isEqualTo(5_000);
        h.clock.advance(Duration.ofMinutes(1));
        spend(7_500);
        assertThat(h.balance(U)).isZero();

        assertThat(refunded("spent-7500", 7_500)).as("ch-1's money: nothing of it against ch-2's loss")
                .isEqualTo(7_500);
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.ledger().find(HeldStarsRefunds.lossBackId("spent-7500",
                StarsRefundAttempts.lossId("ch-2")))).isEmpty();
        assertThat(lossBalance()).as("what ch-2 paid of the job not refunded yet").isEqualTo(5_000);

        assertThat(refunded("spent-5000", 5_000)).as("ch-2's alone: against its loss whole").isZero();
        assertThat(lossBalance()).isZero();
        assertThat(h.balance(U)).isEqualTo(7_500);
    }
}
