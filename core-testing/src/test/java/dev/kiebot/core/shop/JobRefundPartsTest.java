package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a job's refund goes, as an admin's {@code /refund} screen and the job's status read it
 * ({@link JobRefundParts}). PIT's surviving mutants of it (2026-12-08): the screen of a running job whose hold owes
 * part of a Stars refund said the price and the debt together to the balance, and a refund to another user's wallet
 * read as this user's.
 */
class JobRefundPartsTest {
    private static final long U = 42;
    private static final long V = 43;
    private static final String HOLD = "gen_1";
    private final MutableClock clock = MutableClock.at("2026-12-08T10:00:00Z");
    private final Stores stores = InMemoryStores.create(clock);
    private final Ledger ledger = stores.ledger();

    @BeforeEach
    void aRunningJob() {
        assertThat(ledger.transfer(TopUps.creditId("ch-1"), AccountId.STARS_CLEARING, AccountId.wallet(U), 500,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        assertThat(ledger.hold(HOLD, AccountId.wallet(U), AccountId.REVENUE, 300, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
    }

    /**
     * A running job of 3.00 whose hold owes 1.20 of a Stars refund reported while it ran: stopped, 1.80 reaches the
     * balance and 1.20 goes to the Stars; it said 4.20 to the balance with the subtraction turned to an addition.
     */
    @Test
    void aRunningJobsStopGivesTheBalanceItsPriceLessWhatItsHoldOwesTheStars() {
        owe("ch-1", 120);

        assertThat(JobRefundParts.ofVoidAhead(stores, HOLD, 300)).isEqualTo(new JobRefundParts(180, 120));
    }

    /** Owing more than the price (two charges' refunds), the balance gets nothing and the Stars no more than it. */
    @Test
    void aHoldOwingMoreThanThePriceGivesTheBalanceNothing() {
        owe("ch-1", 200);
        owe("ch-0", 200);

        assertThat(JobRefundParts.ofVoidAhead(stores, HOLD, 300)).isEqualTo(new JobRefundParts(0, 300));
    }

    /** The refund is read as the user's only when it reached his wallet: asked of another user, it gave him nothing. */
    @Test
    void aRefundToTheWalletIsTheJobsUsersOnly() {
        assertThat(ledger.post(Ledger.postId(HOLD), HOLD, 300).succeeded()).isTrue();
        assertThat(ledger.transfer(Ledger.refundId(HOLD), AccountId.REVENUE, AccountId.wallet(U), 300,
                TransferKind.REFUND).succeeded()).isTrue();

        assertThat(JobRefundParts.of(ledger, HOLD, U)).isEqualTo(new JobRefundParts(300, 0));
        assertThat(JobRefundParts.of(ledger, HOLD, V)).as("not V's wallet").isEqualTo(new JobRefundParts(0, 0));
    }

    private void owe(String charge, long amount) {
        assertThat(stores.payments().recordHeldRefund(new HeldStarsRefund(charge, HOLD, U, amount, clock.instant())))
                .isTrue();
    }
}
