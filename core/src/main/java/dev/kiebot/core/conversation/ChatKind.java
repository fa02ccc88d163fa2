package dev.kiebot.core.conversation;

/**
 * The kind of chat an update came from, as the messenger reports it (Telegram's {@code chat.type}). The shop
 * serves private chats only: a group's members would otherwise share one conversation, one confirm screen and
 * one another's prices (see {@code Storefront}).
 */
public enum ChatKind {
    /** A one-to-one chat with the bot: the only kind the shop serves. */
    PRIVATE,
    /** A basic group. */
    GROUP,
    /** A supergroup, possibly with forum topics. */
    SUPERGROUP,
    /** A channel. */
    CHANNEL
}
