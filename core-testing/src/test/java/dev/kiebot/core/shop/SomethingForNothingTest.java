package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A user who wants something for nothing, with legal buttons and commands only (the business-logic review beside
 * {@code TrustBoundariesTest}'s doors): each test shows one of his ways refused that no other test showed. Most of
 * his other ways are refused in the tests of their rules: InvitationsTest (his own link, a loop, a refunded first
 * payment), FreeDailyTotalTest and GenerationLifecycleTest (the free allowance), StarsRefundOfSpentCreditTest,
 * ManualTopUpFlowTest, GenerationsRefundRulesTest and LateResultGiftTest (refunds), and the shipped catalog's margin
 * in {@code ShippedMarginTest}.
 */
class SomethingForNothingTest {
    private static final long U = 42;

    private static void assertLedgerClean(ShopHarness h) {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The welcome bonus is the Telegram account's, whatever he does to look new: his data erased on his request
     * ({@code /forget} keeps his id, and the ledger keeps {@code welcome:<id>}), then /start under another name,
     * username and language, and /start by an invitation link as if he had just come.
     */
    @Test
    void theWelcomeBonusIsNotPaidAgainAfterHisDataIsErasedNorUnderAnotherNameOrLanguage() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withWelcomeBonus(5_000).withAdmission(AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        assertThat(lastText(h.command(U, "start"))).contains("50");
        assertThat(h.balance(U)).isEqualTo(5_000);

        List<Reply> asked = h.admin("forget", Long.toString(U));
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(asked, "Erase the data")))).contains("erased");
        h.sendAs(new Actor(U, U, "Somebody", Optional.of("brand_new"), Optional.of("ru")),
                new Event.Command("start", ""));
        h.sendAs(new Actor(U, U, "Else", Optional.of("other_name"), Optional.of("en")),
                new Event.Command("start", ""));

        assertThat(h.balance(U)).as("one bonus for one account").isEqualTo(5_000);
        assertThat(h.stores.ledger().transfers(AccountId.PROMO_EXPENSE))
                .filteredOn(t -> t.kind() == TransferKind.WELCOME_BONUS && t.credit().equals(AccountId.wallet(U)))
                .hasSize(1);
        assertLedgerClean(h);
    }

    /**
     * The operator reprices (a restart with another markup) between the confirmation and «Generate»: the button
     * carries the price the user saw, the new instance quotes anew, and the old, cheaper price buys nothing: the
     * order is shown again at today's price, nothing held.
     */
    @Test
    void aConfirmationQuotedBeforeTheOperatorRaisedPricesStartsNothingAtTheOldPrice() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()));
        h.command(U, "start");
        h.topUp(U, 10_000);
        List<Reply> confirmation = h.foxImageToConfirm(U);
        assertThat(lastText(confirmation)).contains("Price: 2.97\u00A0₽");
        String generate = button(confirmation, "Generate for");
        Shop repriced = h.anotherInstance(s -> s, b -> b.pricing(new Pricing(new BigDecimal("78.0"), new BigDecimal("3.0"), "RUB")));

        h.messenger.drain();
        repriced.storefront().serve(new Incoming(1_000_000, ShopHarness.actor(U, "en"),
                new Event.Callback("q-late", generate, Optional.of(1L))));
        h.deliver();
        List<Reply> pressed = h.messenger.drain();

        assertThat(h.stores.jobs().recent(U, 1)).as("nothing started at the old price").isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(pressed).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.AnswerCallback.class,
                a -> assertThat(a.text()).hasValueSatisfying(t -> assertThat(t).contains("price has changed"))));
        assertThat(lastText(pressed)).contains("Price: ").doesNotContain("2.97");
        assertLedgerClean(h);
    }
}
