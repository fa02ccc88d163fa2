package dev.kiebot.core.payments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Top-ups paid outside Telegram (a card transfer or SBP by phone) and confirmed by an admin. Offered only
 * when a card or a phone is set: Telegram's rules want digital goods paid in Stars, so an operator turns this
 * on knowingly.
 *
 * @param card        card number shown to the user (PAYMENT_CARD)
 * @param phone       phone for SBP transfers (PAYMENT_PHONE)
 * @param bank        bank name (PAYMENT_BANK)
 * @param cardHolder  the card holder's name (PAYMENT_CARD_HOLDER)
 * @param minAmount   smallest request in minor units (PAYMENT_MIN_RUB)
 * @param maxAmount   largest request in minor units (PAYMENT_MAX_RUB)
 * @param expireAfter an unconfirmed request expires after this (PAYMENT_EXPIRE_HOURS)
 */
public record ManualPayments(Optional<String> card, Optional<String> phone, Optional<String> bank,
                             Optional<String> cardHolder, long minAmount, long maxAmount, Duration expireAfter) {
    /** The default smallest request: 100.00 in minor units. */
    public static final long DEFAULT_MIN = 100_00;
    /** The default largest request: 100,000.00 in minor units. */
    public static final long DEFAULT_MAX = 100_000_00;
    /** How long an unconfirmed request lasts by default. */
    @SuppressWarnings("CanonicalDuration") // 48 hours, as README and the admins' texts say it
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(48);
    /** Amounts offered as buttons (minor units), those between the minimum and the maximum. */
    static final List<Long> PRESETS = List.of(100_00L, 300_00L, 500_00L, 1_000_00L, 3_000_00L, 5_000_00L);

    /**
     * Checks the values.
     *
     * @param card        never null; empty for none
     * @param phone       never null; empty for none
     * @param bank        never null; empty for none
     * @param cardHolder  never null; empty for none
     * @param minAmount   more than 0 minor units
     * @param maxAmount   at least {@code minAmount}
     * @param expireAfter positive
     * @throws NullPointerException     for a null part
     * @throws IllegalArgumentException for an amount or expiry out of range
     */
    public ManualPayments {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(bank, "bank");
        Objects.requireNonNull(cardHolder, "cardHolder");
        Objects.requireNonNull(expireAfter, "expireAfter");
        if (minAmount <= 0 || maxAmount < minAmount || expireAfter.isNegative() || expireAfter.isZero()) {
            throw new IllegalArgumentException("ManualPayments: minAmount must be more than 0 and maxAmount at least "
                    + "minAmount (minor units; e.g. DEFAULT_MIN " + DEFAULT_MIN + ", DEFAULT_MAX " + DEFAULT_MAX
                    + "), expireAfter positive (e.g. DEFAULT_EXPIRY, " + DEFAULT_EXPIRY + "); were " + minAmount + ", "
                    + maxAmount + ", " + expireAfter);
        }
    }

    /**
     * Manual top-ups not offered.
     *
     * @return no card, no phone, the default limits
     */
    public static ManualPayments off() {
        return new ManualPayments(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MIN,
                DEFAULT_MAX, DEFAULT_EXPIRY);
    }

    /**
     * Whether card / SBP top-ups are offered.
     *
     * @return true when a card or a phone is given
     */
    public boolean enabled() {
        return card.isPresent() || phone.isPresent();
    }

    /**
     * Whether a request of this amount may be made.
     *
     * @param amount minor units
     * @return true from {@code minAmount} to {@code maxAmount}
     */
    public boolean accepts(long amount) {
        return amount >= minAmount && amount <= maxAmount;
    }

    /**
     * The amounts shown as buttons; the minimum when no preset fits.
     *
     * @return minor units, smallest first
     */
    public List<Long> presets() {
        List<Long> out = new ArrayList<>(PRESETS.stream().filter(this::accepts).toList());
        if (out.isEmpty()) {
            out.add(minAmount);
        }
        return out;
    }
}
