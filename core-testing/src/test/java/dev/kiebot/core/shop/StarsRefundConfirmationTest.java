package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /refund_stars <charge>} and a payment list's «💸 Вернуть» move nothing: Telegram gives Stars back at once and
 * for good, and a charge id pasted wrong or a tap on the wrong one of a list's alike buttons (review R4) could not be
 * taken back. They show whose payment, its Stars and date, what leaves the balance; «💸 Вернуть» under that asks
 * Telegram, once, and only for the admin it was shown to, before it expires.
 */
class StarsRefundConfirmationTest {
    private static final long U = 42;
    private static final long ADMIN_2 = 2;
    private static final String CHARGE = "ch-confirm-1";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN, ADMIN_2))
                .withAdmission(AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        h.command(ADMIN_2, "start");
        h.command(U, "start");
        h.paid50Stars(U, CHARGE); // 50 ⭐: 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private long refunds() {
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.STARS_REFUND && t.phase() != dev.kiebot.core.ledger.Phase.PENDING
                        && t.amount() > 0).count();
    }

    @Test
    void theCommandShowsThePaymentAndMovesNothingUntilItsRefundIsPressed() {
        List<Reply> asked = h.admin("refund_stars", CHARGE);

        assertThat(h.starsRefunds.calls()).as("Telegram not asked yet").isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(refunds()).isZero();
        assertThat(lastText(asked)).contains("💸 Refund 50\u00A0⭐ of the payment of 21.11.26 13:00?",
                "To: User" + U + " (id " + U + ")", "Taken off the balance: 75\u00A0₽ (available now 75\u00A0₽).",
                "Payment: " + CHARGE, "valid for 10\u00A0minutes");
        assertThat(ShopHarness.buttonTexts(asked)).containsExactly("💸 Refund 50\u00A0⭐", "✖ Cancel");

        List<Reply> done = h.press(ShopHarness.ADMIN, ShopHarness.moneyButton(asked).orElseThrow());
        assertThat(done).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.EditText.class,
                e -> assertThat(e.text()).contains("The refund of 50\u00A0⭐ of the payment " + CHARGE + " is asked for")));
        assertThat(lastTextTo(done, ShopHarness.ADMIN)).contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(h.balance(U)).isZero();
        assertThat(refunds()).isEqualTo(1);
    }

    @Test
    void aSecondPressOfTheSameConfirmationMovesNothingAndSaysWhy() {
        String move = ShopHarness.moneyButton(h.admin("refund_stars", CHARGE)).orElseThrow();
        h.press(ShopHarness.ADMIN, move);

        assertThat(lastText(h.press(ShopHarness.ADMIN, move))).contains("no longer valid", "pressed already",
                "Nothing was refunded again");
        assertThat(h.starsRefunds.calls()).hasSize(1);
        assertThat(refunds()).isEqualTo(1);
    }

    @Test
    void cancelAndAnExpiredConfirmationMoveNothing() {
        List<Reply> asked = h.admin("refund_stars", CHARGE);
        String cancel = ShopHarness.button(asked, "Cancel");
        assertThat(lastText(h.press(ShopHarness.ADMIN, cancel))).isEqualTo("The Stars refund of the payment " + CHARGE
                + " to User" + U + " (id " + U + ") is cancelled: nothing was refunded.");
        assertThat(lastText(h.press(ShopHarness.ADMIN, ShopHarness.moneyButton(asked).orElseThrow())))
                .contains("no longer valid");

        String move = ShopHarness.moneyButton(h.admin("refund_stars", CHARGE)).orElseThrow();
        h.clock.advance(MoneyConfirmation.VALID.plus(Duration.ofSeconds(1)));
        assertThat(lastText(h.press(ShopHarness.ADMIN, move))).contains("expired", "/refund_stars " + CHARGE);

        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
    }

    /** /cancel drops it too, and says which: its «Вернуть» afterwards moves nothing. */
    @Test
    void cancelCommandDropsTheConfirmation() {
        String move = ShopHarness.moneyButton(h.admin("refund_stars", CHARGE)).orElseThrow();
        assertThat(lastText(h.command(ShopHarness.ADMIN, "cancel"))).contains("The Stars refund of the payment "
                + CHARGE + " to User" + U + " (id " + U + ") is cancelled");
        assertThat(lastText(h.press(ShopHarness.ADMIN, move))).contains("no longer valid");
        assertThat(h.starsRefunds.calls()).isEmpty();
    }

    /** Another admin pressing a copy of it (a group, a forwarded button): his chat keeps nothing under it. */
    @Test
    void anotherAdminsPressOfTheConfirmationMovesNothing() {
        String move = ShopHarness.moneyButton(h.admin("refund_stars", CHARGE)).orElseThrow();

        assertThat(lastText(h.press(ADMIN_2, move))).contains("no longer valid");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(lastText(h.press(ShopHarness.ADMIN, move))).as("still the first admin's")
                .contains("Refunded 50\u00A0⭐");
    }

    /** Telegram reported the refund (made in its support, say) between the confirmation and the press. */
    @Test
    void aPaymentRefundedMeanwhileIsToldAsSuchAndMovesNothing() {
        String move = ShopHarness.moneyButton(h.admin("refund_stars", CHARGE)).orElseThrow();
        h.send(U, new Event.RefundedPayment(CHARGE, "topup:x", "XTR", 50));
        assertThat(h.balance(U)).isZero();

        assertThat(lastText(h.press(ShopHarness.ADMIN, move))).contains("already refunded");
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(refunds()).isEqualTo(1);
    }

    /** Each list button carries its payment's date, and shows that payment for confirmation: it moves nothing. */
    @Test
    void aListsButtonsCarryTheirDatesAndShowTheirPaymentForConfirmation() {
        h.clock.advance(Duration.ofHours(25));
        h.paid50Stars(U, "ch-confirm-2");
        List<Reply> list = h.admin("refund_stars", Long.toString(U));
        List<Button> buttons = ((Reply.SendText) list.get(list.size() - 1)).keyboard().buttons();
        assertThat(buttons).extracting(Button::text)
                .containsExactly("💸 Refund 50\u00A0⭐ · 22.11.26 14:00", "💸 Refund 50\u00A0⭐ · 21.11.26 13:00");

        List<Reply> asked = h.press(ShopHarness.ADMIN, buttons.get(1).data().orElseThrow());
        assertThat(lastText(asked)).contains("of the payment of 21.11.26 13:00?", "Payment: " + CHARGE);
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(15_000);

        assertThat(lastText(h.press(ShopHarness.ADMIN, ShopHarness.moneyButton(asked).orElseThrow())))
                .contains("Refunded 50\u00A0⭐");
        assertThat(h.starsRefunds.calls()).extracting(c -> c.chargeId()).containsExactly(CHARGE);
    }

    /** A payment that credited nothing: its confirmation says nothing leaves the balance. */
    @Test
    void anUncreditedPaymentsConfirmationSaysNothingLeavesTheBalance() {
        h.send(U, new Event.SuccessfulPayment("ch-twice", "topup:never-issued", "XTR", 50));
        List<Reply> asked = h.admin("refund_stars", "ch-twice");
        assertThat(lastText(asked)).contains("💸 Refund 50\u00A0⭐", "not credited: nothing is taken off the balance",
                "Payment: ch-twice");
        assertThat(h.starsRefunds.calls()).isEmpty();

        assertThat(lastText(h.press(ShopHarness.ADMIN, ShopHarness.moneyButton(asked).orElseThrow())))
                .contains("Refunded 50\u00A0⭐ to " + "User" + U + " (id " + U + ")");
        assertThat(h.balance(U)).isEqualTo(7_500);
    }
}
