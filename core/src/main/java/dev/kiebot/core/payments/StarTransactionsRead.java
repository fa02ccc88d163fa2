package dev.kiebot.core.payments;

import java.util.List;
import java.util.Objects;

/** What reading a page of the bot's Stars transactions gave ({@link StarTransactions#page}). */
public sealed interface StarTransactionsRead {
    /**
     * Telegram's page.
     *
     * @param transactions as Telegram listed them; fewer than asked for at the end of the list
     */
    record Page(List<StarTransaction> transactions) implements StarTransactionsRead {
        /**
         * Copies the list.
         *
         * @param transactions never null
         */
        public Page {
            transactions = List.copyOf(Objects.requireNonNull(transactions, "transactions"));
        }
    }

    /**
     * No page: Telegram refused, kept answering 429 or 5xx, or could not be reached. Reading changes nothing, so the
     * caller may ask again later.
     *
     * @param reason for the log and the admin who asked: the platform's error, or what failed
     */
    record Failed(String reason) implements StarTransactionsRead {
        /**
         * Checks the reason.
         *
         * @param reason never null
         */
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
