package dev.kiebot.core.reply;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@link BotLinks#telegram}: Telegram's links into the bot, by its username. */
final class TelegramLinks implements BotLinks {
    /** Telegram's usernames: 5-32 characters of these; 3-64 accepts every real one and nothing a URL breaks on. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{3,64}");

    private final Supplier<Optional<String>> given;

    TelegramLinks(Supplier<Optional<String>> given) {
        this.given = given;
    }

    private Optional<String> username() {
        Optional<String> now = given.get();
        return (now == null ? Optional.<String>empty() : now).map(u -> u.startsWith("@") ? u.substring(1) : u)
                .filter(u -> USERNAME.matcher(u).matches());
    }

    @Override
    public Optional<String> chat() {
        return username().map(u -> "https://t.me/" + u);
    }

    @Override
    public Optional<String> start(String parameter) {
        return chat().map(c -> c + "?start=" + parameter);
    }

    @Override
    public Optional<String> share(String url, String text) {
        return Optional.of("https://t.me/share/url?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + "&text="
                + URLEncoder.encode(text, StandardCharsets.UTF_8));
    }
}
