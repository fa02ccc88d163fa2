package dev.kiebot.core.conversation;

import dev.kiebot.core.text.OneLine;
import java.util.Objects;
import java.util.Optional;

/**
 * Who sent an update and where to answer. Core takes both ids on your word: the wallet moved and the admin rights
 * checked ({@code ShopSettings.adminIds}) are {@link #userId}'s, so build an {@code Actor} only from an update your
 * door authenticated as your platform's (see {@code Storefront.serve}).
 *
 * <p>The chat-id rule: a private chat is its user's own, so its {@link #chatId} is the {@link #userId} (as Telegram's
 * are). An update said to be from a private chat ({@code Incoming.in(ChatKind.PRIVATE)}) whose chat id is another is
 * served as a group's ({@code Incoming.chat()}): a chat shared by several users must never share one conversation.
 * On a platform whose private conversations have ids of their own (a Discord DM channel, whose id is not its user's),
 * give the user's id as {@code chatId} too, and have your {@code Messenger} find the user's private channel for a
 * reply to that id (Discord's "create DM", kept per user): given the channel's own id, the chat is served as a group.
 *
 * @param userId       the user's id ({@code from.id}): their wallet, history, limits and admin rights are keyed by it
 * @param chatId       the chat the update came from ({@code chat.id}): answers go there; in a private chat, the
 *                     user's id again, also where the platform gives that conversation an id of its own
 * @param firstName    the user's first name as the platform gives it, less what could fake a line of a message it
 *                     is shown in ({@link #shownName}): admins read it next to amounts
 * @param username     the user's {@code @username} without the {@code @}, if they have one
 * @param languageCode Telegram's {@code language_code}, if the client sent one
 */
public record Actor(long userId, long chatId, String firstName, Optional<String> username,
                    Optional<String> languageCode) {
    /**
     * Checks the values and makes the first name safe to show.
     *
     * @param userId       above 0
     * @param chatId       the chat to answer in
     * @param firstName    {@code ""} when the platform gives none; kept as {@link #shownName} makes it
     * @param username     {@code Optional.empty()} when the user has none
     * @param languageCode {@code Optional.empty()} when the client sent none
     * @throws IllegalArgumentException for a user id of 0 or below: drop an update without a sender instead
     * @throws NullPointerException     naming the component left null, and what to give instead
     */
    public Actor {
        if (userId <= 0) {
            // the wallet, history and limits are keyed by it: an adapter that gave every sender-less update 0 (or a
            // channel's negative id) would put them all on one wallet
            throw new IllegalArgumentException("userId must be a user's id on the platform (above 0), was " + userId
                    + ": an update without a sender is dropped by the adapter, not given an id");
        }
        Objects.requireNonNull(firstName, "firstName: \"\" when the platform gives none");
        Objects.requireNonNull(username, "username: Optional.empty() when the user has none");
        Objects.requireNonNull(languageCode, "languageCode: Optional.empty() when the client sent none");
        firstName = shownName(firstName);
    }

    /**
     * {@code name} as it may be shown ({@link OneLine}): a name is shown to admins above a request's amount, and with a
     * line separator it could start a line of its own ("Amount: 10 000 ₽").
     *
     * @param name a name as the platform gave it
     * @return the name on one line, without leading or trailing blanks
     */
    public static String shownName(String name) {
        return OneLine.of(name).strip();
    }

    /**
     * Last 4 digits only: user ids are personal data and never logged in full.
     *
     * @param id a user's id
     * @return {@code ***} and its last 4 digits, for logs and audit lines
     */
    public static String mask(long id) {
        String s = Long.toString(Math.abs(id));
        return s.length() <= 4 ? "***" + s : "***" + s.substring(s.length() - 4);
    }
}
