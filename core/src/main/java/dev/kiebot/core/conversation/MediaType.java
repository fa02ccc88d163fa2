package dev.kiebot.core.conversation;

/** The kinds of files a user can send. */
public enum MediaType {
    PHOTO, DOCUMENT, AUDIO, VOICE, VIDEO, VIDEO_NOTE, STICKER, ANIMATION
}
