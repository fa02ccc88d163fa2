package dev.kiebot.kie;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Keeps secrets out of logs, exception details and outgoing requests. */
final class Redaction {
    /** A Telegram bot token ({@code 123456789:AA...}), alone or inside a {@code /bot<token>/} URL. */
    static final Pattern TELEGRAM_TOKEN = Pattern.compile("\\d{5,}:[A-Za-z0-9_-]{30,}");
    private static final int MAX_DETAIL = 500;

    private Redaction() {
    }

    static String fingerprint(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if the text carries something that looks like a Telegram bot token or a Telegram file URL. */
    static boolean containsTelegramSecret(String s) {
        if (s == null) {
            return false;
        }
        return TELEGRAM_TOKEN.matcher(s).find() || s.contains("api.telegram.org/file/");
    }

    /** Scheme and host only: callback URLs may carry a secret path segment. */
    static String urlForLog(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/…";
        } catch (IllegalArgumentException e) {
            return "(invalid url)";
        }
    }

    /** A provider message made safe for logs and users: no secrets, no control characters, bounded length. */
    static String detail(String text, String... secrets) {
        if (text == null) {
            return "";
        }
        String s = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                s = s.replace(secret, "***");
            }
        }
        s = TELEGRAM_TOKEN.matcher(s).replaceAll("***");
        s = s.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", " ").replaceAll("\\s+", " ").trim();
        if (s.length() > MAX_DETAIL) {
            s = s.substring(0, MAX_DETAIL) + "…";
        }
        return s;
    }
}
