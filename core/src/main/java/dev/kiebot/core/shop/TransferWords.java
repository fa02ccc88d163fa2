package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Texts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A ledger transfer as the admins read it, in {@code /find} and under a support ticket: one line in words. */
final class TransferWords {
    /** A friend's bonus ({@code referral:<friend>}) or its taking back ({@code referral-back:}), or a part of it. */
    private static final Pattern REFERRAL_ID = Pattern.compile("referral(-back)?:(\\d+)(?:" + Referrals.PART + ".+)?",
            Pattern.DOTALL);

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
     * When, what, how much and between which accounts, in words; what the transfer is for last («возврат за gen_2»).
     * The steps that settle a hold (posted, returned, expired) name no accounts: they are the hold's, and «баланс →
     * выручка» under a returned hold read as money taken.
     */
    String line(String lang, Transfer t) {
        return line(lang, t, new HashMap<>());
    }

    /**
     * As {@link #line(String, Transfer)}, the users whose balances it names looked up once for all the lines of one
     * answer: {@code named} keeps them, by id, as said.
     */
    String line(String lang, Transfer t, Map<String, String> named) {
        String accounts = t.pendingId().isPresent() ? ""
                : " · " + accountWords(lang, t.debit(), named) + " → " + accountWords(lang, t.credit(), named);
        return when(t.createdAt(), settings.zone()) + " · " + texts.get(lang, phaseWords(t.phase())) + " · "
                + pricing.format(shownAmount(t), lang) + accounts + " (" + purpose(lang, t) + ")";
    }

    /**
     * What a transfer is for, read from its ledger id: the admin saw «(void:gen_2)», «(manual:upd:5001:1)» or
     * «(stars-refund:charge-1#2)» and had to know the ledger's keys. The job, payment or request it names stays, as
     * /find takes it; a step of a hold (post, void, expire, refund) says whether the money was paid or came back, a
     * try of a take-back ({@code ~2}) or of a Stars refund ({@code #2}) is the payment's. An id of no known form (a
     * partner's own transfer) is said by its kind, as the user's statement says it.
     */
    private String purpose(String lang, Transfer t) {
        String id = t.id();
        boolean back = false;
        for (String step : List.of(Ledger.postId(""), Ledger.voidId(""), Ledger.expireId(""), Ledger.refundId(""))) {
            if (id.startsWith(step)) {
                back = !step.equals(Ledger.postId(""));
                id = id.substring(step.length());
                break;
            }
        }
        // a job's refund sent back against a Stars refund's loss (refund:<hold>:<loss id>): the user has it in Stars,
        // and «возврат» alone, said by its kind, read as money to his balance
        int against = back ? id.indexOf(":" + StarsRefundAttempts.lossId("")) : -1;
        if (against > 0) {
            Optional<String> charge = StarsRefundAttempts.chargeOfLoss(id.substring(against + 1));
            if (charge.isPresent()) {
                return texts.get(lang, Msg.FIND_TRANSFER_JOB_BACK_STARS, id.substring(0, against), charge.get());
            }
        }
        id = Ledger.firstTryId(id);
        if (id.matches("gen_\\d{1,18}")) {
            return texts.get(lang, back ? Msg.FIND_TRANSFER_JOB_BACK : Msg.FIND_TRANSFER_JOB_PAID, id);
        }
        String starsRefund = StarsRefundAttempts.reportedId("");
        if (id.startsWith(starsRefund)) {
            return texts.get(lang, Msg.FIND_TRANSFER_STARS_REFUND,
                    id.substring(starsRefund.length()).replaceFirst("#\\d+$", ""));
        }
        Optional<String> lossOf = StarsRefundAttempts.chargeOfLoss(id);
        if (lossOf.isPresent()) {
            return texts.get(lang, Msg.FIND_TRANSFER_STARS_REFUND_LOSS, lossOf.get());
        }
        // «stars-held:»: back("", "")'s own id, «stars-held::», matched no transfer, said as «возврат звёзд» alone
        String heldBack = HeldStarsRefunds.back("", "").baseId();
        heldBack = heldBack.substring(0, heldBack.indexOf(':') + 1);
        if (id.startsWith(heldBack)) {
            // what a hold gave back of a refund reported while it ran: a Stars refund, of the charge it names
            String rest = id.substring(heldBack.length());
            return texts.get(lang, Msg.FIND_TRANSFER_STARS_REFUND, rest.substring(0, Math.max(0, rest.indexOf(':'))));
        }
        String stars = TopUps.creditId("");
        if (id.startsWith(stars)) {
            return texts.get(lang, Msg.FIND_TRANSFER_STARS, id.substring(stars.length()));
        }
        if (id.matches("manual:\\d{1,18}")) {
            return texts.get(lang, Msg.FIND_TRANSFER_MANUAL, Texts.numbered(lang, Long.parseLong(id.substring(7))));
        }
        if (id.startsWith("manual:upd:") || id.startsWith("debit:upd:")) {
            return texts.get(lang, id.startsWith("manual:") ? Msg.FIND_TRANSFER_ADMIN_CREDIT
                    : Msg.FIND_TRANSFER_ADMIN_DEBIT);
        }
        String[] external = id.split(":", 3); // external:<provider>:<payment>: a provider has no ':'
        if (external.length == 3 && (external[0].equals("external") || external[0].equals("external-refund"))) {
            return texts.get(lang, external[0].equals("external") ? Msg.FIND_TRANSFER_EXTERNAL
                    : Msg.FIND_TRANSFER_EXTERNAL_REFUND, external[2], external[1]);
        }
        // a refund of part of the friend's first top-up took its part under the refund's id, after a space; the
        // friend's id read as an admin types one (19 digits: a Discord user's, which 18 said as a mere transfer), and
        // said «ID 42» as AdminSearch.byId says a user not named (his name would be a query per line)
        Matcher referral = REFERRAL_ID.matcher(id);
        if (referral.matches() && TypedUserId.hasItsForm(referral.group(2))) {
            String friend = texts.get(lang, Msg.ADMIN_MONEY_WHO_UNKNOWN, referral.group(2));
            return texts.get(lang, referral.group(1) == null ? Msg.FIND_TRANSFER_REFERRAL
                    : Msg.FIND_TRANSFER_REFERRAL_BACK, friend);
        }
        return texts.get(lang, Msg.statement(t.kind()));
    }

