package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Card / SBP request numbers start again on a database restored from a backup: an admin's «Approve» or «Decline» under
 * a request of the lost day must not decide whichever request took its number since (R8). Two harnesses stand for the
 * shop before the restore (the lost day) and after it (the backup, a day older, then a day of its own).
 */
class RestoredRequestNumbersTest {
    private static final long A = 101;
    private static final long B = 202;

    private static ShopHarness shop() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withSupport("@shop_help", Optional.empty()).withAdmission(AdmissionPolicy.off()));
        h.command(ShopHarness.ADMIN, "start");
        return h;
    }

    /** A's request of the lost day, reported paid: the admin's message and its buttons, as the bot made them. */
    private static List<Reply> lostDaysAdminMessage() {
        ShopHarness lostDay = shop();
        lostDay.command(A, "start");
        ManualTopUp ofA = CardRequests.requested500(lostDay, A);
        return lostDay.press(A, "*|!|" + ofA.id());
    }

    private static ShopHarness restored() {
        ShopHarness restored = shop();
        restored.clock.advance(Duration.ofDays(1)); // the restore comes after the lost day
        restored.command(B, "start");
        return restored;
    }

    @Test
    void anApproveOfTheLostDayCreditsNobodyWhoTookItsNumber() {
        String approve = button(lostDaysAdminMessage(), "Approve");
        ShopHarness restored = restored();
        ManualTopUp ofB = CardRequests.requested500(restored, B); // B only asked; he never said he paid
        assertThat(approve).startsWith("*|+|" + ofB.id() + ":");

        String said = lastText(restored.press(ShopHarness.ADMIN, approve));

        assertThat(said).isEqualTo("⚠️ This button was made for an earlier request #" + ofB.id() + "; another request"
                + " has that number now: request numbers started again (the database was likely restored from a"
                + " backup). Nothing was credited or declined. If the transfer came, find its request by the code in"
                + " its comment (/find and the code); if there is none, credit it by hand: /topup_user.");
        assertThat(restored.balance(B)).isZero();
        assertThat(restored.stores.manualTopUps().find(ofB.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.REQUESTED);
    }

    @Test
    void aDeclineOfTheLostDayDeclinesNothingAndTheRequestsOwnButtonsStillDecide() {
        String decline = button(lostDaysAdminMessage(), "Decline");
        ShopHarness restored = restored();
        ManualTopUp ofB = CardRequests.requested500(restored, B);
        List<Reply> claimed = restored.press(B, "*|!|" + ofB.id());

        restored.press(ShopHarness.ADMIN, decline);
        assertThat(restored.stores.manualTopUps().find(ofB.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.CLAIMED_PAID);

        restored.press(ShopHarness.ADMIN, button(claimed, "Approve"));
        assertThat(restored.balance(B)).isEqualTo(50_000);
    }

    /**
     * A button of the build before carries the number alone: it decides nothing, whoever's request the number is,
     * and the admin gets the request as it is now with buttons that do.
     */
    @Test
    void aButtonOfTheBuildBeforeDecidesNothingAndShowsTheRequestToDecide() {
        ShopHarness h = restored();
        ManualTopUp request = CardRequests.claimed500(h, B);

        List<Reply> answer = h.press(ShopHarness.ADMIN, "*|+|" + request.id());

        assertThat(h.balance(B)).isZero();
        assertThat(h.stores.manualTopUps().find(request.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(lastText(answer)).startsWith("⚠️ This button is from an earlier version of the bot and does not say"
                + " which request it was made for, so nothing was done. Here is request #" + request.id() + " as it is"
                + " now: check its user, amount and code " + request.reference() + " against the transfer")
                .contains("Top-up request #" + request.id(), "(id " + B + ")", request.reference());
        h.press(ShopHarness.ADMIN, button(answer, "Approve"));
        assertThat(h.balance(B)).isEqualTo(50_000);
    }
}
