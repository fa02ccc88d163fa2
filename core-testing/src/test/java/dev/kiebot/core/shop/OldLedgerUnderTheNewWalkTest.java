package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ledger booked by a build before {@link CreditsOnWallet}'s walk gave a job's refund back as the credits that paid
 * the job (64f80b2b) and relabelled a Stars refund's spent credit (3742a48a), read by this one after an upgrade: the
 * walk is recomputed from the ledger at every refund, so the new build reads the old build's decisions (a job's
 * refund sent back against a Stars loss, {@code refund:<hold>:stars-loss:<charge>}) and must not cover a loss twice
 * nor leave the user's money with it. The old decisions are written here directly, transfer for transfer as the build
 * at 0e801172 booked them for the same steps (its admin's {@code /refund} driven through its shop and its ledger read
 * back); every other step runs through this build's services. In the first two scenarios both walks name the same
 * job as A's; in the last two they name different ones (the old build's part against the loss booked on a job this
 * walk says another credit paid), which this build found only on the jobs its walk named and covered the loss again,
 * the user's money lost (review U4): it reads the parts of every job charged since A's charge.
 */
class OldLedgerUnderTheNewWalkTest {
    private static final long U = 42;
    private static final String A = "ch-a";
    private ShopHarness h;
    private long price;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        long other = 77;
        h.command(other, "start");
        h.topUp(other, 100_000);
        price = h.runningFoxImage(other).price();
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
        assertThat(lossLeft()).as("A's loss never below nothing (MoneyFuzzTest's bound)").isNotNegative();
    }

    private void succeeds(Job job) {
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
    }

    private Job paidJob() {
        Job job = h.runningFoxImage(U);
        succeeds(job);
        return job;
    }

    private void cardTopUp(long amount) {
        assertThat(h.stores.ledger().transfer("card-b", AccountId.MANUAL_CLEARING, AccountId.wallet(U), amount,
                TransferKind.TOP_UP_MANUAL).succeeded()).isTrue();
    }

    private void starsRefunded(String payload) {
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));
    }

    /** The old build's admin {@code /refund} of {@code job}: what it sent back against A's loss, the rest to the wallet. */
    private void refundedByTheOldBuild(Job job, long againstLoss) {
        Ledger ledger = h.stores.ledger();
        if (price > againstLoss) {
            assertThat(ledger.transfer(Ledger.refundId(job.holdId()), AccountId.REVENUE, AccountId.wallet(U),
                    price - againstLoss, TransferKind.REFUND).succeeded()).isTrue();
        }
        assertThat(ledger.transfer(HeldStarsRefunds.lossBackId(job.holdId(), StarsRefundAttempts.lossId(A)),
                AccountId.REVENUE, AccountId.STARS_REFUND_LOSS, againstLoss, TransferKind.REFUND).succeeded()).isTrue();
    }

    private CreditsOnWallet paying(Job job) {
        Ledger ledger = h.stores.ledger();
        return CreditsOnWallet.paying(AccountId.wallet(U), ledger.transfers(AccountId.wallet(U)),
                List.of(job.holdId()), hold -> JobRefundParts.againstLoss(ledger, hold));
    }

    private java.util.Set<String> paidWithA() {
        Ledger ledger = h.stores.ledger();
        return CreditsOnWallet.paidWith(AccountId.wallet(U), ledger.transfers(AccountId.wallet(U)),
                List.of(TopUps.creditId(A)), hold -> JobRefundParts.againstLoss(ledger, hold));
    }

    /** A's loss: booked less what refunds sent back against it. */
    private long lossLeft() {
        return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS).stream()
                .mapToLong(t -> AccountId.STARS_REFUND_LOSS.equals(t.debit()) ? t.amount() : -t.amount()).sum();
    }

    /**
     * A card top-up, then A; the first job (the card's) refunded to the wallet before A's refund, two more jobs, then
     * A refunded with all but one job's price on the wallet (that much a loss). Both builds say the third job was A's:
     * the old build's refund of it went against A's loss whole; this build's refund of the second job (the card's, as
     * the first one's refund gives the card back) reaches the wallet.
     */
    @Test
    void aJobBothWalksSayTheStarsPaidRefundedAgainstTheLossByTheOldBuildLeavesTheOtherJobsRefundToTheWallet() {
        cardTopUp(price);
        String payload = h.paid50Stars(U, A);
        Job first = paidJob();
        h.adminConfirmed("refund", first.id().display());
        Job second = paidJob();
        Job third = paidJob();
        starsRefunded(payload);
        assertThat(lossLeft()).isEqualTo(price);
        refundedByTheOldBuild(third, price);
        assertThat(paidWithA()).as("the old build's part found by the job A paid").contains(third.holdId())
                .doesNotContain(second.holdId());

        h.adminConfirmed("refund", second.id().display());
        assertThat(h.balance(U)).as("the card's money: nothing of it taken back").isEqualTo(price);
        assertThat(lossLeft()).isZero();
    }

    /**
     * A pays two jobs, a card top-up comes, then A is refunded with all but 1 ₽ of it on the wallet (the card's money
     * too: this build relabels the later job as the card's). The old build's refund of the earlier job went 1 ₽
     * against A's loss, the rest to the wallet; this build's refund of the later job reaches the wallet whole.
     */
    @Test
    void anOldRefundPartlyAgainstTheLossOfTheJobBothWalksSayTheStarsPaidCoversItOnce() {
        String payload = h.paid50Stars(U, A);
        Job earlier = paidJob();
        Job later = paidJob();
        cardTopUp(2 * price - 100);
        starsRefunded(payload);
        assertThat(lossLeft()).isEqualTo(100);
        refundedByTheOldBuild(earlier, 100);
        assertThat(paying(earlier).paidBy(TopUps.creditId(A))).as("the earlier job keeps what went against A's loss")
                .isEqualTo(100);

        h.adminConfirmed("refund", later.id().display());
        assertThat(h.balance(U)).as("the card's money back whole").isEqualTo(2 * price - 100);
        assertThat(lossLeft()).isZero();
    }

    /**
     * As the first scenario, but the old build refunded the SECOND job (its walk: the first job's refund a new credit
     * at the back, so A paid the second) against A's loss whole; this build says the card paid the second, and it
     * must still find that part when it refunds the third (A's): the loss covered once, the card's money to the
     * wallet.
     */
    @Test
    void theOldBuildsRefundAgainstTheLossOfAJobThisWalkSaysTheCardPaidIsCountedOnce() {
        cardTopUp(price);
        String payload = h.paid50Stars(U, A);
        Job first = paidJob();
        h.adminConfirmed("refund", first.id().display());
        Job second = paidJob();
        Job third = paidJob();
        starsRefunded(payload);
        assertThat(lossLeft()).isEqualTo(price);
        refundedByTheOldBuild(second, price);
        assertThat(paidWithA()).as("this walk names another job than the old one").doesNotContain(second.holdId());

        h.adminConfirmed("refund", third.id().display());
        assertThat(h.balance(U)).as("the card's money (the old build gave it too)").isEqualTo(price);
        assertThat(lossLeft()).isZero();
    }

    /**
     * As the second scenario, but the old build refunded the LATER job (its walk: no relabel, A paid both) 1 ₽ against
     * A's loss; this build relabels the later job as the card's and must still find that part when it refunds the
     * earlier one: the loss covered once, the card's money back whole.
     */
    @Test
    void theOldBuildsRefundAgainstTheLossOfAJobThisWalkRelabelledAsTheCardsIsCountedOnce() {
        String payload = h.paid50Stars(U, A);
        Job earlier = paidJob();
        Job later = paidJob();
        cardTopUp(2 * price - 100);
        starsRefunded(payload);
        assertThat(lossLeft()).isEqualTo(100);
        refundedByTheOldBuild(later, 100);

        h.adminConfirmed("refund", earlier.id().display());
        assertThat(h.balance(U)).as("the card's money back whole (the old build gave it too)")
                .isEqualTo(2 * price - 100);
        assertThat(lossLeft()).isZero();
    }

    /**
     * {@code HeldStarsRefunds.jobsPaidWith}'s first pass (the jobs A's credit paid, by the walk) is not redundant with
     * its second (every job charged since A's credit): a job charged before A came, paid by a bonus that was then taken
     * back with A's money, is A's by the walk's relabelling, and only the first pass finds it. Its refund went against
     * A's loss; an earlier build (a running card's job owed A, the oldest hold) left that loss smaller than the
     * jobs A paid, so the next refund against it must count that part. Not counted, it sent back the whole loss again,
     * the loss account went below nothing and the user's own 200 (the card's, held at the report) stayed with it.
     */
    @Test
    void aJobChargedBeforeTheStarsAndRelabelledAsTheirsIsCountedAmongThoseTheyPaid() {
        Ledger ledger = h.stores.ledger();
        AccountId wallet = AccountId.wallet(U);
        assertThat(ledger.transfer("referral:77", AccountId.PROMO_EXPENSE, wallet, 100, TransferKind.REFERRAL_BONUS)
                .succeeded()).isTrue();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.transfer("gen_j", wallet, AccountId.REVENUE, 100, TransferKind.GENERATION).succeeded())
                .isTrue(); // the bonus's
        aPaidGenKTheBonusTakenBackAndTheLossBookedAsAnEarlierBuildDid(ledger, wallet);
        assertThat(paidWithA()).contains("gen_j", "gen_k");
        HeldStarsRefunds held = new HeldStarsRefunds(h.stores, h.clock);

        assertThat(held.giveBackAgainstLoss("gen_j", List.of("gen_j"), U, 100)).as("A's").isZero();
        long toWallet = held.giveBackAgainstLoss("gen_k", List.of("gen_k"), U, 7_400);

        assertThat(toWallet).as("what is left of the loss against it, the rest the wallet's").isEqualTo(200);
        assertThat(lossLeft()).isZero();
    }

    /**
     * {@code HeldStarsRefunds.jobsPaidWith}'s second pass takes a job charged in one posted transfer as it takes a
     * held one: a job charged since A's credit, which this walk says the card paid (not in the first pass) and whose
     * refund an earlier build sent back 100 against A's loss, is counted when A's own job is refunded. Left out (the
     * pass reading held jobs only: PIT's surviving mutant of its phase test), A's job sent all of A's loss back again,
     * the loss account went 100 below nothing, and the card's 100 was the user's no more.
     */
    @Test
    void aJobChargedInOnePostedTransferSinceTheStarsIsCountedAmongThoseChargedSince() {
        Ledger ledger = h.stores.ledger();
        AccountId wallet = AccountId.wallet(U);
        h.paid50Stars(U, A); // 7 500
        h.clock.advance(Duration.ofMinutes(1));
        cardTopUp(100);
        assertThat(ledger.transfer("gen_x", wallet, AccountId.REVENUE, 7_500, TransferKind.GENERATION).succeeded())
                .isTrue(); // A's
        assertThat(ledger.transfer("gen_y", wallet, AccountId.REVENUE, 100, TransferKind.GENERATION).succeeded())
                .isTrue(); // the card's
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.transfer(StarsRefundAttempts.lossId(A), AccountId.STARS_REFUND_LOSS,
                AccountId.STARS_CLEARING, 7_500, TransferKind.STARS_REFUND_LOSS).succeeded()).isTrue();
        // the earlier build's refund of gen_y: 100 against A's loss
        assertThat(ledger.transfer(HeldStarsRefunds.lossBackId("gen_y", StarsRefundAttempts.lossId(A)),
                AccountId.REVENUE, AccountId.STARS_REFUND_LOSS, 100, TransferKind.REFUND).succeeded()).isTrue();
        assertThat(paidWithA()).as("this walk: the card paid gen_y").contains("gen_x").doesNotContain("gen_y");
        HeldStarsRefunds held = new HeldStarsRefunds(h.stores, h.clock);

        long toWallet = held.giveBackAgainstLoss("gen_x", List.of("gen_x"), U, 7_500);

        assertThat(toWallet).as("what is left of A's loss against it, the rest the wallet's").isEqualTo(100);
        assertThat(lossLeft()).isZero();
    }

    /**
     * As {@link #aJobChargedBeforeTheStarsAndRelabelledAsTheirsIsCountedAmongThoseTheyPaid}, but the job charged
     * before A came was paid by another Stars payment (ch-0, never refunded) and the bonus, and its refund went
     * partly against A's loss (A's 100 of the bonus's relabelling) and the rest (ch-0's) to the wallet. The walk
     * that finds the jobs A paid must read that refund as keeping A's 100, the part it sent against A's loss, and
     * giving ch-0's back: read as keeping the first Stars money it met (ch-0's), the job was no longer A's, its 100
     * against A's loss was not counted, the next refund sent the whole loss back again (the loss account 100 below
     * nothing) and the user's card money held at the report was 100 short.
     */
    @Test
    void aJobChargedBeforeTheStarsRefundedPartlyAgainstTheirLossIsStillCountedAmongThoseTheyPaid() {
        Ledger ledger = h.stores.ledger();
        AccountId wallet = AccountId.wallet(U);
        h.paid50Stars(U, "ch-0"); // 7 500, never refunded
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.transfer("referral:77", AccountId.PROMO_EXPENSE, wallet, 100, TransferKind.REFERRAL_BONUS)
                .succeeded()).isTrue();
        assertThat(ledger.transfer("gen_j", wallet, AccountId.REVENUE, 7_600, TransferKind.GENERATION).succeeded())
                .isTrue(); // ch-0's 7 500 and the bonus
        aPaidGenKTheBonusTakenBackAndTheLossBookedAsAnEarlierBuildDid(ledger, wallet);
        HeldStarsRefunds held = new HeldStarsRefunds(h.stores, h.clock);

        assertThat(held.giveBackAgainstLoss("gen_j", List.of("gen_j"), U, 7_600, left -> assertThat(ledger.transfer(
                Ledger.refundId("gen_j"), AccountId.REVENUE, wallet, left, TransferKind.REFUND).succeeded()).isTrue()))
                .as("ch-0's part to the wallet").isEqualTo(7_500);
        assertThat(lossLeft()).as("A's 100 back against its loss").isEqualTo(7_200);
        assertThat(paidWithA()).as("gen_j keeps A's 100, charged before A came").contains("gen_j", "gen_k");
        long toWallet = held.giveBackAgainstLoss("gen_k", List.of("gen_k"), U, 7_400);

        assertThat(toWallet).as("what is left of the loss against it, the rest the wallet's").isEqualTo(200);
        assertThat(lossLeft()).isZero();
    }

    /**
     * After gen_j, charged before A came partly with the bonus: A's 7 500 paid, the bonus taken back with A's 100
     * (gen_j's bonus part is A's now), gen_k charged A's 7 400, a card's 200 held by a running job, and the report as
     * an earlier build booked it: the card's running job owed 200 of A, 7 300 lost at once.
     */
    private void aPaidGenKTheBonusTakenBackAndTheLossBookedAsAnEarlierBuildDid(Ledger ledger, AccountId wallet) {
        h.clock.advance(Duration.ofMinutes(1));
        h.paid50Stars(U, A); // 7 500
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.transfer("referral-back:77", wallet, AccountId.PROMO_EXPENSE, 100,
                TransferKind.REFERRAL_REVERSAL).succeeded()).isTrue();
        assertThat(ledger.transfer("gen_k", wallet, AccountId.REVENUE, 7_400, TransferKind.GENERATION).succeeded())
                .isTrue();
        cardTopUp(200);
        assertThat(ledger.hold("gen_c", wallet, AccountId.REVENUE, 200, TransferKind.GENERATION,
                h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        // the report as an earlier build booked it: the card's running job owed 200 of A, 7 300 lost at once
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(h.stores.payments().recordHeldRefund(new dev.kiebot.core.payments.HeldStarsRefund(A, "gen_c", U,
                200, h.clock.instant()))).isTrue();
        assertThat(ledger.transfer(StarsRefundAttempts.lossId(A), AccountId.STARS_REFUND_LOSS,
                AccountId.STARS_CLEARING, 7_300, TransferKind.STARS_REFUND_LOSS).succeeded()).isTrue();
    }
}
