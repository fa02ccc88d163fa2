package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A shop on a platform without Telegram Stars ({@code ShopSettings.withoutStars()}): /topup offers what there is, the
 * card / SBP top-up or where to ask, never a Stars pack whose invoice nobody can pay.
 */
class TopUpWithoutStarsTest {
    private static final long U = 42;
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
}
