package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.ADMIN;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's id on Discord is a snowflake of 19 digits since 2022 (Telegram's have 10 at most): the admin's commands
 * read it, and digits past the largest {@code long} are an unknown user, not the command's usage nor an exception.
 */
class NineteenDigitUserIdsTest {
    /** A Discord account made in 2023. */
    private static final long BOB = 1_150_000_000_000_000_042L;
    /** An admin of 19 digits too. */
    private static final long ANN = 1_100_000_000_000_000_007L;
    /** {@link Long#MAX_VALUE} plus one: the form of an id, no user's. */
    private static final String PAST_LONG = "9223372036854775808";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ADMIN, ANN))
                .withAdmission(AdmissionPolicy.off())).startedByAdminAnd(ANN, BOB);
    }

    @Test
    void topUpAndDebitReadA19DigitUser() {
        assertThat(lastTextTo(h.adminConfirmed("topup_user", BOB + " 5"), ADMIN))
                .isEqualTo("Done: 5\u00A0₽ credited to User" + BOB + " (id " + BOB + "), balance 5\u00A0₽.");
        assertThat(h.balance(BOB)).isEqualTo(500);
        assertThat(lastTextTo(h.adminConfirmed("debit_user", BOB + " 2"), ADMIN)).contains(Long.toString(BOB));
        assertThat(h.balance(BOB)).isEqualTo(300);
    }

    @Test
    void banUnbanAndFindReadA19DigitUser() {
        assertThat(lastTextTo(h.admin("ban", Long.toString(BOB)), ADMIN)).contains(Long.toString(BOB))
                .doesNotContain("Usage");
        assertThat(h.stores.users().find(BOB).orElseThrow().ban()).isPresent();
        assertThat(lastTextTo(h.admin("unban", Long.toString(BOB)), ADMIN)).contains(Long.toString(BOB))
                .doesNotContain("Usage");
        assertThat(h.stores.users().find(BOB).orElseThrow().ban()).isEmpty();
        assertThat(lastTextTo(h.admin("find", Long.toString(BOB)), ADMIN)).contains("User" + BOB);
    }

    /** The list of his Stars payments, and its Refund button, which carries his id. */
    @Test
    void refundStarsListsAndRefundsA19DigitUsersPayment() {
        h.paid50Stars(BOB, "bob-charge");
        List<Reply> list = h.admin("refund_stars", Long.toString(BOB));
        assertThat(lastTextTo(list, ADMIN)).contains("Stars payments of ", "(id " + BOB + "):", "bob-charge");
        assertThat(lastTextTo(h.adminPressConfirmed(ShopHarness.button(list, "Refund 50\u00A0⭐")), ADMIN))
                .contains("Refunded 50\u00A0⭐");
        assertThat(h.balance(BOB)).isZero();
    }

    @Test
    void digitsPastTheLargestIdAreNoSuchUser() {
        String noSuchUser = "Failed: no such user (" + PAST_LONG + "): they have never started the bot.";
        assertThat(lastTextTo(h.admin("topup_user", PAST_LONG + " 5"), ADMIN)).isEqualTo(noSuchUser);
        assertThat(lastTextTo(h.admin("debit_user", PAST_LONG + " 5"), ADMIN)).isEqualTo(noSuchUser);
        assertThat(lastTextTo(h.admin("ban", PAST_LONG), ADMIN)).isEqualTo(noSuchUser);
        assertThat(lastTextTo(h.admin("unban", PAST_LONG), ADMIN)).isEqualTo(noSuchUser);
        // a payment's reference may be digits too: the search goes on, and finds nothing
        assertThat(lastTextTo(h.admin("find", PAST_LONG), ADMIN)).startsWith("🔎 Nothing found for “" + PAST_LONG + "”.");
        assertThat(lastTextTo(h.admin("refund_stars", PAST_LONG), ADMIN)).contains(PAST_LONG);
        assertThat(h.balance(BOB)).isZero();
    }

    /** The confirmation's buttons carry the command's update and the admin: each a snowflake on Discord. */
    @Test
    void a19DigitAdminConfirmsACommandOfA19DigitUpdate() {
        long update = 1_200_000_000_000_000_001L;
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(update, ShopHarness.actor(ANN, "en"),
                new Event.Command("topup_user", BOB + " 5")));
        h.deliver();
        List<Reply> asked = h.messenger.drain();
        String credit = ShopHarness.button(asked, "Credit");
        assertThat(lastTextTo(h.press(ANN, credit), ANN))
                .isEqualTo("Done: 5\u00A0₽ credited to User" + BOB + " (id " + BOB + "), balance 5\u00A0₽.");
        assertThat(h.balance(BOB)).isEqualTo(500);
    }

    /**
     * An outsider's forged admin buttons whose ids run past the largest {@code long} (the Stars refund's user, the
     * money confirmation's update): «button outdated», nothing moved, nothing thrown.
     */
    @Test
    void forgedButtonsWithDigitsPastALongMoveNothing() {
        h.paid50Stars(BOB, "bob-charge");
        long before = h.balance(BOB);
        String refund = ShopHarness.button(h.admin("refund_stars", Long.toString(BOB)), "Refund 50\u00A0⭐");
        String forgedRefund = refund.replace(Long.toString(BOB), PAST_LONG);
        assertThat(forgedRefund).isNotEqualTo(refund);
        assertThat(lastTextTo(h.press(ADMIN, forgedRefund), ADMIN)).startsWith("This button is outdated.");
        String credit = ShopHarness.button(h.admin("topup_user", BOB + " 5"), "Credit");
        String forgedCredit = credit.replaceFirst(":(\\d+):(\\d+)$", ":" + PAST_LONG + ":$2");
        assertThat(forgedCredit).isNotEqualTo(credit);
        assertThat(lastTextTo(h.press(ADMIN, forgedCredit), ADMIN)).startsWith("This button is outdated.");
        assertThat(h.balance(BOB)).as("nothing moved").isEqualTo(before);
        assertThat(h.stores.payments().charges(BOB, 10)).singleElement()
                .satisfies(c -> assertThat(c.chargeId()).isEqualTo("bob-charge"));
    }
}
