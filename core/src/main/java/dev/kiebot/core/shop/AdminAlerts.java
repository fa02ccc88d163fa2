package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import java.util.function.Function;

/** A text to every admin of the shop, each in his language, through the outbox: paced, and kept until it is sent. */
final class AdminAlerts {
    private AdminAlerts() {
    }

    /** @param textIn the alert in a language ({@code "ru"}, {@code "en"}) */
    static void send(Stores stores, ShopSettings settings, Outbox outbox, Function<String, String> textIn) {
        for (long admin : settings.adminIds()) {
            outbox.send(new Reply.SendText(admin, textIn.apply(stores.users().languageOf(admin)), Keyboard.NONE));
        }
    }
}
