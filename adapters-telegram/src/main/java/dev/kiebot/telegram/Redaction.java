package dev.kiebot.telegram;

/**
 * Keeps the bot token out of anything that may be logged or returned: Telegram URLs embed it
 * ({@code /bot<token>/method}, {@code /file/bot<token>/path}) and some HTTP client messages echo URLs.
 */
final class Redaction {
    static final String MASK = "<token>";

    private Redaction() {
    }

    /** Replaces every occurrence of the token (and of its secret half after ':') in {@code text}. */
    static String redact(String text, String token) {
        if (text == null) {
            return "";
        }
        String out = text;
        if (token != null && !token.isEmpty()) {
            out = out.replace(token, MASK);
            int colon = token.indexOf(':');
            if (colon >= 0 && token.length() - colon > 8) {
                out = out.replace(token.substring(colon + 1), MASK);
            }
        }
        // whatever the token, never let a Bot API path with credentials (/bot<digits>:<secret>) through
        return out.replaceAll("/bot\\d+:[A-Za-z0-9_-]+", "/bot" + MASK);
    }

    /** {@code SimpleName: message}, redacted; no stack trace, no cause chain (which may hold URLs). */
    static String describe(Throwable e, String token) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof RuntimeException && root.getClass() == RuntimeException.class)) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        String name = root.getClass().getSimpleName();
        return msg == null || msg.isBlank() ? name : name + ": " + redact(msg, token);
    }
}
