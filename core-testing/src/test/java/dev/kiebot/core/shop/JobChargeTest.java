package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryLedger;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What /find, /history and a job's status say it was charged ({@link JobCharge}): what the ledger posted for it,
 * its hold's post and the post of the hold that charged it again, and its price while nothing is posted. A job
 * charged again (its first hold expired while Kie ran it, the result then held and posted anew) had no test.
 */
class JobChargeTest {
    private static final long U = 42;
    private static final long PRICE = 300;
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final InMemoryLedger ledger = new InMemoryLedger(clock);
    private final Job job = job(false);

    @BeforeEach
    void topUp() {
        assertThat(ledger.transfer("stars:1", AccountId.STARS_CLEARING, AccountId.wallet(U), 10_000,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
    }

    /** Held and running, nothing posted yet: its price, the amount held, not the nothing posted. */
    @Test
    void aJobNotPostedYetShowsItsPrice() {
        hold(job.holdId(), PRICE);

        assertThat(JobCharge.of(ledger, job)).isEqualTo(PRICE);
    }

    /** A lesser result posted at the lesser choice's price: what the post took, the rest given back with it. */
    @Test
    void aJobChargedLessShowsWhatItsPostTook() {
        hold(job.holdId(), PRICE);
        assertThat(ledger.post(Ledger.postId(job.holdId()), job.holdId(), 250).succeeded()).isTrue();

        assertThat(JobCharge.of(ledger, job)).isEqualTo(250);
        assertThat(ledger.balance(AccountId.wallet(U)).available()).isEqualTo(10_000 - 250);
    }

    /**
     * Its hold expired while Kie ran it (the expiry gave the 3.00 back), and the result, coming after, was held and
     * posted again under the job's second id at the lesser choice's 2.50: 2.50 is what it took, not the price the
     * first hold (posted nothing) would say.
     */
    @Test
    void aJobChargedAgainShowsWhatTheSecondChargeTook() {
        hold(job.holdId(), PRICE);
        clock.advance(Duration.ofHours(2));
        assertThat(ledger.expire(clock.instant(), 10)).containsExactly(job.holdId());
        String again = Generations.chargedAgainId(job.holdId());
        hold(again, 250);
        assertThat(ledger.post(Ledger.postId(again), again, 250).succeeded()).isTrue();

        assertThat(JobCharge.of(ledger, job)).isEqualTo(250);
        assertThat(ledger.balance(AccountId.wallet(U)).available()).as("charged once, 2.50").isEqualTo(10_000 - 250);
    }

    /** A free job holds nothing: its price, told without a read of the ledger (two a line of a /history page). */
    @Test
    void aFreeJobShowsItsPriceWithoutAskingTheLedger() {
        Ledger untouched = (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the ledger asked for a free job: " + method.getName());
                });

        assertThat(JobCharge.of(untouched, job(true))).isEqualTo(PRICE);
    }

    private void hold(String id, long amount) {
        assertThat(ledger.hold(id, AccountId.wallet(U), AccountId.REVENUE, amount, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofHours(1))).succeeded()).isTrue();
    }

    private Job job(boolean free) {
        java.time.Instant now = clock.instant();
        return new Job(new JobId(1), U, U, "en", "img", "m9", Map.of(), Map.of(), PRICE, free, JobState.DELIVERED,
                Optional.of("task-1"), Optional.of(new JobResult(List.of("https://r/fox.png"), MediaKind.PHOTO)),
                Optional.empty(), Optional.empty(), Optional.empty(), now, now.plus(Duration.ofHours(1)), now,
                Optional.of(now), Optional.of(now), 0, 0, 1);
    }
}
