package dev.kiebot.runtime.config;

import dev.kiebot.telegram.TelegramBots;
import dev.kiebot.core.pacing.ChatPacing;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Telegram: the bot, the Bot API it talks to, the pace of messages to one chat and the webhook door.
 * {@link #toString()} shows no secret.
 *
 * @param botToken                 {@code TELEGRAM_BOT_TOKEN} (secret)
 * @param apiUrl                   {@code TELEGRAM_API_URL}
 * @param pacing                   {@code TELEGRAM_CHAT_INTERVAL_MS} and {@code TELEGRAM_CHAT_BURST}: how fast one chat
 *                                 may receive messages
 * @param globalRate               {@code TELEGRAM_GLOBAL_RATE}: messages a second for the whole bot
 * @param webhookSecret            {@code TELEGRAM_WEBHOOK_SECRET_TOKEN}, else derived from the token (secret)
 * @param webhookUrl               where Telegram posts updates (the public URL + {@code /telegram}); no secret in it
 * @param requireWebhookRegistered {@code REQUIRE_WEBHOOK_REGISTERED}: exit when registration fails for good
 * @param pollingTakesOverWebhook  {@code POLLING_TAKES_OVER_WEBHOOK}: the polling runner deletes a webhook it finds set
 *                                 instead of refusing to start (a webhook elsewhere then hears nothing)
 */
public record TelegramSettings(String botToken, URI apiUrl, ChatPacing pacing, int globalRate, String webhookSecret,
                               Optional<String> webhookUrl, boolean requireWebhookRegistered,
                               boolean pollingTakesOverWebhook) {
    public static final URI DEFAULT_API_URL = URI.create(TelegramBots.DEFAULT_API_URL);
    /** Telegram's own pace for one chat (about one message a second, a short burst allowed). */
    public static final ChatPacing DEFAULT_PACING = ChatPacing.telegramDefaults();
    /** Telegram's limit for a bot's messages to different chats (raise it for a local Bot API server). */
    public static final int DEFAULT_GLOBAL_RATE = 30;
    static final int CHAT_INTERVAL_MILLIS_MAX = 60_000;
    static final int CHAT_BURST_MAX = 20;
    static final int GLOBAL_RATE_MAX = 100_000;
    /** The label the webhook secret is derived under; the Kie callback token has its own. */
    static final String WEBHOOK_SECRET_LABEL = "kiebot-webhook-secret";

    public TelegramSettings {
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(webhookSecret, "webhookSecret");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    static TelegramSettings read(Env env, HttpSettings http) {
        Optional<String> token = env.secret("TELEGRAM_BOT_TOKEN");
        if (token.isEmpty()) {
            env.problem("TELEGRAM_BOT_TOKEN is required (get one from @BotFather)");
        } else if (!token.get().matches("\\d{3,20}:[A-Za-z0-9_-]{20,100}")) {
            env.problem("TELEGRAM_BOT_TOKEN does not look like a bot token (<digits>:<35 characters>)");
        }
        URI apiUrl = env.url("TELEGRAM_API_URL").orElse(DEFAULT_API_URL);
        Duration chatInterval = Duration.ofMillis(env.integer("TELEGRAM_CHAT_INTERVAL_MS",
                (int) DEFAULT_PACING.interval().toMillis(), 0, CHAT_INTERVAL_MILLIS_MAX));
        int chatBurst = env.integer("TELEGRAM_CHAT_BURST", DEFAULT_PACING.burst(), 1, CHAT_BURST_MAX);
        int globalRate = env.integer("TELEGRAM_GLOBAL_RATE", DEFAULT_GLOBAL_RATE, 1, GLOBAL_RATE_MAX);
        String secret = DoorSecret.read(env, "TELEGRAM_WEBHOOK_SECRET_TOKEN", token.orElse(""), WEBHOOK_SECRET_LABEL);
        boolean requireRegistered = env.flag("REQUIRE_WEBHOOK_REGISTERED");
        boolean takesOver = env.flag("POLLING_TAKES_OVER_WEBHOOK");
        return new TelegramSettings(token.orElse(""), apiUrl, new ChatPacing(chatInterval, chatBurst), globalRate,
                secret, http.publicUrl("/telegram"), requireRegistered, takesOver);
    }

    /**
     * The ports Telegram's Bot API posts a webhook's updates to; it refuses a webhook on any other, and one that is
     * not https://.
     */
    static final Set<Integer> WEBHOOK_PORTS = Set.of(443, 80, 88, 8443);

    /**
     * The webhook runner's public URL, as Telegram's own Bot API will take it: https:// on one of
     * {@link #WEBHOOK_PORTS}. Telegram refused another at every setWebhook, and the runner retried for ever with
     * {@code /readyz} 503, where a start problem says at once what to change. A local Bot API server
     * ({@code TELEGRAM_API_URL} elsewhere than api.telegram.org) takes http:// and any port: not checked then.
     */
    static void checkTelegramTakesTheWebhook(Env env, HttpSettings http, URI apiUrl) {
        if (http.publicUrl().isEmpty() || !DEFAULT_API_URL.getHost().equalsIgnoreCase(apiUrl.getHost())) {
            return;
        }
        URI url = http.publicUrl().get();
        // the variable it came from, picked as HttpSettings.read picks it; its value is not quoted (a URL may hold
        // a secret in its path): what is wrong with its shape is
        String name = env.optional("WEBHOOK_BASE_URL").isPresent() ? "WEBHOOK_BASE_URL"
                : env.optional("WEBHOOK_URL").isPresent() ? "WEBHOOK_URL" : "RENDER_EXTERNAL_URL";
        boolean https = "https".equals(url.getScheme());
        boolean port = url.getPort() < 0 || WEBHOOK_PORTS.contains(url.getPort());
        if (https && port) {
            return;
        }
        String wrong = !https && !port ? "an http:// address on port " + url.getPort()
                : !https ? "an http:// address" : "an address on port " + url.getPort();
        env.problem(name + " is " + wrong + ", and Telegram posts a webhook's updates only to https:// on port 443, "
                + "80, 88 or 8443 (it refuses any other webhook, and the bot would wait for it for ever, /readyz 503): "
                + "give the https:// address of a TLS proxy in front of PORT (Caddy, nginx) on one of those ports, or "
                + "set TELEGRAM_API_URL to a local Bot API server of yours, which takes any");
    }

    /** The bot's user id: the token's number before the colon. */
    public long botId() {
        int colon = botToken.indexOf(':');
        return colon > 0 ? Long.parseLong(botToken.substring(0, colon)) : 0;
    }

    @Override
    public String toString() {
        return "TelegramSettings[apiUrl=" + apiUrl + ", pacing=" + pacing + ", globalRate=" + globalRate + ", webhookUrl="
                + webhookUrl.orElse("-") + ", requireWebhookRegistered=" + requireWebhookRegistered
                + ", pollingTakesOverWebhook=" + pollingTakesOverWebhook
                + ", botToken=<redacted>, webhookSecret=<redacted>]";
    }
}
