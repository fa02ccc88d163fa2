package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.TopUpLink;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A shop on a platform without Telegram Stars ({@code ShopSettings.withoutStars()}): /topup offers what there is, the
 * card / SBP top-up, the partner's payment page ({@code Shop.Builder.topUpLink}) or where to ask, never a Stars pack
 * whose invoice nobody can pay.
 */
class TopUpWithoutStarsTest {
    private static final long U = 42;
    /** The partner's page names the user as the partner chose: here by a parameter. */
    private static final TopUpLink PAGE = userId -> URI.create("https://pay.example.com/topup?user=" + userId);
    private static final ShopSettings NO_STARS = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
            .withAdmission(AdmissionPolicy.off()).withoutStars();

    /** /topup, the terms accepted on the way. @return the top-up screen */
    private static List<Reply> topUp(ShopHarness h) {
        h.command(U, "start");
        h.command(U, "topup");
        return h.press(U, "*|y");
    }

    @Test
    void withCardTopUpsOnlyTheCardIsOffered() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), NO_STARS, ShopHarness.MANUAL);
        List<Reply> screen = topUp(h);
        assertThat(lastText(screen)).contains("card or SBP transfer").doesNotContain("Stars", "⭐");
        assertThat(buttonTexts(screen)).containsExactly("💳 Card / SBP", "🏠 Menu");
        // a Stars pack's button from before the operator turned Stars off is stale, not an invoice
        List<Reply> oldPack = h.press(U, "*|t|100");
        assertThat(oldPack).noneMatch(Reply.SendInvoice.class::isInstance);
        assertThat(lastText(oldPack)).contains("outdated");
    }

    @Test
    void withNoWayToTopUpTheUserIsToldWhereToAsk() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(),
                NO_STARS.withSupport("@shop_help", Optional.empty()), ManualPayments.off());
        List<Reply> screen = topUp(h);
        assertThat(lastText(screen)).contains("cannot be topped up in the bot", "@shop_help")
                .doesNotContain("Stars");
        assertThat(buttonTexts(screen)).containsExactly("🏠 Menu");
    }

    @Test
    void withStarsThePacksAreOfferedAsBefore() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), NO_STARS.withStars(List.of(100L), 150),
                ShopHarness.MANUAL);
        List<Reply> screen = topUp(h);
        assertThat(lastText(screen)).contains("Telegram Stars");
        assertThat(buttonTexts(screen)).contains("💳 Card / SBP").hasSize(3);
        assertThat(h.press(U, "*|t|100")).anyMatch(Reply.SendInvoice.class::isInstance);
    }

    @Test
    void withAPaymentPageEachUserIsOfferedALinkToHisOwnRussianFirst() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), NO_STARS, ManualPayments.off(),
                b -> b.topUpLink(PAGE)).speaking("ru");
        List<Reply> screen = topUp(h);
        assertThat(lastText(screen)).isEqualTo("Спасибо, условия приняты.\n"
                + "Пополнить баланс можно онлайн: нажмите «💳 Оплатить онлайн», и откроется страница оплаты.");
        assertThat(buttonTexts(screen)).containsExactly("💳 Оплатить онлайн", "🏠 Меню");
        assertThat(link(screen, "Оплатить онлайн")).isEqualTo("https://pay.example.com/topup?user=42");

        h.speaking("en");
        h.command(43, "start");
        h.command(43, "topup");
        List<Reply> another = h.press(43, "*|y");
        assertThat(lastText(another)).contains("top up your balance online", "“💳 Pay online”")
                .doesNotContain("cannot be topped up", "Stars");
        assertThat(link(another, "Pay online")).as("his own page").isEqualTo("https://pay.example.com/topup?user=43");
        // the balance screen's «➕ Top up» leads to the same
        List<Reply> fromBalance = h.press(43, ShopHarness.button(h.command(43, "balance"), "Top up"));
        assertThat(link(fromBalance, "Pay online")).isEqualTo("https://pay.example.com/topup?user=43");
    }

    @Test
    void withAPaymentPageAndCardTopUpsBothAreOffered() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), NO_STARS, ShopHarness.MANUAL, b -> b.topUpLink(PAGE));
        List<Reply> screen = topUp(h);
        assertThat(lastText(screen)).contains("online, or by a card or SBP transfer").doesNotContain("Stars");
        assertThat(buttonTexts(screen)).containsExactly("💳 Card / SBP", "💳 Pay online", "🏠 Menu");
    }

    @Test
    void withStarsTooThePaymentPageIsOfferedBesideThePacks() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), NO_STARS.withStars(List.of(100L, 250L), 150),
                ManualPayments.off(), b -> b.topUpLink(PAGE));
        List<Reply> screen = topUp(h);
        assertThat(lastText(screen)).contains("Telegram Stars", "another way to pay below");
        assertThat(buttonTexts(screen)).hasSize(4).contains("💳 Pay online").last().isEqualTo("🏠 Menu");
        assertThat(link(screen, "Pay online")).isEqualTo("https://pay.example.com/topup?user=42");
        assertThat(h.press(U, "*|t|100")).anyMatch(Reply.SendInvoice.class::isInstance);
    }

    @Test
    void aPageThatIsNoWebAddressIsNeverShown() {
        // not a web address; http(s) with no host (Telegram refuses such a link button, failing the whole screen at
        // send, not here); with a user-info part (a name and password in the address the user sees)
        for (String page : List.of("javascript:alert(%d)", "https:pay.example.com/u/%d", "https:///u/%d",
                "https://shop:s3cret@pay.example.com/u/%d", "http://shop@pay.example.com/u/%d")) {
            ShopHarness h = new ShopHarness(TestCatalog.catalog(), NO_STARS, ManualPayments.off(),
                    b -> b.topUpLink(userId -> URI.create(page.formatted(userId))));
            h.command(U, "start");
            h.command(U, "topup");
            List<Reply> screen = h.press(U, "*|y");
            // the update fails, logged with the setting's name (not the address: it names the user), and is
            // apologised for
            assertThat(lastText(screen)).as(page).contains("something went wrong on our side");
            assertThat(buttonTexts(screen)).as(page).doesNotContain("💳 Pay online");
        }
    }

    /** The address of the link button whose text contains {@code label}. */
    private static String link(List<Reply> replies, String label) {
        return replies.stream().map(r -> r instanceof Reply.SendText t ? t.keyboard()
                        : r instanceof Reply.EditText e ? e.keyboard() : dev.kiebot.core.reply.Keyboard.NONE)
                .flatMap(kb -> kb.buttons().stream()).filter(b -> b.text().contains(label))
                .map(Button::url).flatMap(java.util.Optional::stream).findFirst()
                .orElseThrow(() -> new AssertionError("no link button '" + label + "' in " + replies));
    }
}
