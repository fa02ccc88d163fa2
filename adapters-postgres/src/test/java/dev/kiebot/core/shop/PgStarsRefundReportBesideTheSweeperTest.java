package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The upkeep's sweep of holds past their deadline ({@code kb_ledger_expire}) beside a transaction that holds a hold's
 * expiry lock (the advisory lock of {@code expire:<hold>}): Telegram's report of a Stars refund takes the post, void
 * and expiry locks of the user's running holds before it reads the wallet ({@code TopUps.awaitHoldsResolving}), and
 * then posts an admin's hold of the charge. The sweep took the hold's row first and waited for the expiry lock, the
 * report's post waited for the row: PostgreSQL aborted the sweep after {@code deadlock_timeout} (40P01). Since V50 the
 * sweep tries the lock and leaves the hold to a later sweep. The sweep is called as SQL here, not through
 * {@code PgLedger.expire}: that one runs it again after a deadlock, and the test would not see it.
 */
class PgStarsRefundReportBesideTheSweeperTest extends PgTwoAtOnce {

    /** One call of the sweep, as the upkeep makes it but run once: its error, if any, is the caller's. */
    private static List<String> sweepOnce(Instant now) {
        return TestDatabase.jdbi().withHandle(x -> x.createQuery("SELECT * FROM kb_ledger_expire(:now, 100)")
                .bind("now", Timestamp.from(now))
                .mapTo(String.class)
                .list());
    }

    @Test
    void aReportPostingAnAdminsHoldPastItsDeadlineLeavesTheSweepNothingToWaitFor() throws Exception {
        String payload = h.paid50Stars(U, "ch-0");
        String hold = StarsRefundAttempts.holdId("ch-0", 1);
        assertThat(h.stores.ledger().hold(hold, AccountId.wallet(U), AccountId.STARS_CLEARING, 7_500,
                TransferKind.STARS_REFUND, h.clock.instant().plus(StarsRefundDesk.HOLD_FOR)).succeeded()).isTrue();
        Instant past = h.clock.instant().plus(StarsRefundDesk.HOLD_FOR).plus(Duration.ofMinutes(1));
        CountDownLatch atThePost = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean stopped = new AtomicBoolean();
        Shop reporting = h.anotherInstance(st -> st.withLedger(new ForwardingLedger(st.ledger()) {
            @Override
            public LedgerResult post(String id, String holdId, long amount) {
                if (holdId.equals(hold) && stopped.compareAndSet(false, true)) {
                    // the hold's post, void and expiry locks taken (awaitHoldsResolving), its post not yet
                    atThePost.countDown();
                    LockWaits.awaitQuietly(go);
                }
                return super.post(id, holdId, amount);
            }
        }));
        AtomicInteger reportRuns = new AtomicInteger();
        Future<Object> report = threads.submit(() -> h.stores.transactions().inOne(() -> {
            reportRuns.incrementAndGet();
            reporting.storefront().handle(new Incoming(9_000_011, ShopHarness.actor(U, "en"),
                    new Event.RefundedPayment("ch-0", payload, "XTR", 50)));
            return null;
        }));
        LockWaits.awaitQuietly(atThePost);
        Future<List<String>> sweep = threads.submit(() -> sweepOnce(past));
        // before: the sweep holds the hold's row and waits for the report's expiry lock
        LockWaits.awaitDoneOrALockWait(sweep);
        go.countDown();
        report.get();
        // before: ExecutionException of "deadlock detected" (40P01), the sweep aborted
        assertThat(sweep.get()).as("the sweep skipped the hold the report holds").isEmpty();
        assertThat(reportRuns.get()).as("the report ran once").isEqualTo(1);
        assertThat(h.stores.ledger().holdState(hold)).contains(HoldState.POSTED);
        assertThat(h.balance(U)).isZero();
    }

    @Test
    void aHoldSkippedOnceIsExpiredByTheNextSweepOnceNothingHoldsIt() throws Exception {
        h.paid50Stars(U, "ch-0");
        String hold = "gen-past";
        assertThat(h.stores.ledger().hold(hold, AccountId.wallet(U), AccountId.REVENUE, 1_000,
                TransferKind.GENERATION, h.clock.instant().plusSeconds(60)).succeeded()).isTrue();
        Instant past = h.clock.instant().plusSeconds(120);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a report's transaction waiting on the hold's resolutions (awaitHoldsResolving): its expiry lock held
        Future<Object> holding = threads.submit(() -> h.stores.transactions().inOne(() -> {
            h.stores.ledger().findAwaiting(Ledger.expireId(hold));
            held.countDown();
            LockWaits.awaitQuietly(release);
            return null;
        }));
        try {
            LockWaits.awaitQuietly(held);
            Future<List<String>> first = threads.submit(() -> sweepOnce(past));
            LockWaits.awaitDoneOrALockWait(first);
            // before: the sweep waits for the lock (not done here), holding the hold's row
            assertThat(first.isDone()).as("the sweep waited for no lock").isTrue();
            assertThat(first.get()).as("the hold whose expiry lock is held is left").isEmpty();
            assertThat(h.stores.ledger().holdState(hold)).contains(HoldState.PENDING);
        } finally {
            release.countDown();
        }
        holding.get();
        assertThat(sweepOnce(past)).as("the next sweep, nothing holding the hold").containsExactly(hold);
        assertThat(h.stores.ledger().holdState(hold)).contains(HoldState.EXPIRED);
        assertThat(h.balance(U)).isEqualTo(7_500);
    }
}
