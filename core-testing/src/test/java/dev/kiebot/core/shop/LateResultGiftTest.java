package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review R2: a job refunded at its deadline while Kie was still at its task, whose result Kie made (and charged the
 * shop for) after all. Thrown away before; now given to the user as a gift, once, no money moved, and a file of it
 * gone at Kie by the time it is sent gives nothing back a second time.
 */
class LateResultGiftTest {
    private ShopHarness h;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    /** A paid job (or a free one) still running at Kie at its deadline, failed and given back. */
    private Job refundedWhileAtKie(boolean free) {
        Job j = ((Generations.Start.Started) h.shop.generations().start(user, 42, new Effect.StartJob(
                free ? "img/m1" : "img/m9", "default", Map.of("prompt", "a cat"), Map.of(), free ? 0 : 300, free)))
                .job();
        h.work(10);
        h.provider.set("task-1", new TaskStatus.Running());
        h.clock.advance(Duration.between(h.clock.instant(), j.deadline()).plusMinutes(1));
        h.work(10);
        h.deliver();
        assertThat(h.stores.jobs().find(j.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.balance(42)).isEqualTo(10_000);
        h.messenger.drain();
        return j;
    }

    private List<String> actions(Job j) {
        return h.stores.audit().byCorrelation(j.id().display()).stream().map(e -> e.action()).toList();
    }

    @Test
    void aResultKieMadeAfterTheRefundIsGivenOnceForTwoCallbacksAndNoMoneyMoves() {
        Job j = refundedWhileAtKie(false);
        h.provider.succeed("task-1", "https://r/late.png");
        h.shop.worker().checkTask("task-1", Optional.of(j.id().display()));
        h.shop.worker().checkTask("task-1", Optional.of(j.id().display()));
        h.work(10);
        h.deliver();

        assertThat(h.messenger.of(Reply.SendMedia.class)).singleElement()
                .satisfies(m -> assertThat(m.source()).isEqualTo("https://r/late.png"));
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains(j.id().display(), "past its time",
                "money is already back", "is a gift"));
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(actions(j)).containsOnlyOnce(ResultDelivery.DELIVERED_LATE).contains("gen.reconcile");
        assertThat(h.stores.jobs().find(j.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aFreeJobsLateResultSaysItsFreeUseCameBackNotMoney() {
        Job j = refundedWhileAtKie(true);
        h.provider.succeed("task-1", "https://r/late.png");
        h.shop.worker().checkTask("task-1", Optional.of(j.id().display()));
        h.deliver();

        assertThat(h.messenger.of(Reply.SendMedia.class)).hasSize(1);
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains("free generation is already back")
                .doesNotContain("money"));
    }

    @Test
    void aLateResultGoneAtKieByItsSendingGivesNothingBackASecondTime() {
        Job j = refundedWhileAtKie(false);
        h.provider.succeed("task-1", "https://r/late.png");
        // the gift's words, the upload's action, then the file: gone at Kie
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()),
                new Delivery.Sent(Optional.empty(), List.of()), new Delivery.Gone("download failed: HTTP 404"));
        h.shop.worker().checkTask("task-1", Optional.of(j.id().display()));
        h.deliver();
        h.work(10);
        h.deliver();

        assertThat(actions(j)).contains(ResultDelivery.DELIVERED_LATE, "gen.result_gone");
        assertThat(h.balance(42)).as("refunded once, at the deadline").isEqualTo(10_000);
        assertThat(h.stores.ledger().find(Ledger.refundId(j.holdId()))).isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The gift sent while the user had blocked the bot was dropped with his queue and never offered again: a FAILED
     * job, it was no «delivered» result to the note at the block nor to the list at his return. It is now: his
     * /start names it under «📬», and its «📤» sends it, no money moving.
     */
    @Test
    void aLateResultDroppedWhileTheUserHadBlockedTheBotIsOfferedWhenHeComesBack() {
        Job j = refundedWhileAtKie(false);
        h.provider.succeed("task-1", "https://r/late.png");
        h.messenger.thenAnswer(new Delivery.Blocked());
        h.shop.worker().checkTask("task-1", Optional.of(j.id().display()));
        h.deliver();
        assertThat(h.stores.users().find(42).orElseThrow().blocked()).isTrue();
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("dropped with his queue").isEmpty();

        List<Reply> back = h.command(42, "start");
        assertThat(ShopHarness.lastText(back)).startsWith("📬 While you were away, " + j.id().display());
        List<Reply> sent = h.press(42, ShopHarness.button(back, "📤 Send " + j.id().display() + " again"));
        assertThat(sent).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/late.png");
        assertThat(h.balance(42)).as("a gift still").isEqualTo(10_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
