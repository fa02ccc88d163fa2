package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ModelLink;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;
import java.util.Locale;

/**
 * {@code /link <words>}: the links that open a model's card ({@link ModelLink}), for an ad of that model, of the
 * models whose id or title holds the words, made by the shop's {@code BotLinks} (Telegram's:
 * {@code https://t.me/<bot>?start=<parameter>}). When it makes none (Telegram's without the bot's username), the
 * command to type, {@code /start <parameter>}.
 */
final class AdminLinks {
    /** Lines in one answer: a query of one letter should not fill the chat. */
    static final int MODELS_MAX = 10;

    private final Catalog catalog;
    private final Texts texts;
    private final BotAddress bot;

    AdminLinks(Catalog catalog, Texts texts, BotAddress bot) {
        this.catalog = catalog;
        this.texts = texts;
        this.bot = bot;
    }

    String links(String lang, String query) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        if (q.isEmpty()) {
            return texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_LINK));
        }
        List<Model> found = catalog.search(q);
        if (found.isEmpty()) {
            return texts.get(lang, Msg.LINK_NONE, query.strip());
        }
        StringBuilder out = new StringBuilder(texts.get(lang, Msg.LINK_TITLE));
        for (Model m : found.stream().limit(MODELS_MAX).toList()) {
            out.append("\n").append(m.title(lang)).append(" — ").append(bot.start(ModelLink.parameter(m)));
        }
        if (found.size() > MODELS_MAX) {
            out.append("\n").append(texts.get(lang, Msg.LINK_MORE, found.size() - MODELS_MAX));
        }
        return out.toString();
    }
}
