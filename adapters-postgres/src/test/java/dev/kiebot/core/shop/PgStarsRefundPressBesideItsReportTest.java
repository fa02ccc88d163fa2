package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.LockWaits;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An admin's {@code /refund_stars} press and Telegram's report of a refund of the same charge, each on a bot instance
 * of its own over one PostgreSQL, each in its update's transaction: both take the charge's lock
 * ({@code Payments.lockCharge}) and then the user's turn ({@code HeldStarsRefunds.takeUsersTurn}), the order
 * HeldStarsRefunds documents. The report is stopped between the two (its charge's lock held, the user's turn not yet
 * taken) while the press comes. Taken the other way round by either (the turn first), the press held the turn and
 * waited for the charge's lock, which the report held while it waited for the turn: PostgreSQL broke the deadlock
 * after its {@code deadlock_timeout} by aborting one, which ran again from the start ({@code PgTransactions.inOne}).
 * In this order the press waits for the report's commit, finds the charge refunded, holds nothing, and each runs once.
 */
class PgStarsRefundPressBesideItsReportTest extends PgTwoAtOnce {

    @Test
    void aPressOfTheChargeWhoseReportHoldsItsLockWaitsAndNeitherRunsAgain() throws Exception {
        String payload = h.paid50Stars(U, "ch-0"); // 75 ₽
        String press = ShopHarness.moneyButton(h.admin("refund_stars", "ch-0")).orElseThrow();
        String turn = HeldStarsRefunds.usersTurnId(U);
        CountDownLatch atTheTurn = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        Shop reporting = h.anotherInstance(st -> st.withLedger(new ForwardingLedger(st.ledger()) {
            @Override
            public Optional<Transfer> findAwaiting(String id) {
                if (id.equals(turn) && stopped.compareAndSet(false, true)) {
                    // the charge's lock taken, the user's turn not yet: the press comes now
                    atTheTurn.countDown();
                    LockWaits.awaitQuietly(go);
                }
                return super.findAwaiting(id);
            }
        }));
        Shop pressing = h.anotherInstance(st -> st);
        AtomicInteger reportRuns = new AtomicInteger();
        AtomicInteger pressRuns = new AtomicInteger();
        Future<Object> report = threads.submit(() -> h.stores.transactions().inOne(() -> {
            reportRuns.incrementAndGet();
            reporting.storefront().handle(new Incoming(9_000_001, ShopHarness.actor(U, "en"),
                    new Event.RefundedPayment("ch-0", payload, "XTR", 50)));
            return null;
        }));
        LockWaits.awaitQuietly(atTheTurn);
        Future<Object> pressed = threads.submit(() -> h.stores.transactions().inOne(() -> {
            pressRuns.incrementAndGet();
            pressing.storefront().handle(new Incoming(9_000_002, ShopHarness.actor(ShopHarness.ADMIN, "en"),
                    new Event.Callback("q-press", press, Optional.of(1L))));
            return null;
        }));
        LockWaits.awaitDoneOrALockWait(pressed);
        go.countDown();
        report.get();
        pressed.get();

        assertThat(List.of(reportRuns.get(), pressRuns.get())).as("no deadlock: neither ran again")
                .containsExactly(1, 1);
        assertThat(h.stores.ledger().find(StarsRefundAttempts.holdId("ch-0", 1)))
                .as("the press found the charge refunded: no hold").isEmpty();
        assertThat(h.balance(U)).as("taken back once, by the report").isZero();
        assertThat(StarsRefundAttempts.reported(h.stores.ledger(), "ch-0")).map(Transfer::amount)
                .as("the report's taking back").contains(7_500L);
    }
}
