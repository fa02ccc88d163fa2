package dev.kiebot.core.jobs;

/** How a result is delivered to Telegram. */
public enum MediaKind {
    PHOTO, VIDEO, AUDIO, DOCUMENT
}
