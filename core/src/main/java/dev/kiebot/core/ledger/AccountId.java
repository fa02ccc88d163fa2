package dev.kiebot.core.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * A ledger account. User wallets are {@code wallet:<userId>} and may never have a negative
 * available balance; system accounts are fixed names and are not limited.
 *
 * @param value the account's name, 1-64 characters ({@code wallet:<userId>}, {@code revenue:generation}, ...)
 */
public record AccountId(String value) {
    /** Income from generations (credit-normal). */
    public static final AccountId REVENUE = new AccountId("revenue:generation");
    /** Stars owed by Telegram for top-ups (debit-normal asset). */
    public static final AccountId STARS_CLEARING = new AccountId("clearing:stars");
    /** Money received outside Telegram and confirmed by an admin (debit-normal asset). */
    public static final AccountId MANUAL_CLEARING = new AccountId("clearing:manual");
    /**
     * Money the partner's own payment provider took and reported through {@code ExternalTopUps} (debit-normal asset:
     * owed by that provider until it pays out). Apart from the manual one, so that what the partner's provider owes
     * is never mixed with what an admin confirmed.
     */
    public static final AccountId EXTERNAL_CLEARING = new AccountId("clearing:external");
    /** Welcome bonuses, admin grants and goodwill credits (debit-normal expense). */
    public static final AccountId PROMO_EXPENSE = new AccountId("expense:promo");
    /**
     * What Telegram gave back of Stars payments whose credit the user had spent already (debit-normal expense): the
     * shop's loss on refunds, {@link TransferKind#STARS_REFUND_LOSS}.
     */
    public static final AccountId STARS_REFUND_LOSS = new AccountId("expense:stars_refund_loss");

    private static final String WALLET_PREFIX = "wallet:";

    /**
     * Checks the name.
     *
     * @param value 1-64 characters, never null
     * @throws IllegalArgumentException for a blank value or one over 64 characters
     */
    public AccountId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 64) {
            // the value named (cut short), so that a store's row read back wrong points at itself
            throw new IllegalArgumentException("account id must be 1-64 characters, not blank; was "
                    + (value.isBlank() ? "blank" : value.length() + " characters: \"" + value.substring(0, 64) + "…\""));
        }
    }

    /**
     * A user's wallet, by his platform user id: what he tops up and generations are paid from.
     *
     * @param userId the user's id on the platform
     * @return {@code wallet:<userId>}
     */
    public static AccountId wallet(long userId) {
        return new AccountId(WALLET_PREFIX + userId);
    }

    /**
     * Wallets carry the no-negative-available rule (TigerBeetle's debits_must_not_exceed_credits).
     *
     * @return true for a user's wallet
     */
    public boolean isWallet() {
        return value.startsWith(WALLET_PREFIX);
    }

    /**
     * Whose wallet this is: the user id after {@code wallet:}; empty for a system account.
     *
     * @return the user id as text
     */
    public Optional<String> walletOwner() {
        return isWallet() ? Optional.of(value.substring(WALLET_PREFIX.length())) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
