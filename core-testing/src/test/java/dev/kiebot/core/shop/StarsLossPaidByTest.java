package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Stars payment A (75 ₽) refunded by Telegram after its credit was spent: all of it the shop's loss
 * ({@code stars-loss:A}). A job refunded after it goes back against that loss only for what A's credit paid of the
 * job ({@link CreditsOnWallet}: money spent oldest first, what a hold gives back first again); what another credit
 * paid (a card top-up B) reaches the wallet as any refund. Before, any job charged after A's credit and before the
 * report went against A's loss whole: the user lost the card's money.
 */
class StarsLossPaidByTest {
    private static final long U = 42;
    private static final String A = "ch-a";
    private ShopHarness h;
    private String payload;
    private int spent;

    @BeforeEach
    void setUp() {
        h = started(U);
        payload = h.paid50Stars(U, A); // 7 500
    }

    /**
     * The shop the scenarios run in, its admin and {@code user} started: the in-memory stores here;
     * {@code PgStarsLossPaidByTest} runs the same scenarios on PostgreSQL's.
     */
    ShopHarness started(long user) {
        ShopHarness harness = new ShopHarness();
        harness.command(ShopHarness.ADMIN, "start");
        harness.command(user, "start");
        return harness;
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private String spend(long amount) {
        String id = "spent-" + ++spent;
        assertThat(h.stores.ledger().transfer(id, AccountId.wallet(U), AccountId.REVENUE, amount,
                TransferKind.GENERATION).succeeded()).isTrue();
        return id;
    }

    /** The card top-up B: an admin's confirmed card payment. */
    private void cardTopUp(long amount) {
        assertThat(h.stores.ledger().transfer("card-b", AccountId.MANUAL_CLEARING, AccountId.wallet(U), amount,
                TransferKind.TOP_UP_MANUAL).succeeded()).isTrue();
    }

    private void succeeds(Job job) {
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
    }

    /** Telegram refunds A with the wallet empty: all of A is the shop's loss. */
    private void aRefundedWithTheWalletEmpty() {
        spendTheRest();
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));
        assertThat(h.stores.ledger().find(StarsRefundAttempts.lossId(A))).get().extracting(Transfer::amount)
                .isEqualTo(7_500L);
    }

    private void spendTheRest() {
        long rest = h.balance(U);
        if (rest > 0) {
            spend(rest);
        }
    }

    private long lossBalance() {
        return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS).stream()
                .mapToLong(t -> AccountId.STARS_REFUND_LOSS.equals(t.debit()) ? t.amount() : -t.amount()).sum();
    }

    @Test
    void aJobPaidByACardTopUpAfterTheStarsWereSpentElsewhereIsRefundedToTheWallet() {
        spend(7_500);
        cardTopUp(7_500);
        Job job = h.runningFoxImage(U);
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("paid by the card: its price back on the wallet").isEqualTo(job.price());
        assertThat(lossBalance()).as("A's loss untouched").isEqualTo(7_500);
    }

    @Test
    void aJobPaidByTheStarsGoesAgainstTheirLossThoughACardTopUpCameAfter() {
        Job job = h.runningFoxImage(U);
        succeeds(job);
        cardTopUp(7_500);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("he has A back in Stars").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - job.price());
    }

    @Test
    void aJobPaidHalfByTheStarsAndHalfByTheCardGoesAgainstTheLossForItsStarsHalfOnly() {
        long price = priceOfAFoxImage();
        long byA = price / 2;
        spend(7_500 - byA);
        cardTopUp(7_500);
        Job job = h.runningFoxImage(U);
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("the card's part").isEqualTo(price - byA);
        assertThat(lossBalance()).isEqualTo(7_500 - byA);
    }

    /**
     * A job that fails gives A's money back first: the next spending takes it, and the job after that is the card's.
     * Queued behind the card's money, A's would have paid that job.
     */
    @Test
    void aFailedJobGivesTheStarsMoneyBackFirstSoTheNextSpendingIsPaidByIt() {
        long price = priceOfAFoxImage();
        spend(7_500 - price);
        cardTopUp(7_500);
        Job failed = h.runningFoxImage(U); // A's last
        h.provider.set(failed.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(failed).state()).isEqualTo(JobState.FAILED);
        String next = spend(7_500); // A's last again, then the card's
        Job job = h.runningFoxImage(U);
        succeeds(job);
        aRefundedWithTheWalletEmpty();
        assertThat(CreditsOnWallet.paying(AccountId.wallet(U), h.stores.ledger().transfers(AccountId.wallet(U)),
                List.of(next), h -> List.of()).paidBy(TopUps.creditId(A))).isEqualTo(price);

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("paid by the card").isEqualTo(job.price());
        assertThat(lossBalance()).isEqualTo(7_500);
    }

    /**
     * A job posted for less (a lesser result) gives the rest of A's money back first: the next job takes it, and the
     * card's money only for the rest of its price.
     */
    @Test
    void theRestOfAPostForLessIsTheStarsMoneyTheNextJobTakesFirst() {
        long price = priceOfAFoxImage();
        spend(7_500 - price);
        cardTopUp(7_500);
        Job lesser = h.runningFoxImage(U); // A's last
        long charged = price / 3;
        assertThat(h.shop.generations().complete(lesser.id(), new JobResult(List.of("https://files/out.png"),
                MediaKind.PHOTO), Optional.empty(), charged)).isPresent();
        Job job = h.runningFoxImage(U); // A's rest, then the card's
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("the card's part").isEqualTo(charged);
        assertThat(lossBalance()).isEqualTo(7_500 - (price - charged));
        assertThat(Generations.refundedToWallet(h.stored(lesser),
                h.shop.generations().refundAfterCharge(h.stored(lesser), "a test"))).as("A's").isZero();
        assertThat(h.balance(U)).isEqualTo(charged);
        assertThat(lossBalance()).isEqualTo(7_500 - price);
    }

    private void move(String id, AccountId from, AccountId to, long amount, TransferKind kind) {
        assertThat(h.stores.ledger().transfer(id, from, to, amount, kind).succeeded()).as(id).isTrue();
    }

    /**
     * A referral bonus the user got after paying A, taken back (whole, or in parts as a friend's provider refunds part
     * of his payment at a time): the reversal takes the bonus, not A's money at the front of the wallet. Taken from
     * the front, it left the bonus to pay the job A paid, and the job's refund after A's Stars refund went to the
     * wallet: the user had A back in Stars and the job's price on his balance, made from nothing (review Q3).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aJobPaidByTheStarsAfterAReferralBonusWasTakenBackGoesAgainstTheirLoss(boolean inParts) {
        long friend = 4242;
        move(Referrals.transferId(friend), AccountId.PROMO_EXPENSE, AccountId.wallet(U), 7_500,
                TransferKind.REFERRAL_BONUS);
        Map<String, Long> reversals = inParts
                ? Map.of(Referrals.partReversalId(friend, ExternalRefund.refundId("yk", "f-1") + ExternalRefund.PART
                        + "r-1"), 2_500L, Referrals.partReversalId(friend, ExternalRefund.refundId("yk", "f-1")
                        + ExternalRefund.PART + "r-2"), 5_000L)
                : Map.of(Referrals.reversalId(friend), 7_500L);
        reversals.forEach((id, amount) -> move(id, AccountId.wallet(U), AccountId.PROMO_EXPENSE, amount,
                TransferKind.REFERRAL_REVERSAL));
        Job job = h.runningFoxImage(U); // only A's money is on the wallet
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A paid the job, he has A back in Stars").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - job.price());
    }

    /**
     * A card payment through the partner's provider, refunded by the provider (whole, or in parts): its refund takes
     * that payment's money, not A's at the front of the wallet; taken from the front, the job A paid was said to be
     * paid by the card, and its refund made money from nothing as above (review Q3).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aJobPaidByTheStarsAfterACardPaymentWasRefundedByItsProviderGoesAgainstTheirLoss(boolean inParts) {
        move(ExternalPayment.creditId("yk", "p-1"), AccountId.EXTERNAL_CLEARING, AccountId.wallet(U), 7_500,
                TransferKind.TOP_UP_EXTERNAL);
        String whole = ExternalRefund.refundId("yk", "p-1");
        Map<String, Long> refunds = inParts
                ? Map.of(whole + ExternalRefund.PART + "r-1", 2_500L, whole + ExternalRefund.PART + "r-2", 5_000L)
                : Map.of(whole, 7_500L);
        refunds.forEach((id, amount) -> move(id, AccountId.wallet(U), AccountId.EXTERNAL_CLEARING, amount,
                TransferKind.EXTERNAL_REFUND));
        Job job = h.runningFoxImage(U);
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A paid the job, he has A back in Stars").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - job.price());
    }

    /**
     * A bonus (or a card payment) that paid half a job, the Stars A the other half and A's rest on the wallet; then the
     * bonus is taken back (its friend's payment refunded), or the card payment by its provider: its own credit is in
     * the job, so it takes A's money from the front, and the job is paid by A whole, what the reversal took instead
     * (review Q5). Left paid by the bonus for half, the job's refund after A's Stars refund (all of A a loss) sent
     * that half to the wallet: the user had A back in Stars, the bonus taken back, and half the job's price on his
     * balance.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aJobHalfPaidByACreditTakenBackLaterWithTheStarsMoneyGoesAgainstTheirLossWhole(boolean byACard) {
        long price = priceOfAFoxImage();
        long byA = price / 2;
        String aside = "aside-1"; // A's money but byA put aside, so that the job takes A's byA, then the credit's
        assertThat(h.stores.ledger().hold(aside, AccountId.wallet(U), AccountId.REVENUE, 7_500 - byA,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        if (byACard) {
            move(ExternalPayment.creditId("yk", "p-1"), AccountId.EXTERNAL_CLEARING, AccountId.wallet(U),
                    price - byA, TransferKind.TOP_UP_EXTERNAL);
        } else {
            move(Referrals.transferId(4242), AccountId.PROMO_EXPENSE, AccountId.wallet(U), price - byA,
                    TransferKind.REFERRAL_BONUS);
        }
        Job job = h.runningFoxImage(U);
        succeeds(job);
        assertThat(h.stores.ledger().voidHold(Ledger.voidId(aside), aside).succeeded()).isTrue();
        if (byACard) {
            move(ExternalRefund.refundId("yk", "p-1"), AccountId.wallet(U), AccountId.EXTERNAL_CLEARING, price - byA,
                    TransferKind.EXTERNAL_REFUND);
        } else {
            move(Referrals.reversalId(4242), AccountId.wallet(U), AccountId.PROMO_EXPENSE, price - byA,
                    TransferKind.REFERRAL_REVERSAL);
        }
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A back in Stars, the credit taken back: nothing of his is left").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - price);
    }

    /**
     * An admin's {@code /debit_user} names no credit: it takes the newest admin top-up still on the wallet first (it
     * mostly corrects a top-up credited by mistake), so A, paid before, still pays the next job, and that job's
     * refund after A's Stars refund goes against A's loss. Taken from the front, the debit took A, the mistaken
     * top-up paid the job, and its refund went to the wallet though the user had A back in Stars.
     */
    @Test
    void anAdminsDebitTakesBackTheNewestAdminTopUpSoTheStarsPaidBeforeStillPayTheNextJob() {
        h.adminConfirmed("topup_user", U + " 75");
        h.adminConfirmed("debit_user", U + " 75");
        assertThat(h.balance(U)).isEqualTo(7_500);
        Job job = h.runningFoxImage(U);
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A paid the job, he has A back in Stars").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - job.price());
    }

    /**
     * A job paid by a referral bonus and refunded to the wallet before the bonus is taken back: the refund gives back
     * the bonus that paid the job (as a void does), so the reversal takes that bonus, and the Stars A pay the next job.
     * Entered as a new credit of its own ({@code refund:<hold>}), the refund's money paid the next job while the
     * reversal took A's money and relabelled the refunded job: that job's refund after A's Stars refund (all a loss)
     * went to the wallet though the user had A back in Stars and the bonus taken back, money made from nothing.
     */
    @Test
    void aJobRefundedToTheWalletBeforeItsBonusIsTakenBackGivesTheBonusBackSoTheStarsPayTheNextJob() {
        long price = priceOfAFoxImage();
        String aside = "aside-1"; // A's money put aside, so that the first job takes the bonus
        assertThat(h.stores.ledger().hold(aside, AccountId.wallet(U), AccountId.REVENUE, 7_500,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        move(Referrals.transferId(4242), AccountId.PROMO_EXPENSE, AccountId.wallet(U), price,
                TransferKind.REFERRAL_BONUS);
        Job byTheBonus = h.runningFoxImage(U);
        succeeds(byTheBonus);
        assertThat(h.stores.ledger().voidHold(Ledger.voidId(aside), aside).succeeded()).isTrue();
        h.adminConfirmed("refund", byTheBonus.id().display());
        assertThat(h.balance(U)).as("no loss yet: the bonus's price back on the wallet").isEqualTo(7_500 + price);
        move(Referrals.reversalId(4242), AccountId.wallet(U), AccountId.PROMO_EXPENSE, price,
                TransferKind.REFERRAL_REVERSAL);
        spend(7_500 - price);
        Job job = h.runningFoxImage(U); // the last of the wallet: A's money, the bonus taken back
        succeeds(job);
        aRefundedWithTheWalletEmpty();

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A back in Stars, the bonus taken back: nothing of his is left").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - price);
    }

    /**
     * A job A paid, A's credit then spent, and a second Stars payment B on the wallet when Telegram refunds A: the
     * taking back of A's refund takes B's money (A's is spent), so the job is paid by B's money now, as a reversal's
     * relabel has it. B refunded next with the wallet empty (all a loss), the job's refund goes against B's loss:
     * the user has both payments back in Stars. Left "paid by A" (A's refund no loss at all), the job's refund went to
     * the wallet, its price made from nothing.
     */
    @Test
    void aJobWhoseStarsWereTakenBackWithAnotherPaymentsMoneyGoesAgainstThatPaymentsLoss() {
        Job job = h.runningFoxImage(U); // A's
        succeeds(job);
        spendTheRest();
        String b = "ch-b";
        String payloadOfB = h.paid50Stars(U, b);
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));
        assertThat(h.stores.ledger().find(StarsRefundAttempts.lossId(A))).as("taken back whole: B's money").isEmpty();
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(b, payloadOfB, "XTR", 50));
        assertThat(lossBalance()).as("B all a loss").isEqualTo(7_500);

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A and B back in Stars: nothing of his is left").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - job.price());
    }

    /**
     * A job A paid and an admin's {@code /debit_user} of A's rest, then a card top-up, then Telegram refunds A: the
     * taking back takes the card's money (A's spent) and relabels A in the debit first, as a debit is never refunded.
     * The job keeps paid by A, and its refund goes against A's loss: the user has A back in Stars, and the admin took
     * the rest deliberately. Relabelled in the job, it sent the card's share to the wallet, made from nothing.
     */
    @Test
    void aStarsRefundTakenBackWithACardsMoneyRelabelsAnAdminsDebitBeforeAJob() {
        Job job = h.runningFoxImage(U); // A's
        succeeds(job);
        long rest = h.balance(U);
        h.adminConfirmed("debit_user", U + " " + rest / 100 + "," + String.format("%02d", rest % 100));
        assertThat(h.balance(U)).isZero();
        cardTopUp(100);
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));
        assertThat(h.balance(U)).as("the card's money taken back").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - 100);

        h.adminConfirmed("refund", job.id().display());
        assertThat(h.balance(U)).as("A back in Stars, the rest debited: nothing of his is left").isZero();
        assertThat(lossBalance()).isEqualTo(7_500 - 100 - job.price());
    }

    /**
     * Two jobs running when Telegram refunds A: the older paid by a card top-up, the newer by A's last money, the rest
     * of A still on the wallet. The refund takes that rest; what A's credit has in the newer job's hold is owed by
     * that hold, which holds it, not by the oldest hold: owed by the card's job, its refund went against A's loss
     * (the user lost the card's money) while the refund of the job A paid went to the wallet whole (A back in Stars
     * and its price on the balance, made from nothing), whichever of the two was refunded and the other kept.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStarsRefundWhileJobsRunIsOwedByTheHoldThatHoldsTheStarsNotByTheOldest(boolean theStarsJobRefunded) {
        long price = priceOfAFoxImage();
        String aside = "aside-1"; // A's money put aside, so that the first job takes the card's
        assertThat(h.stores.ledger().hold(aside, AccountId.wallet(U), AccountId.REVENUE, 7_500,
                TransferKind.GENERATION, h.clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
        cardTopUp(price);
        Job byTheCard = h.runningFoxImage(U);
        assertThat(h.stores.ledger().voidHold(Ledger.voidId(aside), aside).succeeded()).isTrue();
        Job byTheStars = h.runningFoxImage(U); // A's
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));
        assertThat(h.balance(U)).as("A's rest taken back").isZero();
        succeeds(byTheCard);
        succeeds(byTheStars);

        h.adminConfirmed("refund", (theStarsJobRefunded ? byTheStars : byTheCard).id().display());
        if (theStarsJobRefunded) {
            assertThat(h.balance(U)).as("A paid the refunded job, he has A back in Stars").isZero();
            assertThat(lossBalance()).as("the card paid the job kept").isZero();
        } else {
            assertThat(h.balance(U)).as("the card paid the refunded job").isEqualTo(price);
            assertThat(lossBalance()).as("A paid the job kept").isEqualTo(price);
        }
    }

    /** How a card's job running at the report ends, and which job an admin refunds after. */
    enum CardsJobEnd { FAILS, DELIVERED_AND_REFUNDED, DELIVERED_AND_THE_STARS_JOB_REFUNDED }

    /**
     * The policy of a report while jobs run, with a card: A pays a job (its last money) that is delivered, a card
     * top-up B pays a second job that is still running when Telegram refunds A with the wallet empty. The running hold
     * holds none of A's money, so it owes A nothing: all of A is the shop's loss at once, and the card's job ends as
     * if no report had come. Owed by it (the oldest hold, the rule before), its void gave the card's money to the
     * Stars, or, delivered and refunded, its refund went against A's loss: the user had paid the card for a job he
     * did not get, while the job A paid stayed "paid by A" (refunded, to the wallet, A already back in Stars). The
     * third case ends the same under either rule: A paid the refunded job, the card the job kept.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(CardsJobEnd.class)
    void aCardsJobRunningAtTheReportOfStarsSpentElsewhereOwesThemNothing(CardsJobEnd end) {
        long price = priceOfAFoxImage();
        spend(7_500 - price);
        Job byTheStars = h.runningFoxImage(U); // A's last
        succeeds(byTheStars);
        cardTopUp(price);
        Job byTheCard = h.runningFoxImage(U); // B's
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));

        if (end == CardsJobEnd.FAILS) {
            h.provider.set(byTheCard.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED,
                    "boom"));
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            assertThat(h.stored(byTheCard).state()).isEqualTo(JobState.FAILED);
            assertThat(h.balance(U)).as("the card's money back, as for any failed job").isEqualTo(price);
            assertThat(lossBalance()).isEqualTo(7_500);
            return;
        }
        succeeds(byTheCard);
        boolean card = end == CardsJobEnd.DELIVERED_AND_REFUNDED;
        h.adminConfirmed("refund", (card ? byTheCard : byTheStars).id().display());
        if (card) {
            assertThat(h.balance(U)).as("the card paid the refunded job").isEqualTo(price);
            assertThat(lossBalance()).as("A paid the job kept").isEqualTo(7_500);
        } else {
            assertThat(h.balance(U)).as("A paid the refunded job, he has A back in Stars").isZero();
            assertThat(lossBalance()).as("the card paid the job kept").isEqualTo(7_500 - price);
        }
    }

    /** How a job running at a report ends, and which job an admin refunds after. */
    enum RunningJobEnd { FAILS, DELIVERED_AND_KEPT, DELIVERED_AND_REFUNDED, DELIVERED_AND_BOTH_REFUNDED }

    /**
     * A running job whose hold holds the card's money and A's both (the card B came first, so the hold is B's first,
     * then A's), the rest of A spent on a delivered job, when Telegram refunds A: the hold owes A only what it holds of
     * A, the rest of A is the shop's loss at once, and the card's part of the hold is the user's whatever happens:
     * given back to the wallet when the job fails or is refunded. At the end, with both jobs refunded, the shop has
     * lost what A paid of the delivery the user kept, and the wallet has the card's money, no more: nothing made from
     * nothing, nothing of the card's kept.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(RunningJobEnd.class)
    void aHoldOfTheCardsMoneyAndTheStarsOwesTheStarsOnlyTheirPart(RunningJobEnd end) {
        long price = priceOfAFoxImage();
        long card = price / 3;
        h = started(U); // the card first, then A
        cardTopUp(card);
        h.clock.advance(Duration.ofMinutes(1));
        payload = h.paid50Stars(U, A);
        h.clock.advance(Duration.ofMinutes(1));
        Job running = h.runningFoxImage(U); // the card's, then price - card of A
        Job byTheStars = h.runningFoxImage(U);
        long kept = h.balance(U);
        spendTheRest(); // A's last, a delivery no one refunds
        succeeds(byTheStars);
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment(A, payload, "XTR", 50));

        String hold = h.stored(running).holdId();
        assertThat(h.stores.payments().heldRefundsOnHold(hold)).extracting(HeldStarsRefund::amount)
                .as("A's part of the hold").containsExactly(price - card);
        assertThat(lossBalance()).as("the rest of A, spent").isEqualTo(7_500 - (price - card));
        if (end == RunningJobEnd.FAILS) {
            h.provider.set(running.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED,
                    "boom"));
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            assertThat(h.stored(running).state()).isEqualTo(JobState.FAILED);
            assertThat(h.balance(U)).as("the card's part back, A's to the Stars").isEqualTo(card);
            assertThat(lossBalance()).isEqualTo(7_500 - (price - card));
            h.adminConfirmed("refund", byTheStars.id().display());
            assertThat(h.balance(U)).as("A's job against A's loss").isEqualTo(card);
            assertThat(lossBalance()).as("what A paid of what he kept").isEqualTo(kept);
            assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
            return;
        }
        succeeds(running);
        assertThat(lossBalance()).as("A's part of the delivered job lost too").isEqualTo(7_500);
        assertThat(h.balance(U)).isZero();
        if (end == RunningJobEnd.DELIVERED_AND_KEPT) {
            return;
        }
        h.adminConfirmed("refund", running.id().display());
        assertThat(h.balance(U)).as("the card's part to the wallet, A's against A's loss").isEqualTo(card);
        assertThat(lossBalance()).isEqualTo(7_500 - (price - card));
        if (end == RunningJobEnd.DELIVERED_AND_BOTH_REFUNDED) {
            h.adminConfirmed("refund", byTheStars.id().display());
            assertThat(h.balance(U)).as("A's job against A's loss, the card's money on the wallet").isEqualTo(card);
            assertThat(lossBalance()).as("what A paid of what he kept").isEqualTo(kept);
        }
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    /**
     * An upgrade: a report an earlier build booked (a card's job running when A, spent on a delivered job, was
     * refunded owed A the card's money, as the oldest hold; the rest of A lost), ended under this build. However the
     * card's job ends, the old debt is settled as booked (the card's money to A's Stars, or its loss, sent back by the
     * job's refund), and once both jobs are refunded the loss is what A paid of the delivery kept less the card's
     * money, each job's price given back once: the user, who has A back in Stars, has had more than he paid for.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = RunningJobEnd.class, names = {"FAILS",
            "DELIVERED_AND_BOTH_REFUNDED"})
    void aCardsJobOwingTheStarsByTheOldRuleEndsRightUnderTheNew(RunningJobEnd end) {
        long price = priceOfAFoxImage();
        h = started(U); // the clearing account A's alone
        payload = h.paid50Stars(U, A);
        Job byTheStars = h.runningFoxImage(U);
        long kept = h.balance(U);
        spendTheRest(); // A's last, a delivery no one refunds
        succeeds(byTheStars);
        cardTopUp(price);
        Job byTheCard = h.runningFoxImage(U);
        String hold = h.stored(byTheCard).holdId();
        h.clock.advance(Duration.ofMinutes(1));
        // the report as an earlier build booked it (nothing free to take back): the card's hold, the oldest,
        // owing A its whole amount, the rest of A lost at once (as OldLedgerUnderTheNewWalkTest writes one)
        assertThat(h.stores.payments().recordHeldRefund(new HeldStarsRefund(A, hold, U, price, h.clock.instant())))
                .isTrue();
        move(StarsRefundAttempts.lossId(A), AccountId.STARS_REFUND_LOSS, AccountId.STARS_CLEARING, 7_500 - price,
                TransferKind.STARS_REFUND_LOSS);
        assertThat(lossBalance()).isEqualTo(7_500 - price);

        if (end == RunningJobEnd.FAILS) {
            h.provider.set(byTheCard.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED,
                    "boom"));
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            assertThat(h.balance(U)).as("the old debt settled as booked: the card's money to A's Stars").isZero();
            assertThat(lossBalance()).isEqualTo(kept);
        } else {
            succeeds(byTheCard);
            assertThat(lossBalance()).as("the old debt lost when the card's job was delivered").isEqualTo(7_500);
            h.adminConfirmed("refund", byTheCard.id().display());
        }
        h.adminConfirmed("refund", byTheStars.id().display());
        assertThat(h.balance(U)).as("as the old build booked it: the card's money paid A's loss").isZero();
        assertThat(lossBalance()).as("each job's price given back once, no more").isEqualTo(kept - price);
        assertThat(h.stores.ledger().balance(AccountId.STARS_CLEARING).posted()).isZero();
    }

    /** The fox image's price, read by ordering one on a user of its own. */
    private long priceOfAFoxImage() {
        long other = 77;
        h.command(other, "start");
        h.topUp(other, 100_000);
        return h.runningFoxImage(other).price();
    }
}
