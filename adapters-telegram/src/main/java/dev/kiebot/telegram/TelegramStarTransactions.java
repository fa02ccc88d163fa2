package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.model.stars.StarTransactions;
import com.pengrad.telegrambot.model.stars.partner.TransactionPartner;
import com.pengrad.telegrambot.model.stars.partner.TransactionPartnerUser;
import com.pengrad.telegrambot.request.GetStarTransactions;
import com.pengrad.telegrambot.response.GetStarTransactionsResponse;
import dev.kiebot.core.payments.StarTransaction;
import dev.kiebot.core.payments.StarTransactionsRead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link dev.kiebot.core.payments.StarTransactions} on the Bot API's {@code getStarTransactions}. A read changes
 * nothing at Telegram, so {@link ApiCaller} retries every failure it retries at all (a 429 within its patience, a 5xx,
 * a dropped connection); what is left is {@link StarTransactionsRead.Failed}. Never throws.
 */
public final class TelegramStarTransactions implements dev.kiebot.core.payments.StarTransactions {
    private static final Logger log = LoggerFactory.getLogger(TelegramStarTransactions.class);
    /** {@code TransactionPartnerUser.transaction_type} of a payment of an invoice (older servers send none). */
    static final String INVOICE_PAYMENT = "invoice_payment";

    private final ApiCaller api;
    private final String token;

    public TelegramStarTransactions(TelegramBot bot) {
        this(bot, ApiCaller.Policy.defaults(), OutboundLimiter.Ticker.SYSTEM);
    }

    TelegramStarTransactions(TelegramBot bot, ApiCaller.Policy policy, OutboundLimiter.Ticker ticker) {
        Objects.requireNonNull(bot, "bot");
        this.api = new ApiCaller(bot, policy, ticker);
        this.token = bot.getToken();
    }

    @Override
    public StarTransactionsRead page(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > PAGE_MAX) {
            return new StarTransactionsRead.Failed("getStarTransactions takes an offset from 0 and a limit of 1-"
                    + PAGE_MAX + ", not " + offset + " and " + limit);
        }
        try {
            ApiCaller.Outcome<GetStarTransactionsResponse> o = api.call(
                    new GetStarTransactions().offset(offset).limit(limit), true, null);
            if (!o.ok()) {
                String reason = Redaction.redact(o.reason("getStarTransactions"), token);
                log.warn("Stars transactions could not be read: {}", reason);
                return new StarTransactionsRead.Failed(reason);
            }
            StarTransactions result = o.response().result();
            if (result == null || result.transactions() == null) {
                return new StarTransactionsRead.Page(List.of());
            }
            List<StarTransaction> page = new ArrayList<>();
            for (com.pengrad.telegrambot.model.stars.StarTransaction t : result.transactions()) {
                of(t).ifPresent(page::add);
            }
            return new StarTransactionsRead.Page(page);
        } catch (RuntimeException e) {
            String why = Redaction.describe(e, token);
            log.error("Stars transactions could not be read: {}", why);
            return new StarTransactionsRead.Failed("unexpected error: " + why);
        }
    }

    /**
     * Core's transaction, or empty for one core has no use for: no id, or less than a whole Star (a fraction of one,
     * in nanostars, is no payment of a package).
     */
    static Optional<StarTransaction> of(com.pengrad.telegrambot.model.stars.StarTransaction t) {
        if (t == null || t.id() == null || t.id().isBlank() || t.amount() <= 0) {
            return Optional.empty();
        }
        boolean incoming = t.source() != null;
        TransactionPartner partner = incoming ? t.source() : t.receiver();
        Optional<Long> userId = Optional.empty();
        Optional<String> payload = Optional.empty();
        if (partner instanceof TransactionPartnerUser u && u.user() != null && u.user().id() != null) {
            userId = Optional.of(u.user().id());
            boolean invoice = u.transactionType() == null || INVOICE_PAYMENT.equals(u.transactionType());
            payload = invoice ? Optional.ofNullable(u.invoicePayload()) : Optional.empty();
        }
        return Optional.of(new StarTransaction(t.id(), t.amount(), Instant.ofEpochSecond(t.date()), incoming, userId,
                payload));
    }
}
