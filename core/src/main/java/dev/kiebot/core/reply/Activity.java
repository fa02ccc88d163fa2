package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.MediaKind;

/**
 * What the bot is busy with, shown in the chat for a moment while it works ({@link Reply.ChatAction}): each platform
 * says it in its own way (Telegram's {@code sendChatAction}: {@code upload_photo}, ...), and one without such a thing
 * shows nothing. Only what the shop does: it uploads a result.
 */
public enum Activity {
    /** Uploading a photo. */
    UPLOADING_PHOTO,
    /** Uploading a video. */
    UPLOADING_VIDEO,
    /** Uploading audio. */
    UPLOADING_AUDIO,
    /** Uploading a file. */
    UPLOADING_DOCUMENT;

    /**
     * The upload of a result sent as {@code kind}.
     *
     * @param kind how the result goes out
     * @return the activity the chat sees meanwhile
     */
    public static Activity uploading(MediaKind kind) {
        return switch (kind) {
            case PHOTO -> UPLOADING_PHOTO;
            case VIDEO -> UPLOADING_VIDEO;
            case AUDIO -> UPLOADING_AUDIO;
            case DOCUMENT -> UPLOADING_DOCUMENT;
        };
    }
}
