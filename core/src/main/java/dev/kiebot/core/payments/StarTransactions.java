package dev.kiebot.core.payments;

/**
 * The bot's Telegram Stars transactions as Telegram keeps them (port; the Bot API's {@code getStarTransactions}).
 * {@code /reconcile_stars} reads them to credit the payments the shop's own records lack (a database restored from a
 * backup older than them). Implementations retry what is safe to retry (a read is) and never throw.
 */
public interface StarTransactions {
    /** The most a page holds (Telegram's {@code limit}: 1-100). */
    int PAGE_MAX = 100;

    /**
     * One page of the list.
     *
     * @param offset transactions of the list to skip
     * @param limit  the most to return, 1 to {@link #PAGE_MAX}
     * @return the page, fewer than {@code limit} at the end of the list; {@link StarTransactionsRead.Failed} when it
     *         could not be read: never an exception, never {@code null}
     */
    StarTransactionsRead page(int offset, int limit);

    /**
     * For a shop that cannot read its platform's Stars transactions (none given to {@code Shop.Builder}): every read
     * fails, saying so to the admin who asked.
     *
     * @return transactions that never reach a platform
     */
    static StarTransactions none() {
        return (offset, limit) -> new StarTransactionsRead.Failed("this shop was given no way to read the platform's "
                + "Stars transactions (Shop.builder().starTransactions)");
    }
}
