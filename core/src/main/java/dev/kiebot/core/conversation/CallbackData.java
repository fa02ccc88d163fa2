package dev.kiebot.core.conversation;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Inline button data: {@code <version>|<action>[|<arg>]}, at most 64 bytes. Buttons on the
 * newest message carry the chat session's version; a press on an older message is stale.
 * Evergreen buttons ("again", "menu", top-up, language) carry {@code *} and work forever.
 */
public record CallbackData(Optional<Long> version, String action, String arg) {
    private static final String EVERGREEN = "*";

    public static String current(long version, String action, String arg) {
        return check(version + "|" + action + (arg.isEmpty() ? "" : "|" + arg));
    }

    public static String current(long version, String action) {
        return current(version, action, "");
    }

    public static String evergreen(String action, String arg) {
        return check(EVERGREEN + "|" + action + (arg.isEmpty() ? "" : "|" + arg));
    }

    private static String check(String data) {
        if (data.getBytes(StandardCharsets.UTF_8).length > Button.MAX_DATA_BYTES) {
            throw new IllegalArgumentException("callback data over 64 bytes: " + data);
        }
        return data;
    }

    /** Parses button data; anything malformed or forged is empty. */
    public static Optional<CallbackData> parse(String data) {
        if (data == null || data.isEmpty() || data.getBytes(StandardCharsets.UTF_8).length > Button.MAX_DATA_BYTES) {
            return Optional.empty();
        }
        String[] parts = data.split("\\|", 3);
        if (parts.length < 2 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> version;
        if (EVERGREEN.equals(parts[0])) {
            version = Optional.empty();
        } else if (parts[0].matches("\\d{1,18}")) {
            version = Optional.of(Long.parseLong(parts[0]));
        } else {
            return Optional.empty();
        }
        return Optional.of(new CallbackData(version, parts[1], parts.length > 2 ? parts[2] : ""));
    }

    public boolean isEvergreen() {
        return version.isEmpty();
    }
}
