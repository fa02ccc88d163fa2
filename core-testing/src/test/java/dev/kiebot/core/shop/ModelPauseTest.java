package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An admin takes a model off sale ({@code /pause}) and puts it back ({@code /resume}): its card says so and offers no
 * order, an order confirmed before the pause is refused at «Generate» with nothing held, and other models sell on.
 */
class ModelPauseTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 100_00);
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aPausedModelsCardSaysSoAndTakesNoOrderUntilResumed() {
        assertThat(lastText(h.admin("pause", "img/m9"))).contains("is paused", "/resume img/m9");
        assertThat(h.stores.pausedModels().paused("img/m9")).isTrue();

        List<Reply> card = h.press(U, "*|v|img/m9");
        assertThat(lastText(card)).contains("unavailable for now");
        assertThat(buttonTexts(card)).noneMatch(b -> b.contains("▶️ Start") || b.contains("Generate"));
        // the card's order button, pressed on a card shown before the pause
        assertThat(lastText(h.press(U, "*|g|img/m9"))).contains("unavailable for now");
        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        // another model sells on
        assertThat(lastText(h.press(U, "*|v|img/m8"))).doesNotContain("paused");

        assertThat(lastText(h.admin("resume", "img/m9"))).contains("is available again");
        assertThat(lastText(h.press(U, "*|v|img/m9"))).doesNotContain("paused");
        h.orderAFoxImage(U);
        assertThat(h.lastJob(U).modelId()).isEqualTo("img/m9");
    }

    /**
     * {@code /pause all} takes every model off sale at once (a provider's outage, a move), a Russian admin's
     * {@code /pause все} too, and {@code /resume all} puts back every paused one: no model at a time by hand.
     */
    @Test
    void everyModelIsPausedAndResumedAtOnce() {
        h.admin("pause", "img/m9");
        int models = h.shop.catalog().models().size();

        assertThat(lastText(h.admin("pause", "all"))).contains("Every model is paused: " + models + " in all, "
                + (models - 1) + " of them just now.", "/resume all");
        assertThat(h.shop.catalog().models()).allMatch(m -> h.stores.pausedModels().paused(m.id()));
        assertThat(lastText(h.press(U, "*|v|img/m8"))).contains("unavailable for now");

        assertThat(lastText(h.admin("resume", "ALL"))).isEqualTo("▶️ Every model is available again (" + (models - 1)
                + " resumed).\nStill paused — these were paused one by one before /pause all:\nImage img/m9 · img/m9\n"
                + "To put one back: /resume and the model.");
        assertThat(h.stores.pausedModels().all()).as("paused on purpose before: kept").containsOnlyKeys("img/m9");
        h.admin("resume", "img/m9");
        h.admin("pause", "все");
        assertThat(h.stores.pausedModels().all()).hasSize(models);
    }

    /** A model paused again on its own after a {@code /pause all} stays paused at {@code /resume all}, in Russian too. */
    @Test
    void resumeAllKeepsAModelPausedOnItsOwnAfterThePauseAll() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.admin("pause", "все");
        h.admin("resume", "img/m9");
        h.admin("pause", "img/m9");
        assertThat(lastText(h.admin("resume", "все"))).contains("\nОставлены на паузе — их приостановили по одной, ещё"
                + " до /pause все:\n", "img/m9\nВернуть такую: /resume и модель.");
        assertThat(h.stores.pausedModels().all()).containsOnlyKeys("img/m9");
    }

    /** The lists mark a paused model (a free one too, which is not offered as free meanwhile), and unmark it after. */
    @Test
    void theListsMarkAPausedModel() {
        h.admin("pause", "img/m9");
        h.admin("pause", "img/m1");
        assertThat(buttonTexts(h.press(U, "*|p|IMAGE:1"))).contains("⏸ Image img/m9")
                .contains("Image img/m10 · 3.12\u00A0₽");
        assertThat(buttonTexts(h.press(U, "*|c|IMAGE"))).contains("⏸ Image img/m1")
                .contains("🆓 Image img/m2");
        assertThat(buttonTexts(h.press(U, "*|f|"))).contains("⏸ Image img/m1");

        h.admin("resume", "img/m9");
        assertThat(buttonTexts(h.press(U, "*|p|IMAGE:1"))).contains("Image img/m9 · 2.97\u00A0₽")
                .noneMatch(b -> b.startsWith("⏸"));
    }

    @Test
    void anOrderConfirmedBeforeThePauseIsRefusedAndHoldsNothing() {
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        h.admin("pause", "img/m9");
        List<Reply> refused = h.press(U, button(confirm, "Generate"));
        assertThat(lastText(refused)).contains("just been paused", "nothing was charged");
        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(100_00);
    }

    /** ... a free one too: the press spends none of the user's free generations of the day. */
    @Test
    void aFreeOrderConfirmedBeforeThePauseIsRefusedAndSpendsNoFreeUse() {
        h.press(U, "*|g|img/m1");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        assertThat(lastText(confirm)).contains("free");
        h.admin("pause", "img/m1");
        List<Reply> refused = h.press(U, button(confirm, "Generate"));
        assertThat(lastText(refused)).contains("just been paused", "nothing was charged");
        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        assertThat(h.stores.freeUsage().used(U, LocalDate.of(2026, 11, 21))).as("the harness's day").isZero();
        assertThat(h.balance(U)).isEqualTo(100_00);
    }

    /** «Ещё раз» and «Вернуться к генерации» lead to the paused card, not to a «Generate» that would be refused. */
    @Test
    void againAndBackToTheOrderShowThePausedCard() {
        h.orderAFoxImage(U);
        String job = h.lastJob(U).id().display();
        h.admin("pause", "img/m9");
        List<Reply> again = h.press(U, "*|a|" + job);
        assertThat(lastText(again)).contains("unavailable for now");
        assertThat(buttonTexts(again)).noneMatch(b -> b.contains("▶️ Start") || b.contains("Generate"));

        h.admin("resume", "img/m9");
        h.stores.ledger().transfer("drain", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.MANUAL_CLEARING, h.balance(U),
                dev.kiebot.core.ledger.TransferKind.DEBIT_MANUAL);
        List<Reply> unaffordable = h.press(U, "*|a|" + job);
        h.press(U, button(unaffordable, "Top up")); // the order kept for the top-up
        h.admin("pause", "img/m9");
        List<Reply> credited = h.adminConfirmed("topup_user", U + " 100").stream().filter(r -> r.chatId() == U).toList();
        List<Reply> back = h.press(U, button(credited, "Back to my generation"));
        assertThat(lastText(back)).contains("unavailable for now");
        assertThat(buttonTexts(back)).noneMatch(b -> b.contains("▶️ Start") || b.contains("Generate"));
    }

    @Test
    void theWordsMustNameOneModel() {
        assertThat(lastText(h.admin("pause", "img/m1"))).as("an exact id among longer ones").contains("/resume img/m1");
        assertThat(lastText(h.admin("pause", "img/m1"))).contains("paused already");
        assertThat(lastText(h.admin("pause", "img/"))).contains("Several models match", "img/m2", "img/m10",
                "more model");
        assertThat(lastText(h.admin("pause", "no-such-model"))).contains("no-such-model");
        assertThat(lastText(h.admin("resume", "img/m2"))).contains("was not paused");
        assertThat(lastText(h.admin("pause", ""))).contains("Paused:", "img/m1").doesNotContain("img/m2");
        h.admin("resume", "img/m1");
        assertThat(lastText(h.admin("pause", ""))).contains("Every model is available");
        assertThat(h.stores.pausedModels().all()).isEmpty();
        // a paused model that has left the catalog since is resumed by its id
        h.stores.pausedModels().pause("old/model", h.clock.instant());
        assertThat(lastText(h.admin("pause", ""))).contains("old/model");
        assertThat(lastText(h.admin("resume", "old/model"))).contains("old/model is available again");
        assertThat(h.stores.pausedModels().all()).isEmpty();
    }

    @Test
    void onlyAnAdminPauses() {
        assertThat(lastText(h.command(U, "pause"))).doesNotContain("Paused", "Every model");
        h.send(U, new dev.kiebot.core.conversation.Event.Command("pause", "img/m9"));
        assertThat(h.stores.pausedModels().all()).isEmpty();
    }
}
