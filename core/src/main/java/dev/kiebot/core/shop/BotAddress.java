package dev.kiebot.core.shop;

import dev.kiebot.core.reply.BotLinks;
import java.util.Optional;

/**
 * Where users reach the bot: the links into it, made by the shop's {@link BotLinks} (Telegram's by default, a
 * partner's own on another platform), and what stands for a link none could be made of. A partner's links are his
 * code: one that gives null is taken for none rather than failing the user's update.
 */
final class BotAddress {
    private final BotLinks links;

    private BotAddress(BotLinks links) {
        this.links = links;
    }

    static BotAddress of(BotLinks links) {
        return new BotAddress(links);
    }

    /** The bot's private chat. */
    Optional<String> chat() {
        return orNone(links.chat());
    }

    /** The link that opens the private chat and sends {@code /start <parameter>}, when one can be made. */
    Optional<String> startLink(String parameter) {
        return orNone(links.start(parameter));
    }

    /** {@link #startLink}, or without it that command itself (to be typed in the bot's chat). */
    String start(String parameter) {
        return startLink(parameter).orElse(typed(parameter));
    }

    /** The command a link would have sent, for the user to type in the bot's chat. */
    static String typed(String parameter) {
        return "/start " + parameter;
    }

    /** The link that passes {@code url} on with {@code text}, for a platform that has one. */
    Optional<String> share(String url, String text) {
        return orNone(links.share(url, text));
    }

    private static Optional<String> orNone(Optional<String> link) {
        return link == null ? Optional.empty() : link;
    }
}
