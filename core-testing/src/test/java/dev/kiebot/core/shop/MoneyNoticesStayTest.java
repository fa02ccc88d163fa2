package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A notice that money came is the user's receipt: «🏠 Menu» under it brings the menu below it, and the notice stays in
 * the chat. Pressed in place, the menu overwrote «✅ Balance topped up: +75 ₽», and the user scrolling back for it
 * found a menu.
 */
class MoneyNoticesStayTest {
    private static final long U = 42;

    @Test
    void theMenuUnderAStarsCreditComesBelowItAndLeavesTheNoticeInTheChat() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        String payload = h.invoiceFor50Stars(U);
        List<Reply> credited = h.send(U, new Event.SuccessfulPayment("ch-stay", payload, "XTR", 50)).stream()
                .filter(r -> r.chatId() == U).toList();
        assertThat(credited).as("the credit's notice").anyMatch(r -> r instanceof Reply.SendText t
                && t.text().contains("topped up"));

        List<Reply> menu = h.press(U, button(credited, "Menu")).stream().filter(r -> r.chatId() == U).toList();

        assertThat(menu).as("nothing edited in the notice's place").noneMatch(Reply.EditText.class::isInstance);
        assertThat(menu).anyMatch(r -> r instanceof Reply.SendText t && t.text().contains("Main menu"));
    }
}
