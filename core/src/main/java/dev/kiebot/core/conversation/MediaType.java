package dev.kiebot.core.conversation;

/** The kinds of files a user can send. */
public enum MediaType {
    /** A photo, compressed by the platform. */
    PHOTO,
    /** Any file sent as a file, also an image sent uncompressed; the kind for anything not listed here. */
    DOCUMENT,
    /** A music file. */
    AUDIO,
    /** A voice message. */
    VOICE,
    /** A video. */
    VIDEO,
    /** A round video message. */
    VIDEO_NOTE,
    /** A sticker. */
    STICKER,
    /** A GIF or a silent video clip. */
    ANIMATION
}
