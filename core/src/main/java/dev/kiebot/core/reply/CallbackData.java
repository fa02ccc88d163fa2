package dev.kiebot.core.reply;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Inline button data: {@code <version>|<action code>[|<arg>]}, at most 64 bytes. Buttons on the
 * newest message carry the chat session's version; a press on an older message is stale.
 * Evergreen buttons ("again", "menu", top-up, language) carry {@code *} and work forever. The codes
 * are {@link CallbackAction}'s; the bot makes buttons only through the {@code CallbackAction} overloads.
 *
 * @param version the chat session's version the button was made at; empty for an evergreen button
 * @param action  the action's wire code ({@link CallbackAction#code()}), not checked: see {@link #named()}
 * @param arg     what the action acts on (a model id, a job, a page), possibly empty
 */
public record CallbackData(Optional<Long> version, String action, String arg) {
    private static final String EVERGREEN = "*";

    /**
     * A button of the newest screen, for {@code action} (a versioned action).
     *
     * @param version the chat session's version now
     * @param action  a versioned action
     * @param arg     what it acts on; empty for nothing
     * @return the button's data
     * @throws IllegalArgumentException for an evergreen action, or data over 64 bytes
     */
    public static String current(long version, CallbackAction action, String arg) {
        if (action.evergreen()) {
            throw new IllegalArgumentException(action + " is evergreen");
        }
        return current(version, action.code(), arg);
    }

    /**
     * A button of the newest screen with no argument.
     *
     * @param version the chat session's version now
     * @param action  a versioned action
     * @return the button's data
     * @throws IllegalArgumentException for an evergreen action
     */
    public static String current(long version, CallbackAction action) {
        return current(version, action, "");
    }

    /**
     * {@link CallbackAction#MENU}'s argument for «🏠 Меню» under a message that must stay in the chat (a ticket sent, a
     * payment reported): the menu comes as a new message below it instead of in its place.
     */
    public static final String MENU_BELOW = "b";

    /**
     * A button that works forever, for {@code action} (an evergreen action).
     *
     * @param action an evergreen action
     * @param arg    what it acts on; empty for nothing
     * @return the button's data
     * @throws IllegalArgumentException for a versioned action, or data over 64 bytes
     */
    public static String evergreen(CallbackAction action, String arg) {
        if (!action.evergreen()) {
            throw new IllegalArgumentException(action + " is versioned");
        }
        return evergreen(action.code(), arg);
    }

    /**
     * A button that works forever, with no argument.
     *
     * @param action an evergreen action
     * @return the button's data
     * @throws IllegalArgumentException for a versioned action
     */
    public static String evergreen(CallbackAction action) {
        return evergreen(action, "");
    }

    /**
     * Raw data with any code (tests and forged input); the bot uses the {@link CallbackAction} overloads.
     *
     * @param version the chat session's version
     * @param action  any code
     * @param arg     the argument; empty for none
     * @return the data
     * @throws IllegalArgumentException for data over 64 bytes
     */
    public static String current(long version, String action, String arg) {
        return check(version + "|" + action + (arg.isEmpty() ? "" : "|" + arg));
    }

    /**
     * Raw versioned data with any code and no argument (tests and forged input).
     *
     * @param version the chat session's version
     * @param action  any code
     * @return the data
     */
    public static String current(long version, String action) {
        return current(version, action, "");
    }

    /**
     * Raw evergreen data with any code (tests and forged input).
     *
     * @param action any code
     * @param arg    the argument; empty for none
     * @return the data
     * @throws IllegalArgumentException for data over 64 bytes
     */
    public static String evergreen(String action, String arg) {
        return check(EVERGREEN + "|" + action + (arg.isEmpty() ? "" : "|" + arg));
    }

    private static String check(String data) {
        if (data.getBytes(StandardCharsets.UTF_8).length > Button.MAX_DATA_BYTES) {
            throw new IllegalArgumentException("callback data over 64 bytes: " + data);
        }
        return data;
    }

    /**
     * Parses button data; anything malformed or forged is empty.
     *
     * @param data the callback data a press brought back, possibly null
     * @return the parts; empty for data not of this form
     */
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

    /**
     * Whether the button works on any message.
     *
     * @return true when the data carries no version
     */
    public boolean isEvergreen() {
        return version.isEmpty();
    }

    /**
     * The action this data names, when it is one of ours and carries a version exactly when the action is
     * versioned; empty for anything else (treated as a stale button).
     *
     * @return the action, or empty
     */
    public Optional<CallbackAction> named() {
        return CallbackAction.ofCode(action).filter(a -> a.evergreen() == isEvergreen());
    }
}
