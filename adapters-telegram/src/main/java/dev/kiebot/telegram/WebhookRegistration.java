package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.model.User;
import com.pengrad.telegrambot.model.WebhookInfo;
import com.pengrad.telegrambot.request.DeleteWebhook;
import com.pengrad.telegrambot.request.GetMe;
import com.pengrad.telegrambot.request.GetWebhookInfo;
import com.pengrad.telegrambot.request.SetWebhook;
import com.pengrad.telegrambot.response.BaseResponse;
import com.pengrad.telegrambot.response.GetMeResponse;
import com.pengrad.telegrambot.response.GetWebhookInfoResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Thin, never-throwing wrappers around {@code setWebhook}, {@code deleteWebhook}, {@code getWebhookInfo}
 * and {@code getMe}. Retrying (with backoff) is the caller's business; a 429 is waited out here
 * once at most, network errors are retried briefly because these calls are idempotent.
 */
public final class WebhookRegistration {
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    /** The API's verdict; {@code description} is Telegram's text or a token-free error. */
    public record Result(boolean ok, String description) {
    }

    /** What {@code getMe} says about the bot. */
    public record BotIdentity(long id, String username, String firstName) {
    }

    /**
     * The interesting part of {@code getWebhookInfo}.
     *
     * @param url                the webhook's address, empty when none is set
     * @param pendingUpdateCount the updates waiting to be delivered
     * @param lastErrorMessage   Telegram's last error delivering one, if any
     * @param allowedUpdates     the update types asked for, an unmodifiable copy
     */
    public record WebhookStatus(String url, int pendingUpdateCount, Optional<String> lastErrorMessage,
                                List<String> allowedUpdates) {
        /** Copies the update types, so the caller's list may change afterwards. */
        public WebhookStatus {
            allowedUpdates = List.copyOf(allowedUpdates);
        }
    }

    private final ApiCaller api;

    public WebhookRegistration(TelegramBot bot) {
        this.api = new ApiCaller(bot, new ApiCaller.Policy(Duration.ofSeconds(10), 1, Duration.ofSeconds(1), Duration.ofMillis(300)),
                OutboundLimiter.Ticker.SYSTEM);
    }

    /**
     * Registers the webhook.
     *
     * @param secretToken    sent back by Telegram in {@code X-Telegram-Bot-Api-Secret-Token}; 1-256 of {@code A-Za-z0-9_-}
     * @param allowedUpdates e.g. {@code message, edited_message, callback_query, pre_checkout_query, my_chat_member}
     */
    public Result setWebhook(String url, String secretToken, List<String> allowedUpdates) {
        Objects.requireNonNull(url, "url");
        if (secretToken == null || !SECRET.matcher(secretToken).matches()) {
            return new Result(false, "the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
        }
        SetWebhook req = new SetWebhook().url(url).secretToken(secretToken);
        if (allowedUpdates != null) {
            req.allowedUpdates(allowedUpdates.toArray(new String[0]));
        }
        return result(api.call(req, true, null), "setWebhook");
    }

    public Result deleteWebhook() {
        return deleteWebhook(false);
    }

    public Result deleteWebhook(boolean dropPendingUpdates) {
        return result(api.call(new DeleteWebhook().dropPendingUpdates(dropPendingUpdates), true, null), "deleteWebhook");
    }

    /** What {@code getMe} answered: who the bot is, that the token was refused, or nothing usable. */
    public sealed interface Me {
        /** Telegram knows the bot. */
        record Known(BotIdentity identity) implements Me {
        }

        /**
         * Telegram refused the token itself: 401 for a token it does not know (revoked in @BotFather, a typo in its
         * secret part), 404 for one not even of a token's shape. No retry can change that answer.
         */
        record TokenRefused(int code) implements Me {
        }

        /** Telegram could not be asked, or answered something else; {@code reason} is token-free. */
        record Unknown(String reason) implements Me {
        }
    }

    /** Asks {@code getMe}, telling a refused token apart from a Telegram that cannot be asked. Never throws. */
    public Me whoAmI() {
        ApiCaller.Outcome<GetMeResponse> o = api.call(new GetMe(), true, null);
        if (o.tokenRefused()) {
            return new Me.TokenRefused(o.errorCode());
        }
        if (!o.ok()) {
            return new Me.Unknown(Redaction.redact(o.reason("getMe"), api.token()));
        }
        if (o.response().user() == null) {
            return new Me.Unknown("getMe answered without the bot's user");
        }
        User u = o.response().user();
        return new Me.Known(new BotIdentity(u.id() == null ? 0 : u.id(), u.username() == null ? "" : u.username(),
                u.firstName() == null ? "" : u.firstName()));
    }

    /** The bot's identity, empty when Telegram cannot be asked or refuses the token. */
    public Optional<BotIdentity> getMe() {
        return whoAmI() instanceof Me.Known known ? Optional.of(known.identity()) : Optional.empty();
    }

    /** What {@code getWebhookInfo} answered: the registration, that the token was refused, or nothing usable. */
    public sealed interface WebhookLook {
        /** Telegram told the webhook's registration. */
        record Found(WebhookStatus status) implements WebhookLook {
        }

        /** Telegram refused the bot token itself ({@link Me.TokenRefused}): revoked, or replaced in @BotFather. */
        record TokenRefused(int code) implements WebhookLook {
        }

        /** Telegram could not be asked, or answered something else; {@code reason} is token-free. */
        record Unknown(String reason) implements WebhookLook {
        }
    }

    /** The current webhook registration, empty when Telegram cannot be asked (or refuses the token). */
    public Optional<WebhookStatus> getWebhookInfo() {
        return lookAtWebhook() instanceof WebhookLook.Found found ? Optional.of(found.status()) : Optional.empty();
    }

    /**
     * Asks {@code getWebhookInfo}, telling a refused token apart from a Telegram that cannot be asked: an incident
     * drill found a token revoked in @BotFather read as "Telegram did not answer" at every look, the bot silent and
     * /readyz 200. Never throws.
     */
    public WebhookLook lookAtWebhook() {
        ApiCaller.Outcome<GetWebhookInfoResponse> o = api.call(new GetWebhookInfo(), true, null);
        if (o.tokenRefused()) {
            return new WebhookLook.TokenRefused(o.errorCode());
        }
        if (!o.ok()) {
            return new WebhookLook.Unknown(Redaction.redact(o.reason("getWebhookInfo"), api.token()));
        }
        if (o.response().webhookInfo() == null) {
            return new WebhookLook.Unknown("getWebhookInfo answered without the webhook's information");
        }
        WebhookInfo w = o.response().webhookInfo();
        return new WebhookLook.Found(new WebhookStatus(w.url() == null ? "" : w.url(),
                w.pendingUpdateCount() == null ? 0 : w.pendingUpdateCount(),
                Optional.ofNullable(w.lastErrorMessage()).filter(s -> !s.isBlank()),
                w.allowedUpdates() == null ? List.of() : List.of(w.allowedUpdates())));
    }

    private Result result(ApiCaller.Outcome<BaseResponse> o, String method) {
        if (o.ok()) {
            return new Result(true, o.description());
        }
        return new Result(false, Redaction.redact(o.reason(method), api.token()));
    }
}
