package dev.kiebot.core.reply;

/**
 * Sends replies to Telegram (port). Core paces what it sends before calling {@link #send} (each chat by the
 * {@code ChatPacing}, the whole bot by the {@code BotPacing} given to {@code Shop.Builder}), so an implementation
 * need not pace those again: a second pace makes every reply wait twice, the second time holding a sender thread.
 * Implementations honour a 429's {@code retry_after} (the platform may still ask, e.g. with several processes),
 * treat "message is not modified" as success and never throw for delivery problems.
 */
public interface Messenger {
    /**
     * Makes one Bot API call for {@code reply}. Called outside any transaction, on the shop's sender threads
     * ({@code ShopWork}'s, or a runner's own), on the {@code Shop.Builder.answers} executor for answers to button
     * presses, and by the broadcaster; so it must be safe to call from several threads at once. A
     * {@link Reply.SendText} with a {@link Reply.SendText#topic() topic} is posted in that forum topic
     * ({@code message_thread_id}).
     *
     * @return what happened, never {@code null}; a delivery problem is a {@link Delivery.Failed} (it surely did not
     *         arrive: it may be sent again), a {@link Delivery.Uncertain} (it may have arrived: it is not sent
     *         again) or a {@link Delivery.Blocked} (403: the user is marked inactive), never an exception. What the
     *         method throws is taken for a failure of the shop: the reply stays queued and is tried again.
     */
    Delivery send(Reply reply);
}
