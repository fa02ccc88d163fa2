package dev.kiebot.core.reply;

/**
 * Sends replies to Telegram (port). Implementations rate-limit, honour 429 {@code retry_after},
 * treat "message is not modified" as success and never throw for delivery problems.
 */
public interface Messenger {
    Delivery send(Reply reply);
}
