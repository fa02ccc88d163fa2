package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Texts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** A ledger transfer as the admins read it, in {@code /find} and under a support ticket: one line in words. */
final class TransferWords {
    private final Stores stores;
    private final Texts texts;
    private final Pricing pricing;
    private final ShopSettings settings;

    TransferWords(Stores stores, Texts texts, Pricing pricing, ShopSettings settings) {
        this.stores = stores;
        this.texts = texts;
        this.pricing = pricing;
        this.settings = settings;
    }

    /** An instant as the admins' lines show it, in the shop's zone, to the second: «21.11.26 13:00:05». */
    static String when(Instant at, ZoneId zone) {
        return ShownTime.second(at, zone);
    }

    /**
     * When, what, how much and between which accounts, in words; the transfer's id last. The steps that settle a hold
     * (posted, returned, expired) name no accounts: they are the hold's, and «баланс → выручка» under a returned hold
     * read as money taken.
     */
    String line(String lang, Transfer t) {
        String accounts = t.pendingId().isPresent() ? ""
                : " · " + accountWords(lang, t.debit()) + " → " + accountWords(lang, t.credit());
        return when(t.createdAt(), settings.zone()) + " · " + texts.get(lang, phaseWords(t.phase())) + " · "
                + pricing.format(shownAmount(t), lang) + accounts + " (" + t.id() + ")";
    }

    /** A ledger account as an admin says it: «баланс пользователя 42», «выручка от генераций». */
    private String accountWords(String lang, AccountId account) {
        Optional<String> owner = account.walletOwner();
        if (owner.isPresent()) {
            return texts.get(lang, Msg.FIND_ACCOUNT_WALLET, owner.get());
        }
        Optional<Msg> words = account.equals(AccountId.REVENUE) ? Optional.of(Msg.FIND_ACCOUNT_REVENUE)
                : account.equals(AccountId.STARS_CLEARING) ? Optional.of(Msg.FIND_ACCOUNT_STARS)
                : account.equals(AccountId.MANUAL_CLEARING) ? Optional.of(Msg.FIND_ACCOUNT_MANUAL)
                : account.equals(AccountId.EXTERNAL_CLEARING) ? Optional.of(Msg.FIND_ACCOUNT_EXTERNAL)
                : account.equals(AccountId.PROMO_EXPENSE) ? Optional.of(Msg.FIND_ACCOUNT_PROMO)
                : Optional.empty();
        return words.map(m -> texts.get(lang, m)).orElse(account.value());
    }

    /**
     * A void or an expiry moves nothing itself (its amount is 0: what it posts): the admin sees the amount it gave
     * back, the hold's. "Returned: 0 ₽" under a refunded job would read as a refund that never happened, and
     * invite a second one by hand.
     */
    private long shownAmount(Transfer t) {
        boolean releases = t.phase() == Phase.VOID_PENDING || t.phase() == Phase.EXPIRE_PENDING;
        if (!releases || t.pendingId().isEmpty()) {
            return t.amount();
        }
        return stores.ledger().find(t.pendingId().get()).map(Transfer::amount).orElse(t.amount());
    }

    /** A transfer's phase in the admin's words; exhaustive, as {@link AdminSearch#stateWords} is. */
    static Msg phaseWords(Phase phase) {
        return switch (phase) {
            case POSTED -> Msg.ADMIN_PHASE_POSTED;
            case PENDING -> Msg.ADMIN_PHASE_PENDING;
            case POST_PENDING -> Msg.ADMIN_PHASE_POST_PENDING;
            case VOID_PENDING -> Msg.ADMIN_PHASE_VOID_PENDING;
            case EXPIRE_PENDING -> Msg.ADMIN_PHASE_EXPIRE_PENDING;
        };
    }
}
