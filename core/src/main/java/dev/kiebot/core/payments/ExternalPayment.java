package dev.kiebot.core.payments;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A payment your own payment provider took for a user's balance (Stripe, YooKassa, your shop's site), as you report
 * it to {@code shop.externalTopUps().credit(...)} once you have verified the provider's notification. It is known by
 * {@link #provider} and {@link #paymentId} together: reported again (a webhook retried, a restart), it credits
 * nothing more.
 *
 * <p>Each wrong value is refused here, at construction, with an {@link IllegalArgumentException} (a {@code null}, a
 * {@link NullPointerException}) that names it and says what to give: such a payment cannot be credited however often
 * it is reported, so it is your code to fix, not a result to handle.
 *
 * @param provider  your name of the provider that took the money: 1-32 latin letters, digits, {@code .}, {@code _} or
 *                  {@code -} ({@code "stripe"}); kept in lower case, so {@code "Stripe"} is the same provider
 * @param paymentId the provider's id of this payment, the same in every notification of it ({@code "pi_3Nx..."}):
 *                  1-128 characters, no spaces or control characters; the user sees it in {@code /payments}
 * @param userId    the buyer's user id on your messaging platform, as your updates give it ({@code Actor.userId}),
 *                  whose wallet gets the money
 * @param amount    what the wallet gets, in minor units of the shop's currency (cents or kopecks: 500.00 is
 *                  {@code 50_000}), 1 to {@link #MAX_AMOUNT}
 * @param currency  the ISO 4217 code the provider reported the payment in ({@code "USD"}; kept in upper case), or
 *                  empty when you know it is the shop's: {@code credit} refuses a payment in another currency, so give
 *                  it whenever your provider takes more than one ({@link #in(String)})
 */
public record ExternalPayment(String provider, String paymentId, long userId, long amount, Optional<String> currency) {
    /** 1,000,000.00 in minor units: above any one top-up, so that an amount given in the wrong unit is refused. */
    public static final long MAX_AMOUNT = 100_000_000L;
    /** The longest provider name, in characters of {@code a-z 0-9 . _ -}. */
    public static final int MAX_PROVIDER_LENGTH = 32;
    /** The longest payment id, in characters. */
    public static final int MAX_PAYMENT_ID_LENGTH = 128;

    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9._-]{1," + MAX_PROVIDER_LENGTH + "}");
    private static final Pattern PAYMENT_ID = Pattern.compile("[\\p{Graph}\\p{L}\\p{N}\\p{P}\\p{S}]{1,"
            + MAX_PAYMENT_ID_LENGTH + "}");
    /** What a message quotes of a wrong value: enough to find it, never a whole pasted notification. */
    private static final int QUOTED = 40;

    /**
     * Checks every value (see the record's description for each) and keeps the provider in lower case.
     *
     * @param provider  1-32 of {@code a-z 0-9 . _ -}, read without case
     * @param paymentId 1-128 characters without spaces or control characters
     * @param userId    above 0
     * @param amount    1 to {@link #MAX_AMOUNT} minor units
     * @param currency  the provider's ISO code, 3 latin letters read without case; empty for the shop's
     * @throws NullPointerException     for a null provider, payment id or currency, naming it
     * @throws IllegalArgumentException for any other wrong value, naming it and what to give
     */
    public ExternalPayment {
        provider = checkedProvider(provider);
        Objects.requireNonNull(currency, "currency: Optional.empty() for the shop's own, or the provider's ISO code");
        currency = currency.map(ExternalPayment::checkedCurrency);
        checkPaymentId(paymentId);
        checkUserId(userId);
        if (amount <= 0) {
            throw new IllegalArgumentException("amount " + amount + " must be positive, in minor units of the shop's "
                    + "currency (cents or kopecks: 500.00 is 50000); a refund is not a negative payment: report it "
                    + "with ExternalTopUps.refunded");
        }
        if (amount > MAX_AMOUNT) {
            throw new IllegalArgumentException("amount " + amount + " is above ExternalPayment.MAX_AMOUNT ("
                    + MAX_AMOUNT + " minor units, 1,000,000.00): is it in the wrong unit? 500.00 (dollars, rubles) is "
                    + "50000");
        }
    }

    /**
     * A payment whose currency is not said: {@code credit} takes it to be in the shop's. A provider that takes more
     * than one currency (Stripe) says which, with {@link #in(String)}.
     *
     * @param provider  1-32 of {@code a-z 0-9 . _ -}, read without case
     * @param paymentId 1-128 characters without spaces or control characters
     * @param userId    above 0
     * @param amount    1 to {@link #MAX_AMOUNT} minor units of the shop's currency
     */
    public ExternalPayment(String provider, String paymentId, long userId, long amount) {
        this(provider, paymentId, userId, amount, Optional.empty());
    }

    /**
     * This payment, as the provider reported its currency: {@code shop.externalTopUps().credit} refuses it unless it
     * is the shop's ({@code Pricing.currency()}), so that 500 RUB never credits $500 in a dollar shop.
     *
     * @param isoCode the provider's currency code, 3 latin letters, read without case ({@code "usd"} is USD)
     * @return the same payment with its currency
     * @throws IllegalArgumentException when it is not 3 latin letters
     */
    public ExternalPayment in(String isoCode) {
        return new ExternalPayment(provider, paymentId, userId, amount, Optional.of(isoCode));
    }

    /** The ISO code as kept (upper case), or why it cannot be one; an {@link ExternalRefund}'s too. */
    static String checkedCurrency(String code) {
        Objects.requireNonNull(code, "currency: the provider's ISO 4217 code, e.g. \"USD\"");
        String kept = code.trim().toUpperCase(Locale.ROOT);
        if (!kept.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency " + quote(code) + " must be an ISO 4217 code of 3 latin "
                    + "letters, as your provider reports it (e.g. \"USD\", \"rub\")");
        }
        return kept;
    }

    /** The provider's name as kept (lower case), or why it cannot be one; an {@link ExternalRefund}'s too. */
    static String checkedProvider(String provider) {
        Objects.requireNonNull(provider, "provider: name your payment provider, e.g. \"stripe\"");
        String kept = provider.toLowerCase(Locale.ROOT);
        if (!PROVIDER.matcher(kept).matches()) {
            throw new IllegalArgumentException("provider " + quote(kept) + " must be 1-" + MAX_PROVIDER_LENGTH
                    + " latin letters, digits, '.', '_' or '-', the same for every payment of that provider "
                    + "(e.g. \"stripe\", \"yookassa\")");
        }
        return kept;
    }

    static void checkPaymentId(String paymentId) {
        Objects.requireNonNull(paymentId, "paymentId: give the provider's id of the payment");
        if (!PAYMENT_ID.matcher(paymentId).matches()) {
            throw new IllegalArgumentException("paymentId " + quote(paymentId) + " must be 1-" + MAX_PAYMENT_ID_LENGTH
                    + " characters without spaces or control characters: the provider's own id of this payment, the "
                    + "same in every notification of it (a repeated notification then counts once)");
        }
    }

    static void checkUserId(long userId) {
        if (userId <= 0) {
            throw new IllegalArgumentException("userId " + userId + " must be the buyer's user id on your platform (a "
                    + "positive number, as its updates give it: on Telegram the id of their private chat with the bot), not a "
                    + "group's chat id");
        }
    }

    /**
     * The ledger id of this payment's credit, which makes it happen once: one prefix for every provider, and no
     * {@code :} in a provider's name, so two providers' ids never meet.
     *
     * @return {@code external:<provider>:<paymentId>}
     */
    public String creditId() {
        return creditId(provider, paymentId);
    }

    /**
     * {@link #creditId()} of the payment with this provider (as kept: in lower case) and id, whether or not there is
     * one: to look a payment up by its ids (its credit in the ledger, its audit lines).
     *
     * @param provider  the provider, in lower case
     * @param paymentId the provider's id of the payment
     * @return {@code external:<provider>:<paymentId>}
     */
    public static String creditId(String provider, String paymentId) {
        return "external:" + provider + ":" + paymentId;
    }

    private static String quote(String value) {
        String shown = value.length() <= QUOTED ? value : value.substring(0, QUOTED) + "…";
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
