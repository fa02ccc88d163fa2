package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.request.RefundStarPayment;
import com.pengrad.telegrambot.response.BaseResponse;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.payments.StarsRefunds;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link StarsRefunds} on the Bot API's {@code refundStarPayment}. The call is idempotent at Telegram (a
 * second refund of a charge answers {@code CHARGE_ALREADY_REFUNDED}, which counts as done), so {@link ApiCaller}
 * retries it also when a connection dropped after the request left: the retry tells what happened. Never throws:
 * only what surely never reached Telegram is {@link StarsRefundResult.Failed} (which gives the balance back), anything
 * else that is not an answer {@link StarsRefundResult.Unknown}.
 */
public final class TelegramStarsRefunds implements StarsRefunds {
    private static final Logger log = LoggerFactory.getLogger(TelegramStarsRefunds.class);
    static final String ALREADY_REFUNDED = "CHARGE_ALREADY_REFUNDED";
    /** Telegram's word for a charge id it does not know as a payment of this user to this bot. */
    static final String CHARGE_NOT_FOUND = "CHARGE_NOT_FOUND";

    private final ApiCaller api;
    private final String token;

    public TelegramStarsRefunds(TelegramBot bot) {
        this(bot, ApiCaller.Policy.defaults(), OutboundLimiter.Ticker.SYSTEM);
    }

    TelegramStarsRefunds(TelegramBot bot, ApiCaller.Policy policy, OutboundLimiter.Ticker ticker) {
        Objects.requireNonNull(bot, "bot");
        this.api = new ApiCaller(bot, policy, ticker);
        this.token = bot.getToken();
    }

    @Override
    public StarsRefundResult refund(long userId, String chargeId) {
        RefundStarPayment request;
        try {
            request = new RefundStarPayment(userId, chargeId);
        } catch (RuntimeException e) {
            // nothing has gone yet: surely not refunded
            String why = Redaction.describe(e, token);
            log.error("Stars refund for user {} could not be asked: {}", Actor.mask(userId), why);
            return new StarsRefundResult.Failed("unexpected error: " + why);
        }
        try {
            ApiCaller.Outcome<BaseResponse> o = api.call(request, true, ApiCaller.ServerErrors.MAY_FOLLOW_WORK, null);
            if (o.ok()) {
                log.info("refunded a Stars payment of user {}", Actor.mask(userId));
                return new StarsRefundResult.Refunded();
            }
            if (o.kind() == ApiCaller.Kind.API_ERROR
                    && o.description().toUpperCase(Locale.ROOT).contains(ALREADY_REFUNDED)) {
                log.info("a Stars payment of user {} was already refunded", Actor.mask(userId));
                return new StarsRefundResult.AlreadyRefunded();
            }
            String reason = Redaction.redact(o.reason("refundStarPayment"), token);
            if (o.tokenRefused()) {
                // nothing moved: the admin is told to put the token right and press again, not "401 Unauthorized"
                log.error("Telegram refused the bot token ({}) on refundStarPayment for user {}: no Stars went back; "
                        + "a token revoked in @BotFather: restart the bot with the new one, then ask again",
                        o.errorCode(), Actor.mask(userId));
                return new StarsRefundResult.Failed(reason, true);
            }
            // a 5xx counts as unknown here: a proxy's 502 can follow a refund done behind it, and taken as a refusal
            // it gives the money back to a payer who has the Stars too; unknown only keeps the hold a while longer.
            // A 5xx before a last try that never got through counts the same (ApiCaller's MAY_FOLLOW_WORK).
            boolean refused = o.surelyNotDone() && o.kind() != ApiCaller.Kind.SERVER_ERROR;
            if (refused && o.kind() == ApiCaller.Kind.API_ERROR
                    && o.description().toUpperCase(Locale.ROOT).contains(CHARGE_NOT_FOUND)) {
                // «failed: 400 CHARGE_NOT_FOUND» alone said neither what Telegram meant nor what to do about it
                log.warn("Stars refund for user {} refused: {}: Telegram knows no such payment to this bot from this "
                        + "user: the charge id is another bot's (paid to a bot with another token), another user's, or "
                        + "mistyped (one refunded already answers {}, taken as done). No Stars went back and nothing "
                        + "is taken from the user's balance. Check the charge id against the payment (/find) "
                        + "and ask again with the right one; nothing to do when it was not this bot's",
                        Actor.mask(userId), reason, ALREADY_REFUNDED);
            } else if (refused) {
                log.warn("Stars refund for user {} failed: {}: no Stars went back and nothing is taken from the user's "
                        + "balance; the admin who asked is told and may ask again", Actor.mask(userId), reason);
            } else {
                log.warn("Stars refund for user {} failed: {}: it may have been done all the same, so the balance "
                        + "stays held until Telegram's report of the refund or the hold's end; nothing to do now",
                        Actor.mask(userId), reason);
            }
            return refused ? new StarsRefundResult.Failed(reason) : new StarsRefundResult.Unknown(reason);
        } catch (RuntimeException e) {
            // thrown while trying (between attempts) or reading the answer: a try may have reached Telegram and the
            // Stars be back, so the hold stays for Telegram's report of the refund or its deadline; taken for a
            // refusal, the balance went back too
            String why = Redaction.describe(e, token);
            log.error("Stars refund for user {} failed unexpectedly, it may have been done: {}", Actor.mask(userId),
                    why);
            return new StarsRefundResult.Unknown("unexpected error, the refund may have been done: " + why);
        }
    }
}
