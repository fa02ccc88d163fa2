package dev.kiebot.core.jobs;

/** How a result is delivered to Telegram. */
public enum MediaKind {
    /** As a photo (Telegram recompresses it). */
    PHOTO,
    /** As a video. */
    VIDEO,
    /** As audio. */
    AUDIO,
    /** As a file, unchanged. */
    DOCUMENT
}
