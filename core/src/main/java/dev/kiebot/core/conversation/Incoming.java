package dev.kiebot.core.conversation;

/** One Telegram update as the core sees it. */
public record Incoming(long updateId, Actor actor, Event event) {
}
