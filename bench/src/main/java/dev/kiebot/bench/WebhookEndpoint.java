package dev.kiebot.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How the benchmark hands an update to the webhook runner, and the child settings that go with it. This is the
 * one place to adjust when the runner's secret handling changes.
 *
 * <p>The secret is chosen here and given to the child ({@code TELEGRAM_WEBHOOK_SECRET_TOKEN}) rather than
 * derived from the token. Updates go to {@code POST /telegram} with the secret in Telegram's header only: the
 * runner accepts that today (it also takes {@code /telegram/<secret>}) and after a change to header-only.
 */
record WebhookEndpoint(int port, String secret) {
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final String SECRET = "bench-webhook-secret-0123456789";

    static WebhookEndpoint onLocalPort(int port) {
        return new WebhookEndpoint(port, SECRET);
    }

    /** What the webhook runner needs besides the common settings. */
    Map<String, String> childEnvironment() {
        return Map.of("BOT_MODE", "webhook", "WEBHOOK_BASE_URL", "http://127.0.0.1:" + port,
                "TELEGRAM_WEBHOOK_SECRET_TOKEN", secret);
    }

    /** The complete HTTP/1.1 request delivering one update, as Telegram sends it. */
    byte[] post(String updateJson) {
        byte[] body = updateJson.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /telegram HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + SECRET_HEADER + ": " + secret + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }
}
