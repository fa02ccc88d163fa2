package dev.kiebot.core.shop;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Where users reach the bot: its username (without '@') when the shop was given a real one, and the links into its
 * private chat made from it. Only a real username makes a link: Telegram refuses a message whose button has a broken
 * URL, and its chat would then hear nothing at all.
 *
 * <p>The username is read each time a link is made, from what the shop was given: a runner that could not ask
 * Telegram at start learns it later, and the links work from then on (read once, a start without Telegram left
 * {@code /invite} and {@code /link} without links for the whole run).
 */
final class BotAddress {
    /** Telegram's usernames: 5-32 characters of these; 3-64 accepts every real one and nothing a URL breaks on. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{3,64}");

    private final Supplier<Optional<String>> given;

    private BotAddress(Supplier<Optional<String>> given) {
        this.given = given;
    }

    /** @param given the bot's username, with or without '@', as the partner or {@code getMe} gave it */
    static BotAddress of(Optional<String> given) {
        return of(() -> given);
    }

    /** @param given the bot's username as known at each moment (empty until it is; never null) */
    static BotAddress of(Supplier<Optional<String>> given) {
        return new BotAddress(given);
    }

    private Optional<String> username() {
        Optional<String> now = given.get();
        return (now == null ? Optional.<String>empty() : now).map(u -> u.startsWith("@") ? u.substring(1) : u)
                .filter(u -> USERNAME.matcher(u).matches());
    }

    /** {@code https://t.me/<bot>}: the bot's private chat. */
    Optional<String> chat() {
        return username().map(u -> "https://t.me/" + u);
    }

    /**
     * The link that opens the private chat and sends {@code /start <parameter>}; without a username, that command
     * itself (to be typed in the bot's chat).
     */
    String start(String parameter) {
        return chat().map(c -> c + "?start=" + parameter).orElse("/start " + parameter);
    }

    boolean known() {
        return username().isPresent();
    }
}
