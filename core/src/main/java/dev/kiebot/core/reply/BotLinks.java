package dev.kiebot.core.reply;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The links into the bot that the shop gives its users (port): the button that takes a group's member to the bot's
 * private chat, a user's invitation ({@code /invite}, with its share button) and an admin's links to a model's card
 * ({@code /link}). Give yours with {@code Shop.Builder.botLinks} when your bot is not on Telegram; the default,
 * {@link #telegram}, makes Telegram's ({@code https://t.me/<bot>}) from {@code Shop.Builder.botUsername}.
 *
 * <p>Each is made while an update is handled, inside its transaction: make it from what you know, without a call to
 * the network. A link is shown to users, so put no secret in it.
 */
public interface BotLinks {
    /**
     * The bot's private chat.
     *
     * @return its address; empty when none can be made (the bot's address not known yet): a group then hears the
     *         text without the button
     */
    Optional<String> chat();

    /**
     * The link that opens the bot's private chat and starts it with {@code parameter}, which reaches the shop as the
     * {@code /start} command's argument ({@code Event.Command("start", parameter)}).
     *
     * @param parameter letters, digits, {@code _} and {@code -}, at most 64 (an invitation's {@code r_…}, a
     *                  model's {@code m_…})
     * @return the link; empty when none can be made: the user is shown {@code /start <parameter>} to type in the
     *         bot's chat instead, and an invitation has no share button
     */
    Optional<String> start(String parameter);

    /**
     * The link behind an invitation's share button: it lets the user pass {@code url} on to people of his choice.
     *
     * @param url  the link to pass on, one {@link #start} made
     * @param text the words that go with it, in the user's language
     * @return the link; empty for a platform without one: the invitation then has no share button, its link is
     *         still in its text
     */
    Optional<String> share(String url, String text);

    /**
     * Telegram's links: {@code https://t.me/<bot>}, {@code https://t.me/<bot>?start=<parameter>} and
     * {@code https://t.me/share/url?url=…&text=…}. The username is read each time a link is made: a runner that learns
     * it after its start has the links from then on. Without a username that Telegram could have given (5-32 of
     * letters, digits and {@code _}; 3-64 taken), none is made: Telegram refuses a message whose button has a broken
     * address, and its chat would then hear nothing at all.
     *
     * @param username the bot's username at each moment, with or without '@' (empty until it is known; never null)
     * @return the links
     */
    static BotLinks telegram(Supplier<Optional<String>> username) {
        return new TelegramLinks(username);
    }
}
