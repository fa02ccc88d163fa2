package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which credits paid a job, walked over the wallet's transfers: money spent oldest first, a Stars charge's refund
 * taking that charge's credit first, what a hold gives back returning first as the credits it took.
 */
class CreditsOnWalletTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final AccountId W = AccountId.wallet(42);
    private static final String A = TopUps.creditId("ch-a");
    private static final String B = "card-b";

    private static Transfer in(String id, long amount) {
        return new Transfer(id, AccountId.STARS_CLEARING, W, amount, TransferKind.TOP_UP_STARS, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
    }

    private static Transfer out(String id, long amount) {
        return new Transfer(id, W, AccountId.REVENUE, amount, TransferKind.GENERATION, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
    }

    private static Transfer hold(String id, long amount) {
        return new Transfer(id, W, AccountId.REVENUE, amount, TransferKind.GENERATION, Phase.PENDING,
                Optional.empty(), Optional.of(T.plusSeconds(3_600)), T);
    }

    private static Transfer post(String hold, long amount) {
        return resolve(Ledger.postId(hold), hold, amount, Phase.POST_PENDING);
    }

    private static Transfer voided(String hold) {
        return resolve(Ledger.voidId(hold), hold, 0, Phase.VOID_PENDING);
    }

    private static Transfer expired(String hold) {
        return resolve(Ledger.expireId(hold), hold, 0, Phase.EXPIRE_PENDING);
    }

    private static Transfer resolve(String id, String hold, long amount, Phase phase) {
        return new Transfer(id, W, AccountId.REVENUE, amount, TransferKind.GENERATION, phase, Optional.of(hold),
                Optional.empty(), T);
    }

    private static Map<String, Long> paid(List<String> jobHolds, Transfer... transfers) {
        return CreditsOnWallet.paying(W, List.of(transfers), jobHolds, h -> List.of()).paid();
    }

    @Test
    void aJobIsPaidByTheOldestCreditsLeft() {
        assertThat(paid(List.of("gen_1"), in(A, 100), out("x", 60), in(B, 100), out("gen_1", 90)))
                .isEqualTo(Map.of(A, 40L, B, 50L));
        assertThat(paid(List.of("gen_1"), in(A, 100), out("x", 100), in(B, 100), hold("gen_1", 90),
                post("gen_1", 90))).as("A spent before: the card paid it").isEqualTo(Map.of(B, 90L));
        assertThat(paid(List.of("gen_1"), hold("gen_1", 50), post("gen_1", 50), in(A, 100)))
                .as("credited after the job: paid nothing of it").isEmpty();
    }

    @Test
    void whatAVoidOrAnExpiryGivesBackPaysFirstAgain() {
        for (Transfer resolved : List.of(voided("gen_0"), expired("gen_0"))) {
            assertThat(paid(List.of("gen_1"), in(A, 100), out("x", 50), in(B, 100), hold("gen_0", 50), resolved,
                    out("y", 50), hold("gen_1", 100), post("gen_1", 100))).as(resolved.id())
                    .isEqualTo(Map.of(B, 100L));
            assertThat(paid(List.of("y"), in(A, 100), out("x", 50), in(B, 100), hold("gen_0", 50), resolved,
                    out("y", 50))).as("A's money, back first").isEqualTo(Map.of(A, 50L));
        }
    }

    @Test
    void aPostForLessKeepsTheOldestPartAndGivesTheRestBackFirst() {
        Transfer[] walk = {in(A, 100), in(B, 100), hold("gen_0", 150), post("gen_0", 120), hold("gen_1", 60),
            post("gen_1", 60)};
        assertThat(paid(List.of("gen_0"), walk)).isEqualTo(Map.of(A, 100L, B, 20L));
        assertThat(paid(List.of("gen_1"), walk)).as("B's 30 given back, then B's 50 never held")
                .isEqualTo(Map.of(B, 60L));
    }

    @Test
    void aHoldResolvedAfterTheJobsHoldChangesNothingOfIt() {
        assertThat(paid(List.of("gen_1"), in(A, 100), hold("gen_0", 60), in(B, 100), hold("gen_1", 100),
                voided("gen_0"), post("gen_1", 100))).isEqualTo(Map.of(A, 40L, B, 60L));
    }

    @Test
    void aStarsRefundTakesItsOwnChargesCreditFirst() {
        // B older, A's refund takes A whole though B is first in line: the job after is B's
        assertThat(paid(List.of("gen_1"), in(B, 100), in(A, 100), out("x", 50),
                out(StarsRefundAttempts.reportedId("ch-a"), 100), out("gen_1", 50))).isEqualTo(Map.of(B, 50L));
        // a later try, an admin's attempt (a hold, posted) and a held refund's taking back alike
        for (String takeBack : List.of(StarsRefundAttempts.reported("ch-a").id(2),
                HeldStarsRefunds.back("ch-a", "gen_0").id(3))) {
            assertThat(paid(List.of("gen_1"), in(B, 100), in(A, 100), out(takeBack, 100), out("gen_1", 100)))
                    .as(takeBack).isEqualTo(Map.of(B, 100L));
        }
        String attempt = StarsRefundAttempts.holdId("ch-a", 2);
        assertThat(paid(List.of("gen_1"), in(B, 100), in(A, 100), hold(attempt, 100), post(attempt, 100),
                out("gen_1", 100))).isEqualTo(Map.of(B, 100L));
        assertThat(paid(List.of("gen_1"), in(B, 100), in(A, 100), hold(attempt, 100), voided(attempt),
                out("gen_1", 150))).as("refused: A given back where it was").isEqualTo(Map.of(A, 100L, B, 50L));
    }

    @Test
    void aJobChargedAgainIsPaidByWhatItsHoldsKept() {
        assertThat(paid(List.of("gen_1", "gen_1~2"), in(A, 100), in(B, 100), hold("gen_1", 120), expired("gen_1"),
                out("x", 100), hold("gen_1~2", 100), post("gen_1~2", 100))).isEqualTo(Map.of(B, 100L));
    }

    @Test
    void aTakingBackNamesTheCreditItTakesBack() {
        assertThat(CreditsOnWallet.creditTakenBack("stars-refund:ch-1")).contains(TopUps.creditId("ch-1"));
        assertThat(CreditsOnWallet.creditTakenBack("stars-refund:ch-1~2")).contains(TopUps.creditId("ch-1"));
        assertThat(CreditsOnWallet.creditTakenBack("stars-refund:ch-1#3")).contains(TopUps.creditId("ch-1"));
        assertThat(CreditsOnWallet.creditTakenBack("stars-held:ch-1:gen_5~2")).contains(TopUps.creditId("ch-1"));
        String refund = ExternalRefund.refundId("yk", "p-1");
        assertThat(CreditsOnWallet.creditTakenBack(Referrals.reversalId(7))).contains(Referrals.transferId(7));
        assertThat(CreditsOnWallet.creditTakenBack(Referrals.reversalId(7) + "~2")).contains(Referrals.transferId(7));
        assertThat(CreditsOnWallet.creditTakenBack(Referrals.partReversalId(7, refund + ExternalRefund.PART + "r-1")))
                .as("a part of it").contains(Referrals.transferId(7));
        assertThat(CreditsOnWallet.creditTakenBack(refund)).contains(ExternalPayment.creditId("yk", "p-1"));
        assertThat(CreditsOnWallet.creditTakenBack(refund + ExternalRefund.PART + "r-1")).as("a part of it")
                .contains(ExternalPayment.creditId("yk", "p-1"));
        for (String other : List.of("gen_5", "refund:gen_5", "stars-loss:ch-1", "debit:9", "stars-refund:",
                "referral-back:", "external-refund:", "manual:9")) {
            assertThat(CreditsOnWallet.creditTakenBack(other)).as(other).isEmpty();
        }
    }

    @Test
    void aReversalOrAProvidersRefundTakesTheCreditItNamesFirst() {
        String bonus = Referrals.transferId(7);
        String card = ExternalPayment.creditId("yk", "p-1");
        String refund = ExternalRefund.refundId("yk", "p-1");
        assertThat(paid(List.of("gen_1"), in(A, 100), in(bonus, 100), out(Referrals.reversalId(7), 100),
                out("gen_1", 100))).isEqualTo(Map.of(A, 100L));
        assertThat(paid(List.of("gen_1"), in(A, 100), in(bonus, 100),
                out(Referrals.partReversalId(7, refund + ExternalRefund.PART + "r-1"), 40), out("gen_1", 160)))
                .as("a part: the rest of the bonus pays after A").isEqualTo(Map.of(A, 100L, bonus, 60L));
        assertThat(paid(List.of("gen_1"), in(A, 100), in(card, 100), out(refund + ExternalRefund.PART + "r-1", 30),
                out(refund + ExternalRefund.PART + "r-2", 70), out("gen_1", 100))).isEqualTo(Map.of(A, 100L));
        assertThat(paid(List.of("gen_1"), in(card, 100), out("x", 100), in(A, 100), in(B, 100), out(refund, 50),
                out("gen_1", 100))).as("the card's money spent already: its refund takes from the front")
                .isEqualTo(Map.of(A, 50L, B, 50L));
    }

    /**
     * Its credit spent on jobs, a reversal takes what it took instead from those jobs' charges (held or posted, the
     * latest first): they are paid by that money now, and the reversal by the credit it names.
     */
    @Test
    void aReversalWhoseCreditAJobSpentRelabelsItInTheJobAsWhatItTookInstead() {
        String bonus = Referrals.transferId(7);
        String card = ExternalPayment.creditId("yk", "p-1");
        String refund = ExternalRefund.refundId("yk", "p-1");
        for (String[] taken : List.of(new String[] {bonus, Referrals.reversalId(7)},
                new String[] {card, refund}, new String[] {card, refund + ExternalRefund.PART + "r-1"})) {
            assertThat(paid(List.of("gen_1"), in(taken[0], 50), in(A, 100), hold("gen_1", 100), post("gen_1", 100),
                    out(taken[1], 50))).as(taken[1] + ": posted").isEqualTo(Map.of(A, 100L));
            assertThat(paid(List.of("gen_1"), in(taken[0], 50), in(A, 100), hold("gen_1", 100), out(taken[1], 50),
                    post("gen_1", 100))).as(taken[1] + ": still held").isEqualTo(Map.of(A, 100L));
            assertThat(paid(List.of(taken[1]), in(taken[0], 50), in(A, 100), out("gen_1", 100), out(taken[1], 50)))
                    .as(taken[1] + ": took its credit").isEqualTo(Map.of(taken[0], 50L));
        }
        assertThat(paid(List.of("gen_1", "gen_2"), in(bonus, 60), in(A, 100), out("gen_1", 40), out("gen_2", 40),
                in(B, 100), out(Referrals.reversalId(7), 50))).as("the latest job first, then the one before")
                .isEqualTo(Map.of(bonus, 10L, A, 70L));
        assertThat(paid(List.of("gen_1"), in(bonus, 50), in(A, 100), hold("gen_1", 100), voided("gen_1"),
                out(Referrals.reversalId(7), 50), out("gen_1", 100))).as("given back, the bonus was there to take")
                .isEqualTo(Map.of(A, 100L));
        assertThat(paid(List.of("debit:3"), in(bonus, 50), in(A, 100), debit("debit:3", 50),
                out(Referrals.reversalId(7), 50))).as("only jobs' charges are relabeled").isEqualTo(Map.of(bonus, 50L));
    }

    /**
     * A Stars refund's taking back whose credit is spent relabels it as what it took instead, in the admins' debits
     * first (never refunded), then in the jobs' charges, the latest first; never in a refunded job's charge, which
     * keeps what its refund sent against a loss.
     */
    @Test
    void aStarsRefundsTakingBackWhoseCreditIsSpentRelabelsItDebitsFirst() {
        String x = TopUps.creditId("ch-x");
        String takeBack = StarsRefundAttempts.reportedId("ch-x");
        assertThat(paid(List.of("gen_1"), in(x, 50), in(A, 100), hold("gen_1", 80), post("gen_1", 80),
                out(takeBack, 50))).as("paid by A's money now").isEqualTo(Map.of(A, 80L));
        Transfer[] debited = {in(x, 50), debit("debit:3", 20), out("gen_1", 30), in(B, 20), out(takeBack, 20)};
        assertThat(paid(List.of("debit:3"), debited)).as("the debit's x first").isEqualTo(Map.of(B, 20L));
        assertThat(paid(List.of("gen_1"), debited)).as("the job keeps x, for x's loss").isEqualTo(Map.of(x, 30L));
        Transfer lost = new Transfer(HeldStarsRefunds.lossBackId("gen_1", StarsRefundAttempts.lossId("ch-x")),
                AccountId.REVENUE, AccountId.STARS_REFUND_LOSS, 30, TransferKind.REFUND, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
        assertThat(CreditsOnWallet.paying(W, List.of(in(x, 50), out("gen_1", 50), in(B, 20), refund("gen_1", 20),
                in(A, 100), out(HeldStarsRefunds.back("ch-x", "gen_0").id(1), 50)), List.of("gen_1"),
                h -> h.equals("gen_1") ? List.of(lost) : List.of()).paid())
                .as("refunded, part against x's loss: keeps x").isEqualTo(Map.of(x, 30L));
    }

    @Test
    void anAdminsDebitTakesTheAdminTopUpsNewestFirstThenTheFront() {
        Transfer older = manual("manual:1", 30);
        Transfer newer = manual("manual:2", 50);
        assertThat(paid(List.of("gen_1"), in(A, 100), older, in(B, 100), newer, debit("debit:3", 60),
                out("gen_1", 220))).as("the newest top-up's 50, then the older's 10; A and B untouched")
                .isEqualTo(Map.of(A, 100L, "manual:1", 20L, B, 100L));
        assertThat(paid(List.of("gen_1"), in(A, 100), older, debit("debit:3", 50), out("gen_1", 80)))
                .as("past the admin top-ups: from the front").isEqualTo(Map.of(A, 80L));
        assertThat(paid(List.of("gen_1"), in(A, 100), in(B, 100), debit("debit:3", 50), out("gen_1", 100)))
                .as("no admin top-up: from the front").isEqualTo(Map.of(A, 50L, B, 50L));
    }

    /**
     * A relabelled job's hold voided or expired gives back what the reversal took instead, not the credit taken back;
     * parts of one reversal, a re-charged hold, an admin top-up or another bonus taken instead all keep each credit
     * counted once; an admin's debit after it takes the money left, not the reversed bonus (review Q6).
     */
    @Test
    void aRelabelledJobGivesBackWhatTheReversalTookInsteadAndCountsEachCreditOnce() {
        String bonus = Referrals.transferId(7);
        String back = Referrals.reversalId(7);
        // relabelled while held, then voided / expired: the money it took instead goes back, not the bonus
        for (boolean expire : new boolean[] {false, true}) {
            assertThat(paid(List.of("gen_2"), in(bonus, 50), in(A, 100), hold("gen_1", 100), rev(back, 50),
                    expire ? expired("gen_1") : voided("gen_1"), out("gen_2", 100))).as("void " + expire)
                    .isEqualTo(Map.of(A, 100L));
            assertThat(paid(List.of(back), in(bonus, 50), in(A, 100), hold("gen_1", 100), rev(back, 50),
                    expire ? expired("gen_1") : voided("gen_1"), out("gen_2", 100))).isEqualTo(Map.of(bonus, 50L));
        }
        // re-charged under gen_1~2 after an expiry
        assertThat(paid(List.of("gen_1", "gen_1~2"), in(bonus, 50), in(A, 100), hold("gen_1", 100),
                expired("gen_1"), hold("gen_1~2", 100), rev(back, 50), post("gen_1~2", 100)))
                .isEqualTo(Map.of(A, 100L));
        // two parts of one reversal, a void between them
        String p1 = back + " r1";
        String p2 = back + " r2";
        assertThat(paid(List.of("gen_1", "gen_2"), in(bonus, 60), in(A, 100), hold("gen_1", 60), rev(p1, 30),
                voided("gen_1"), rev(p2, 30), out("gen_2", 100))).isEqualTo(Map.of(A, 100L));
        assertThat(paid(List.of(p1, p2), in(bonus, 60), in(A, 100), hold("gen_1", 60), rev(p1, 30),
                voided("gen_1"), rev(p2, 30), out("gen_2", 100))).isEqualTo(Map.of(bonus, 60L));
        // two parts, both relabel, posted job
        assertThat(paid(List.of("gen_1"), in(bonus, 60), in(A, 100), out("gen_1", 60), rev(p1, 30), rev(p2, 30)))
                .isEqualTo(Map.of(A, 60L));
        assertThat(paid(List.of(p1, p2), in(bonus, 60), in(A, 100), out("gen_1", 60), rev(p1, 30), rev(p2, 40)))
                .isEqualTo(Map.of(bonus, 60L, A, 10L));
        // the money taken instead an admin top-up, then a /debit_user: the job paid by it, the debit from the front
        assertThat(paid(List.of("gen_1", "debit:3"), in(bonus, 50), manual("manual:1", 50), in(A, 100),
                out("gen_1", 50), rev(back, 50), debit("debit:3", 50)))
                .isEqualTo(Map.of("manual:1", 50L, A, 50L));
        // another bonus taken instead, then that bonus reversed too
        String bonus8 = Referrals.transferId(8);
        assertThat(paid(List.of("gen_1"), in(bonus, 50), in(bonus8, 50), in(A, 100), out("gen_1", 50),
                rev(back, 50), rev(Referrals.reversalId(8), 50))).isEqualTo(Map.of(A, 50L));
        // takenOf: debit after a relabelled hold voided takes the payment, not the reversed bonus
        assertThat(CreditsOnWallet.takenOf(W, List.of(in(bonus, 50), in(A, 100), hold("gen_1", 50), rev(back, 50),
                voided("gen_1"), debit("debit:3", 50)), A, java.util.Set.of("debit:3"), h -> List.of()))
                .isEqualTo(50L);
    }

    /**
     * A job's refund to the wallet gives back the credits that paid the job, first again, as a void does, and the job
     * is paid by nothing more: a reversal after it takes its bonus back, not the Stars' money. Entered as a credit of
     * its own, the refund paid the next job, and the reversal took A's money and relabelled the refunded job.
     */
    @Test
    void aJobsRefundGivesBackTheCreditsThatPaidItAsAVoidDoes() {
        String bonus = Referrals.transferId(7);
        String back = Referrals.reversalId(7);
        Transfer[] walk = {in(bonus, 50), in(A, 100), out("gen_1", 50), refund("gen_1", 50), rev(back, 50),
            out("x", 50), out("gen_2", 50)};
        assertThat(paid(List.of("gen_2"), walk)).as("A's money: the bonus went back with the reversal")
                .isEqualTo(Map.of(A, 50L));
        assertThat(paid(List.of("gen_1"), walk)).as("refunded: paid by nothing").isEmpty();
        assertThat(paid(List.of(back), walk)).isEqualTo(Map.of(bonus, 50L));
        assertThat(paid(List.of("gen_2"), in(A, 100), in(B, 100), out("gen_1", 150), refund("gen_1", 150),
                out("gen_2", 120))).as("given back in their order, at the front").isEqualTo(Map.of(A, 100L, B, 20L));
        assertThat(paid(List.of("gen_2"), in(A, 100), in(B, 100), hold("gen_1", 100), expired("gen_1"),
                out("x", 100), hold("gen_1~2", 100), post("gen_1~2", 100), refund("gen_1", 100), out("gen_2", 100)))
                .as("charged again: the refund, keyed by the first hold, gives back what the second kept")
                .isEqualTo(Map.of(B, 100L));
    }

    /**
     * A refund that sent part of the job back against a Stars refund's loss gives the wallet the rest: the job keeps
     * paid by that charge's Stars (its loss's other refunds still find it), the other credits go back. Given back,
     * the lost Stars paid the next job, whose refund went against their loss though the user paid it with a card.
     */
    @Test
    void aRefundPartlyAgainstALossGivesBackTheOtherCreditsAndTheJobKeepsTheLostStars() {
        String c = TopUps.creditId("ch-c");
        Transfer lost = new Transfer(HeldStarsRefunds.lossBackId("gen_1", StarsRefundAttempts.lossId("ch-a")),
                AccountId.REVENUE, AccountId.STARS_REFUND_LOSS, 50, TransferKind.REFUND, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
        java.util.function.Function<String, List<Transfer>> losses = h -> h.equals("gen_1") ? List.of(lost) : List.of();
        for (String other : List.of(B, c)) {
            Transfer[] walk = {in(other, 50), in(A, 50), out("gen_1", 100), refund("gen_1", 50), out("gen_2", 50)};
            assertThat(CreditsOnWallet.paying(W, List.of(walk), List.of("gen_1"), losses).paid()).as(other)
                    .isEqualTo(Map.of(A, 50L));
            assertThat(CreditsOnWallet.paying(W, List.of(walk), List.of("gen_2"), losses).paid()).as(other)
                    .isEqualTo(Map.of(other, 50L));
            assertThat(CreditsOnWallet.paidWith(W, List.of(walk), List.of(A), losses)).as(other)
                    .containsExactly("gen_1");
        }
    }

    /**
     * What a refund keeps against a Stars refund's loss is taken from the job's slices in turns: that loss's own
     * charge's Stars first, then any Stars (a held loss, whoever paid the hold), then the rest; the slices kept stay
     * with the job (never given back twice), only the rest of a slice goes back, at the front, and the next jobs are
     * paid by it, then by the credits after.
     */
    @Test
    void aRefundAgainstALossKeepsTheLosssOwnStarsThenAnyStarsThenTheRest() {
        String c = TopUps.creditId("ch-c");
        java.util.function.Function<Long, java.util.function.Function<String, List<Transfer>>> againstA = amount ->
                h -> h.equals("gen_1") ? List.of(lossBack(StarsRefundAttempts.lossId("ch-a"), amount)) : List.of();
        Transfer[] ownStars = {in(c, 50), in(A, 50), out("gen_1", 100), refund("gen_1", 50), out("gen_2", 50),
            in(B, 50), out("gen_3", 50)};
        assertThat(CreditsOnWallet.paying(W, List.of(ownStars), List.of("gen_1"), againstA.apply(50L)).paid())
                .as("A's own Stars kept, though C's come first").isEqualTo(Map.of(A, 50L));
        assertThat(CreditsOnWallet.paying(W, List.of(ownStars), List.of("gen_2"), againstA.apply(50L)).paid())
                .as("C given back first").isEqualTo(Map.of(c, 50L));
        assertThat(CreditsOnWallet.paying(W, List.of(ownStars), List.of("gen_3"), againstA.apply(50L)).paid())
                .as("nothing of the job given back twice").isEqualTo(Map.of(B, 50L));
        Transfer[] part = {in(c, 50), in(A, 50), out("gen_1", 100), refund("gen_1", 70), out("gen_2", 70),
            in(B, 100), out("gen_3", 30)};
        assertThat(CreditsOnWallet.paying(W, List.of(part), List.of("gen_1"), againstA.apply(30L)).paid())
                .as("30 of A's 50 kept").isEqualTo(Map.of(A, 30L));
        assertThat(CreditsOnWallet.paying(W, List.of(part), List.of("gen_2"), againstA.apply(30L)).paid())
                .isEqualTo(Map.of(c, 50L, A, 20L));
        assertThat(CreditsOnWallet.paying(W, List.of(part), List.of("gen_3"), againstA.apply(30L)).paid())
                .as("only A's other 20 went back").isEqualTo(Map.of(B, 30L));
        // a loss of what a hold kept: A paid none of the job, so any Stars (C) before the card B
        java.util.function.Function<String, List<Transfer>> heldA = h -> h.equals("gen_1")
                ? List.of(lossBack(HeldStarsRefunds.lossId("ch-a", "gen_1"), 50)) : List.of();
        Transfer[] anyStars = {in(B, 50), in(c, 50), out("gen_1", 100), refund("gen_1", 50), out("gen_2", 50)};
        assertThat(CreditsOnWallet.paying(W, List.of(anyStars), List.of("gen_1"), heldA).paid())
                .isEqualTo(Map.of(c, 50L));
        assertThat(CreditsOnWallet.paying(W, List.of(anyStars), List.of("gen_2"), heldA).paid())
                .isEqualTo(Map.of(B, 50L));
        // the same loss, the job paid by the card alone: the card kept, the next job paid by the card's rest
        Transfer[] noStars = {in(B, 100), out("gen_1", 100), refund("gen_1", 50), out("gen_2", 50), in(c, 50),
            out("gen_3", 50)};
        assertThat(CreditsOnWallet.paying(W, List.of(noStars), List.of("gen_1"), heldA).paid())
                .isEqualTo(Map.of(B, 50L));
        assertThat(CreditsOnWallet.paying(W, List.of(noStars), List.of("gen_3"), heldA).paid())
                .as("the card's 50 given back, spent by gen_2: C pays").isEqualTo(Map.of(c, 50L));
        // losses of A and C, 20 each, a job paid by A twice (a void's 20 back before the rest) and C: each loss keeps
        // its own 20, so A's second slice goes back, not C's
        java.util.function.Function<String, List<Transfer>> both = h -> h.equals("gen_1")
                ? List.of(lossBack(StarsRefundAttempts.lossId("ch-a"), 20),
                        lossBack(StarsRefundAttempts.lossId("ch-c"), 20)) : List.of();
        Transfer[] twice = {in(A, 40), in(c, 20), hold("h", 20), voided("h"), out("gen_1", 60), refund("gen_1", 20),
            out("gen_2", 20)};
        assertThat(CreditsOnWallet.paying(W, List.of(twice), List.of("gen_1"), both).paid())
                .isEqualTo(Map.of(A, 20L, c, 20L));
        assertThat(CreditsOnWallet.paying(W, List.of(twice), List.of("gen_2"), both).paid())
                .isEqualTo(Map.of(A, 20L));
    }

    /**
     * A job's refund whose charge the walk met gives back only what the charge took; a refund of a charge the walk
     * never met (none of the wallet's transfers: an id of an older build) is a credit of its own, at the back of the
     * queue, as any money in.
     */
    @Test
    void aRefundGivesBackWhatItsChargeTookAndOneOfNoChargeMetIsACreditOfItsOwn() {
        Transfer[] walk = {in(A, 100), out("gen_1", 100), refund("gen_1", 100), out("x", 100), in(B, 100),
            out("gen_2", 100)};
        assertThat(paid(List.of("gen_2"), walk)).as("A's 100 went back and was spent: B pays")
                .isEqualTo(Map.of(B, 100L));
        Transfer[] priceBack = {in(A, 100), hold("gen_1", 100), post("gen_1", 60), refund("gen_1", 100),
            out("x", 100), in(B, 100), out("gen_2", 100)};
        assertThat(paid(List.of("gen_2"), priceBack)).as("an older build's refund of the price after a post for "
                + "less: the 40 the post did not take is a credit of its own, after A")
                .isEqualTo(Map.of(Ledger.refundId("gen_1"), 40L, B, 60L));
        Transfer[] unmet = {in(A, 100), out("x", 100), refund("gen_9", 60), in(B, 100), out("gen_2", 100)};
        assertThat(paid(List.of("gen_2"), unmet)).as("the refund's 60, then B")
                .isEqualTo(Map.of(Ledger.refundId("gen_9"), 60L, B, 40L));
    }

    private static Transfer lossBack(String lossId, long amount) {
        return new Transfer(HeldStarsRefunds.lossBackId("gen_1", lossId), AccountId.REVENUE,
                AccountId.STARS_REFUND_LOSS, amount, TransferKind.REFUND, Phase.POSTED, Optional.empty(),
                Optional.empty(), T);
    }

    private static Transfer refund(String hold, long amount) {
        return new Transfer(Ledger.refundId(hold), AccountId.REVENUE, W, amount, TransferKind.REFUND, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
    }

    /** A referral bonus's reversal, as {@code Referrals} makes it (not a job's charge: never relabelled). */
    private static Transfer rev(String id, long amount) {
        return new Transfer(id, W, AccountId.PROMO_EXPENSE, amount, TransferKind.REFERRAL_REVERSAL, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
    }

    private static Transfer manual(String id, long amount) {
        return new Transfer(id, AccountId.MANUAL_CLEARING, W, amount, TransferKind.TOP_UP_MANUAL, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
    }

    private static Transfer debit(String id, long amount) {
        return new Transfer(id, W, AccountId.MANUAL_CLEARING, amount, TransferKind.DEBIT_MANUAL, Phase.POSTED,
                Optional.empty(), Optional.empty(), T);
    }

    /**
     * A hold into the wallet (none this build makes; the walk takes it) is money in once posted, a credit of its own
     * under the hold's id, for what was posted; voided, it brought nothing. No test had walked one (PIT, 2026-12-08:
     * no coverage).
     */
    @Test
    void aHoldIntoTheWalletIsACreditOnceItIsPosted() {
        Transfer holdIn = new Transfer("in-1", AccountId.MANUAL_CLEARING, W, 100, TransferKind.TOP_UP_MANUAL,
                Phase.PENDING, Optional.empty(), Optional.of(T.plusSeconds(3_600)), T);
        Transfer postedIn = new Transfer(Ledger.postId("in-1"), AccountId.MANUAL_CLEARING, W, 80,
                TransferKind.TOP_UP_MANUAL, Phase.POST_PENDING, Optional.of("in-1"), Optional.empty(), T);
        Transfer voidedIn = new Transfer(Ledger.voidId("in-1"), AccountId.MANUAL_CLEARING, W, 0,
                TransferKind.TOP_UP_MANUAL, Phase.VOID_PENDING, Optional.of("in-1"), Optional.empty(), T);

        assertThat(paid(List.of("gen_1"), holdIn, postedIn, in(A, 100), out("gen_1", 120)))
                .isEqualTo(Map.of("in-1", 80L, A, 40L));
        assertThat(paid(List.of("gen_1"), holdIn, voidedIn, in(A, 100), out("gen_1", 60)))
                .as("voided: nothing came in").isEqualTo(Map.of(A, 60L));
    }
}
