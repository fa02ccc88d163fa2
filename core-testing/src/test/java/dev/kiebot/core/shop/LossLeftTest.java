package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a job's refund may send back against one Stars refund's loss: what other jobs' refunds left of it, never
 * more, whatever order they come in; its own reversal again as it was.
 */
class LossLeftTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final Transfer LOSS = loss(StarsRefundAttempts.lossId("ch-1"), 7_500);
    private static final Transfer HELD_LOSS = loss(HeldStarsRefunds.lossId("ch-1", "gen_9"), 3_000);

    private static Transfer loss(String id, long amount) {
        return new Transfer(id, AccountId.STARS_REFUND_LOSS, AccountId.STARS_CLEARING, amount,
                TransferKind.STARS_REFUND_LOSS, Phase.POSTED, Optional.empty(), Optional.empty(), T);
    }

    private static Transfer back(String hold, Transfer loss, long amount) {
        return new Transfer(HeldStarsRefunds.lossBackId(hold, loss.id()), AccountId.REVENUE,
                AccountId.STARS_REFUND_LOSS, amount, TransferKind.REFUND, Phase.POSTED, Optional.empty(),
                Optional.empty(), T);
    }

    private static long take(Transfer loss, List<Transfer> reversals, String hold, long wanted) {
        return LossLeft.of(loss, reversals, HeldStarsRefunds.lossBackId(hold, loss.id())).take(wanted);
    }

    @Test
    void nothingSentBackYetLeavesTheWholeLossUpToTheRefund() {
        assertThat(take(LOSS, List.of(), "gen_1", 5_000)).isEqualTo(5_000);
        assertThat(take(LOSS, List.of(), "gen_1", 9_000)).isEqualTo(7_500);
    }

    @Test
    void theReversalsOfOneLossNeverComeToMoreThanItWhateverTheOrder() {
        for (List<Long> refunds : List.of(List.of(5_000L, 5_000L, 5_000L), List.of(9_000L, 1_000L),
                List.of(1_000L, 9_000L, 2_000L), List.of(7_500L, 7_500L))) {
            List<Transfer> made = new java.util.ArrayList<>();
            for (int i = 0; i < refunds.size(); i++) {
                long back = take(LOSS, made, "gen_" + i, refunds.get(i));
                assertThat(back).isBetween(0L, refunds.get(i));
                if (back > 0) {
                    made.add(back(("gen_" + i), LOSS, back));
                }
            }
            assertThat(made.stream().mapToLong(Transfer::amount).sum()).as("refunds %s", refunds)
                    .isEqualTo(Math.min(7_500, refunds.stream().mapToLong(Long::longValue).sum()));
        }
    }

    @Test
    void reversalsOfOtherLossesCountNothing() {
        List<Transfer> made = List.of(back("gen_1", HELD_LOSS, 3_000), back("gen_2", loss("stars-loss:ch-10", 99), 99));
        assertThat(take(LOSS, made, "gen_3", 7_500)).as("ch-1's loss, untouched").isEqualTo(7_500);
        assertThat(take(HELD_LOSS, made, "gen_3", 7_500)).as("what the hold kept, sent back whole").isZero();
    }

    @Test
    void theJobsOwnReversalIsTakenAgainAsItWas() {
        List<Transfer> made = List.of(back("gen_1", LOSS, 5_000), back("gen_2", LOSS, 2_500));
        assertThat(take(LOSS, made, "gen_1", 5_000)).as("the same request: the ledger finds it made").isEqualTo(5_000);
        assertThat(take(LOSS, made, "gen_3", 5_000)).as("nothing left for another job").isZero();
    }
}
