/**
 * Updates and callbacks coming in, from the door to the storefront. The ways in: {@code TelegramWebhookDoor}
 * ({@code POST /telegram}, opened only by Telegram's secret header), {@code TelegramPolling} (getUpdates rounds
 * under the PostgreSQL singleton lock, an offset confirmed only once its updates are recorded) and
 * {@code KieCallbackDoor} ({@code POST /kie/callback/<token>}: only a hint to read a task again from Kie, never
 * trusted). Each door checks its secret before it reads a body, and reads no further than its limit.
 *
 * <p>Behind the Telegram ways in, {@code UpdateInbox} only records each raw update durably, once (core's
 * {@code ProcessedUpdates}), so a webhook answers in milliseconds; {@code UpdateDispatcher}'s threads then claim,
 * handle and mark each update done in one transaction, in order per chat, across instances, answering a poison
 * update with an apology instead of blocking its chat. What an update means is core's (the storefront's
 * {@code handle}); the runtime only moves it there. Also here: the start-up calls that shape what comes in,
 * {@code WebhookRegistrar} (setWebhook in the background, with backoff) and {@code CommandMenu} (the command menu
 * per language). The runners map these to routes or a loop ({@code app-webhook}, {@code app-polling}); the
 * dispatcher's threads, and the doors' and start-up calls', are built from {@code loops}' tools.
 */
package dev.kiebot.runtime.intake;
