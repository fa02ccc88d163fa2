package dev.kiebot.core.shop;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;

/**
 * «🏠 Меню» under a message: evergreen, so it opens the menu from any message however old, and the way back for a user
 * whom a notice (a payment, a refund, an apology) reached outside any screen.
 */
final class HomeButton {
    private HomeButton() {
    }

    static Button of(Texts texts, String lang) {
        return Button.callback(texts.get(lang, Msg.MENU_HOME), CallbackData.evergreen(CallbackAction.MENU));
    }

    /**
     * The button alone under a message that must stay in the chat once it is pressed (a ticket sent, with the number
     * the answer will name; a payment reported, with the word that a receipt may still come): the menu comes below it.
     * A plain «🏠 Меню» puts the menu in the message's place.
     */
    static Keyboard below(Texts texts, String lang) {
        return Keyboard.of(List.of(belowOf(texts, lang)));
    }

    /** The button of {@link #below}, for a row of a keyboard of more. */
    static Button belowOf(Texts texts, String lang) {
        return Button.callback(texts.get(lang, Msg.MENU_HOME),
                CallbackData.evergreen(CallbackAction.MENU, CallbackData.MENU_BELOW));
    }

    /** The button alone under a message. */
    static Keyboard keyboard(Texts texts, String lang) {
        return Keyboard.of(List.of(of(texts, lang)));
    }
}
