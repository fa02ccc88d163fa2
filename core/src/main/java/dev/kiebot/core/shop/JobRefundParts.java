package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.List;

/**
 * Where a charged job's refund went, read from the ledger for what people are shown: what reached the wallet
 * ({@code refund:<hold>}) and what went back against Stars refunds' losses ({@code refund:<hold>:<loss id>}), which the
 * user has back in Stars already. «Returned 0 ₽» was all an admin read of a refund made wholly against the loss.
 *
 * @param toWallet what reached the user's wallet, minor units
 * @param inStars  what went against the losses: the user got it with his Stars, minor units
 */
record JobRefundParts(long toWallet, long inStars) {
    /** The refund of the job charged by {@code holdId}; both zero when it was not refunded. */
    static JobRefundParts of(Ledger ledger, String holdId, long userId) {
        long wallet = ledger.find(Ledger.refundId(holdId)).filter(t -> t.credit().equals(AccountId.wallet(userId)))
                .map(Transfer::amount).orElse(0L);
        return new JobRefundParts(wallet, inStars(ledger, holdId));
    }

    /**
     * What the void of a paid job's hold gave back ({@code price}): what it owed of Stars refunds reported while the job
     * ran went to the Stars ({@code stars-held:<charge>:<hold>}, settled in the void's transaction), the rest to the
     * wallet.
     */
    static JobRefundParts ofVoid(Stores stores, String holdId, long price) {
        long toStars = stores.payments().heldRefundsOnHold(holdId).stream()
                .map(o -> HeldStarsRefunds.back(o.chargeId(), holdId).done(stores.ledger()))
                .flatMap(java.util.Optional::stream).mapToLong(Transfer::amount).sum();
        return new JobRefundParts(Math.max(0, price - toStars), Math.min(price, toStars));
    }

    /**
     * What a void of a paid job's hold still pending would give back ({@code price}): what the hold owes of Stars
     * refunds reported while the job ran goes to the Stars ({@link #ofVoid} once voided), the rest to the wallet.
     */
    static JobRefundParts ofVoidAhead(Stores stores, String holdId, long price) {
        long owed = stores.payments().heldRefundsOnHold(holdId).stream()
                .mapToLong(dev.kiebot.core.payments.HeldStarsRefund::amount).sum();
        return new JobRefundParts(Math.max(0, price - owed), Math.min(price, owed));
    }

    /**
     * The transfers that sent the job's refund back against a loss, looked up by their ids' beginning
     * ({@link HeldStarsRefunds#lossBackId}): the loss account's whole list, read once per charged line of a
     * {@code /history} page, took 35-68 ms a line at a year's 3,305 losses and grew with every Stars refund.
     */
    static List<Transfer> againstLoss(Ledger ledger, String holdId) {
        return ledger.withIdPrefix(HeldStarsRefunds.lossBackId(holdId, "")).stream()
                .filter(t -> AccountId.STARS_REFUND_LOSS.equals(t.credit())).toList();
    }

    private static long inStars(Ledger ledger, String holdId) {
        return againstLoss(ledger, holdId).stream().mapToLong(Transfer::amount).sum();
    }

    /** Whether anything came back. */
    boolean refunded() {
        return toWallet > 0 || inStars > 0;
    }

    long total() {
        return toWallet + inStars;
    }

    /** The parts in the admin's words: «25 ₽ на баланс и 50 ₽ звёздами: …», or the Stars alone. */
    String toAdmin(Texts texts, Pricing pricing, String lang) {
        return toWallet > 0 ? texts.get(lang, Msg.ADMIN_REFUND_PARTS_BOTH, pricing.format(toWallet, lang),
                pricing.format(inStars, lang)) : texts.get(lang, Msg.ADMIN_REFUND_PART_STARS,
                pricing.format(inStars, lang));
    }

    /** The parts in the user's words: what reached his balance, and what he already got in Stars. */
    String toUser(Texts texts, Pricing pricing, String lang) {
        return toWallet > 0 ? texts.get(lang, Msg.REFUND_PARTS_BOTH, pricing.format(toWallet, lang),
                pricing.format(inStars, lang)) : texts.get(lang, Msg.REFUND_PART_STARS,
                pricing.format(inStars, lang));
    }
}