    /**
     * A ledger account as an admin says it: «баланс пользователя User42 (ID 42)», «выручка от генераций». The user is
     * named as every admin screen names him ({@link AdminSearch#named}): «баланс пользователя 42» asked the admin to
     * remember whose id it was, and read as a count. A wallet of no user id (a partner's own) keeps its owner as is.
     */
    private String accountWords(String lang, AccountId account, Map<String, String> named) {
        Optional<String> owner = account.walletOwner();
        if (owner.isPresent()) {
            String who = named.computeIfAbsent(owner.get(), id -> TypedUserId.read(id)
                    .map(userId -> AdminSearch.named(texts, stores, lang, userId)).orElse(id));
            return texts.get(lang, Msg.FIND_ACCOUNT_WALLET, who);
        }
        Optional<Msg> words = account.equals(AccountId.REVENUE) ? Optional.of(Msg.FIND_ACCOUNT_REVENUE)
                : account.equals(AccountId.STARS_CLEARING) ? Optional.of(Msg.FIND_ACCOUNT_STARS)
                : account.equals(AccountId.MANUAL_CLEARING) ? Optional.of(Msg.FIND_ACCOUNT_MANUAL)
                : account.equals(AccountId.EXTERNAL_CLEARING) ? Optional.of(Msg.FIND_ACCOUNT_EXTERNAL)
                : account.equals(AccountId.PROMO_EXPENSE) ? Optional.of(Msg.FIND_ACCOUNT_PROMO)
                : account.equals(AccountId.STARS_REFUND_LOSS) ? Optional.of(Msg.FIND_ACCOUNT_STARS_LOSS)
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
