package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;

/**
 * One line in the bot's log per money movement that comes from outside a generation: a payment credited or refunded,
 * an admin's credit or debit, a card top-up approved, an invitation bonus given or taken back; and a payment that
 * could not be credited, as a warning. The audit trail keeps them in the database; an operator also reads the log,
 * ships it elsewhere, and keeps it when the database is lost. Written after the commit: a credit rolled back never
 * happened. Logger {@code dev.kiebot.money}, so a log platform can pick these lines out; users masked, amounts as the
 * audit trail writes them.
 */
final class MoneyLog {
    private static final System.Logger LOG = System.getLogger("dev.kiebot.money");

    private MoneyLog() {
    }

    /**
     * @param what      what moved the money, e.g. "Stars payment credited", "admin ***1 debited"
     * @param minor     how much: positive into the user's wallet, negative out of it
     * @param reference what it is found by in {@code /find} (a charge id, a request's, a job's)
     */
    static void moved(Stores stores, Pricing pricing, String what, long userId, long minor, String reference) {
        String line = "money: " + what + " " + (minor < 0 ? "-" : "+") + pricing.inRecords(Math.abs(minor))
                + " for user " + Actor.mask(userId) + " (" + reference + ")";
        stores.transactions().afterCommit(() -> LOG.log(System.Logger.Level.INFO, line));
    }

    /**
     * A ledger id for the log line, its trailing user id masked: {@code referral:5550002} and
     * {@code manual:upd:17:5550001} name a friend and an admin, and a log line names nobody in full. {@code /find}
     * still finds the movement by the user it is for.
     */
    static String masked(String reference, long userId) {
        String id = ":" + userId;
        return reference.endsWith(id)
                ? reference.substring(0, reference.length() - id.length() + 1) + Actor.mask(userId)
                : reference;
    }

    /**
     * Money that went back to where it came from but could not be taken from the wallet (spent before): the shop's
     * loss, as a warning, without a sign — nothing moved on the wallet.
     */
    static void lost(Stores stores, Pricing pricing, String what, long userId, long minor, String reference) {
        String line = "money: " + what + " " + pricing.inRecords(minor) + " for user " + Actor.mask(userId) + " ("
                + reference + ")";
        stores.transactions().afterCommit(() -> LOG.log(System.Logger.Level.WARNING, line));
    }

    /** A payment that was made and not credited: the admins are alerted too; the log says it as a warning. */
    static void notCredited(Stores stores, String what, long userId, String reference) {
        String line = "money: " + what + " for user " + Actor.mask(userId) + " (" + reference + ")";
        stores.transactions().afterCommit(() -> LOG.log(System.Logger.Level.WARNING, line));
    }
}
