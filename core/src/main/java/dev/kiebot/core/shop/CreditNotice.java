package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;

/**
 * The message that money reached the wallet, however it came (Stars, a card / SBP transfer an admin confirmed, an
 * admin's top-up, a partner's own provider): the amount and the balance, and under them the way back to the order the
 * user could not pay when one waits for it ({@link ChatSession#waitingOrder()}), else the menu. Without it a user who
 * topped up from the confirmation gave the prompt, the photos and every option again.
 */
final class CreditNotice {
    private final Stores stores;
    private final Texts texts;
    private final Pricing pricing;

    CreditNotice(Stores stores, Texts texts, Pricing pricing) {
        this.stores = stores;
        this.texts = texts;
        this.pricing = pricing;
    }

    /** @param chatId the user's private chat (its id is the user's) */
    Reply.SendText to(long chatId, String lang, long amount, long balance) {
        return new Reply.SendText(chatId, texts.get(lang, Msg.TOPUP_CREDITED, pricing.format(amount, lang),
                pricing.format(balance, lang)), keyboard(chatId, lang));
    }

    private Keyboard keyboard(long chatId, String lang) {
        boolean orderWaits = stores.chatStates().load(chatId).flatMap(ChatSession::waitingOrder).isPresent();
        if (!orderWaits) {
            return HomeButton.keyboard(texts, lang);
        }
        return Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_RESUME_ORDER),
                CallbackData.evergreen(CallbackAction.RESUME_ORDER)), HomeButton.of(texts, lang)));
    }
}
