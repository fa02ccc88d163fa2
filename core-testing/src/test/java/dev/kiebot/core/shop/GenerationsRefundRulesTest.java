package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules of {@link Generations}' money that PIT found no test of core's pinned: whichever of a job's void and its post
 * comes first decides the job, a job charged again after its hold expired is refunded as any paid job, and a job that
 * was charged nothing gives nothing back.
 */
class GenerationsRefundRulesTest {
    private static final long U = 42;
    private ShopHarness h;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        user = h.stores.users().find(U).orElseThrow();
        h.topUp(U, 10_000);
    }

    @AfterEach
    void ledgerKeepsItsInvariants() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private Job start() {
        Generations.Start s = h.shop.generations().start(user, U,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        assertThat(s).isInstanceOf(Generations.Start.Started.class);
        Job j = ((Generations.Start.Started) s).job();
        h.work(10);
        assertThat(job(j).state().awaitsResult()).isTrue();
        return j;
    }

    private Job job(Job j) {
        return h.stores.jobs().find(j.id()).orElseThrow();
    }

    /**
     * A failure voids the job's hold before it moves the job (failNow): a result arriving between the two finds the
     * hold voided. The void won: the job fails, the user keeps his money and is charged nothing again. Read as an
     * expired hold (Generations.expired answering true for any refusal), the job was delivered and the price held and
     * posted a second time under the charge-again hold, a refund the user was being told of taken back.
     */
    @Test
    void aResultAfterTheVoidWonFailsTheJobAndChargesNothingAgain() {
        Job j = start();
        // the failing worker's first step: the void, the job not moved yet
        assertThat(h.stores.ledger().voidHold(Ledger.voidId(j.holdId()), j.holdId()).succeeded()).isTrue();
        assertThat(h.balance(U)).isEqualTo(10_000);

        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();

        assertThat(job(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.ledger().holdState(Generations.chargedAgainId(j.holdId()))).as("no charge again").isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
    }

    /**
     * A job whose hold expired before its result came is charged again under its second hold
     * ({@link Generations#chargedAgainId}) and delivered: paid, not delivered unpaid. An admin's /refund of it gives
     * back what the second hold took; read as delivered unpaid (the charge-again hold's POSTED not seen), the refund
     * was refused and the user kept paying for it.
     */
    @Test
    void aJobChargedAgainAfterItsHoldExpiredIsRefundedAsAnyPaidJob() {
        Job j = start();
        h.clock.advance(Duration.between(h.clock.instant(), j.deadline()).plus(ShopSettings.HOLD_MARGIN).plusMinutes(1));
        assertThat(h.stores.ledger().expire(h.clock.instant(), 10)).containsExactly(j.holdId());
        h.provider.succeed("task-1", "https://r/cat.png");
        h.work(10);
        h.deliver();
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(U)).as("charged again").isEqualTo(9_700);
        assertThat(h.shop.generations().deliveredUnpaid(job(j))).isFalse();

        h.adminConfirmed("refund", j.id().display());
        assertThat(h.balance(U)).as("the charge again given back").isEqualTo(10_000);
        h.adminConfirmed("refund", j.id().display());
        assertThat(h.balance(U)).as("once").isEqualTo(10_000);
    }

    /**
     * A result posted for nothing (the most it may be charged 0: the whole hold given back with the post) has nothing
     * to give back: an admin's /refund moves nothing and is told it failed, neither answered as a refund nor left to
     * read a post that is not there.
     */
    @Test
    void aJobChargedNothingIsRefundedNothing() {
        Job j = start();
        assertThat(h.shop.generations().complete(j.id(), new JobResult(List.of("https://r/cat.png"), MediaKind.PHOTO),
                Optional.empty(), 0)).isPresent();
        h.deliver();
        assertThat(h.balance(U)).isEqualTo(10_000);

        String answer = ShopHarness.lastText(h.adminConfirmed("refund", j.id().display()));
        assertThat(answer).as("refused, not «refunded 0», and not «the hold expired already»: nothing was held back")
                .isEqualTo("Failed: nothing was charged for this generation (its result cost nothing), nothing to refund.");
        assertThat(h.balance(U)).as("nothing made from nothing").isEqualTo(10_000);
        assertThat(h.stores.ledger().find(Ledger.refundId(j.holdId()))).isEmpty();
        assertThat(ShopHarness.lastText(h.speaking("ru").adminConfirmed("refund", j.id().display())))
                .isEqualTo("Не удалось: за эту генерацию ничего не списано (результат ничего не стоил), возвращать "
                        + "нечего.");
    }
}
