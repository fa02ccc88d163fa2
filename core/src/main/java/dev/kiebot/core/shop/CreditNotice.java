package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.ArrayList;
import java.util.List;

/**
 * The message that money reached the wallet, however it came (Stars, a card / SBP transfer an admin confirmed, an
 * admin's top-up, a partner's own provider): the amount and the balance, and under them the way back to the order the
 * user could not pay when one waits for it ({@link ChatSession#waitingOrder()}), else the menu. Without it a user who
 * topped up from the confirmation gave the prompt, the photos and every option again.
 */
final class CreditNotice {
    private final Texts texts;
    private final Pricing pricing;
    private final OrderWayBack wayBack;

    CreditNotice(Stores stores, Texts texts, Pricing pricing) {
        this.texts = texts;
        this.pricing = pricing;
        this.wayBack = new OrderWayBack(stores, texts);
    }

    /** @param chatId the user's private chat (its id is the user's) */
    Reply.SendText to(long chatId, String lang, long amount, long balance) {
        return to(chatId, lang, amount, balance, true);
    }

    /**
     * @param wayBack whether the notice offers the order kept: not under a Stars payment, which the storefront follows
     *                with the order itself ({@code Conversation.resumeOrder})
     */
    Reply.SendText to(long chatId, String lang, long amount, long balance, boolean wayBack) {
        return new Reply.SendText(chatId, texts.get(lang, Msg.TOPUP_CREDITED, pricing.format(amount, lang),
                pricing.format(balance, lang)), keyboard(chatId, lang, wayBack));
    }

    private Keyboard keyboard(long chatId, String lang, boolean offerWayBack) {
        List<Button> row = new ArrayList<>(offerWayBack ? wayBack.button(chatId, lang) : List.of());
        row.add(HomeButton.belowOf(texts, lang)); // a receipt: the menu comes below it, the notice stays
        return Keyboard.of(row);
    }
}
