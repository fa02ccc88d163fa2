package dev.kiebot.runtime.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Logback converter {@code %mask(...)}: replaces every registered secret with {@code <redacted>} and anything shaped
 * like a bot token with {@code <redacted-token>}, a last line of defence behind code that never logs secrets.
 */
public final class SecretMasking extends CompositeConverter<ILoggingEvent> {
    private static final Pattern BOT_TOKEN = Pattern.compile("\\d{6,12}:[A-Za-z0-9_-]{30,}");
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    /** Registers the configuration's secrets at start (values shorter than 6 characters are ignored). */
    public static void register(List<String> secrets) {
        for (String s : secrets) {
            if (s != null && s.length() >= 6 && !SECRETS.contains(s)) {
                SECRETS.add(s);
            }
        }
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : SECRETS) {
            out = out.replace(s, "<redacted>");
        }
        return BOT_TOKEN.matcher(out).replaceAll("<redacted-token>");
    }

    @Override
    protected String transform(ILoggingEvent event, String in) {
        return mask(in);
    }
}
