package dev.kiebot.core.conversation;

/**
 * The kind of chat an update came from, as the messenger reports it (Telegram's {@code chat.type}). The shop
 * serves private chats only: a group's members would otherwise share one conversation, one confirm screen and
 * one another's prices (see {@code Storefront}).
 */
public enum ChatKind {
    PRIVATE, GROUP, SUPERGROUP, CHANNEL
}
