package dev.kiebot.core.intake;

import java.util.Objects;

/**
 * An update as it arrives, before it is recorded.
 *
 * @param updateId the platform's id of the update, unique across the bot (not per chat)
 * @param chatId   its chat
 * @param payload  the raw update as the platform sent it (Telegram's JSON), {@link #withoutNul} applied
 */
public record ArrivedUpdate(long updateId, long chatId, String payload) {
    /**
     * The update, its payload as a store keeps it.
     *
     * @param updateId the platform's id of the update
     * @param chatId   its chat
     * @param payload  required; {@link #withoutNul} is applied to it
     * @throws NullPointerException for a null payload, saying what to give
     */
    public ArrivedUpdate {
        payload = withoutNul(Objects.requireNonNull(payload, "ArrivedUpdate: payload, the update as the platform "
                + "sent it (its JSON, say), never null"));
    }

    /**
     * The payload as a store keeps it. PostgreSQL text cannot hold NUL, and nothing a user types needs it: a raw NUL
     * and the JSON escape {@code \u0000} both become U+FFFD, so no stored payload, and no name or text read from it
     * later, ever carries one. {@link Inbox#record} and a new {@code ArrivedUpdate} apply it, and kiebot's runtime
     * before it reads an update's id.
     *
     * @param raw the update as the platform sent it
     * @return the same text when it holds neither, else one with U+FFFD in their place
     */
    public static String withoutNul(String raw) {
        Objects.requireNonNull(raw, "ArrivedUpdate.withoutNul: raw, the update as the platform sent it, never null");
        if (raw.indexOf('\u0000') < 0 && !raw.contains("\\u0000")) {
            return raw;
        }
        return raw.replace('\u0000', '\uFFFD').replace("\\u0000", "\\uFFFD");
    }
}
