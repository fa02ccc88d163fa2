package dev.kiebot.core.ledger;

/** Why money moved; reports group by it. */
public enum TransferKind {
    /** Telegram Stars {@code successful_payment}: stars clearing → wallet. */
    TOP_UP_STARS,
    /** A payment outside Telegram, confirmed by an admin: manual clearing → wallet. */
    TOP_UP_MANUAL,
    /** A payment the partner's own provider took (a card on the partner's site, say): external clearing → wallet. */
    TOP_UP_EXTERNAL,
    /** Admin grant or goodwill credit: promo expense → wallet. */
    GRANT,
    /** The one-time welcome bonus: promo expense → wallet. */
    WELCOME_BONUS,
    /**
     * The inviter's share of a friend's first paid top-up (the friend came by his invitation link): promo expense →
     * the inviter's wallet, once per friend.
     */
    REFERRAL_BONUS,
    /**
     * A {@link #REFERRAL_BONUS} taken back because the payment that earned it went back to the friend (a refund, a
     * chargeback), or an admin took money of his back (a debit): the inviter's wallet → promo expense, as much of the
     * bonus as the wallet still holds, once.
     */
    REFERRAL_REVERSAL,
    /** A paid generation: hold wallet → revenue, then post or void. */
    GENERATION,
    /** Money returned to the user outside a hold (admin refund): revenue → wallet. */
    REFUND,
    /** Stars refunded to the user: wallet → stars clearing. */
    STARS_REFUND,
    /**
     * An admin takes money off a wallet ({@code /debit_user}: a top-up credited by mistake, a card payment the bank
     * took back): wallet → manual clearing.
     */
    DEBIT_MANUAL,
    /**
     * A refund or chargeback of a {@link #TOP_UP_EXTERNAL} payment the partner's provider reported: what was left of
     * it in the wallet → external clearing.
     */
    EXTERNAL_REFUND,
    /**
     * A balance carried over from an earlier bot by the operator's {@code import-balances}: manual clearing → wallet.
     * The earlier bot was paid that money, not this shop: it is no paid top-up (it earns no inviter his bonus, and
     * does not take the place of the friend's first payment), nor money received in the dashboard or {@code /export}.
     */
    CARRIED_OVER,
    /**
     * The part of a Stars payment Telegram refunded that its wallet no longer held (spent, or held by a running
     * generation): the shop's loss, stars refund loss → stars clearing, once per charge. With what was taken back
     * ({@link #STARS_REFUND}) it gives back to the Stars clearing account the whole charge that went back to the user.
     */
    STARS_REFUND_LOSS
}
