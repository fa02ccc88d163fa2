package dev.kiebot.core.shop;

import java.util.function.Supplier;

/**
 * All-or-nothing (port): every store write made inside {@link #inOne} commits together, or none does. What
 * must happen only once the writes are durable — sending an answer to Telegram, waking another thread — is
 * registered with {@link #afterCommit}.
 */
public interface Transactions {
    /** Runs {@code work} in one transaction; joins the current one when there is one. */
    <T> T inOne(Supplier<T> work);

    /** Runs {@code action} after the current transaction commits (never if it rolls back); at once outside one. */
    void afterCommit(Runnable action);
}
