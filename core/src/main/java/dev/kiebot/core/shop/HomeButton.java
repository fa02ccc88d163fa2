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

    /** The button alone under a message. */
    static Keyboard keyboard(Texts texts, String lang) {
        return Keyboard.of(List.of(of(texts, lang)));
    }
}
