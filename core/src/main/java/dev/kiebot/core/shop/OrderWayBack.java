package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;

/**
 * «↩️ Вернуться к генерации» under a message the shop writes (the conversation's screens add it themselves): the way
 * back to the order the chat keeps ({@link ChatSession#waitingOrder()}) while the user pays, so the message that ends
 * his detour (the money arrived, his card / SBP request reported paid or its receipt taken) takes him back to it. It
 * reads the chat's session as stored: in the user's own update the conversation's new one, saved before the effects.
 */
final class OrderWayBack {
    private final Stores stores;
    private final Texts texts;

    OrderWayBack(Stores stores, Texts texts) {
        this.stores = stores;
        this.texts = texts;
    }

    /** @return the button while the chat keeps an order, else none */
    List<Button> button(long chatId, String lang) {
        boolean orderWaits = new ChatSessions(stores.chatStates()).load(chatId).flatMap(ChatSession::waitingOrder)
                .isPresent();
        return orderWaits ? List.of(Button.callback(texts.get(lang, Msg.BUTTON_RESUME_ORDER),
                CallbackData.evergreen(CallbackAction.RESUME_ORDER))) : List.of();
    }
}
