/**
 * What the bot says and how it reaches the user: {@code Reply} (send, edit, answer a button, media, invoice),
 * {@code Keyboard} and {@code Button}, {@code Activity} (what a chat action says the bot is doing), {@code CallbackData} with the {@code CallbackAction} codes (the one
 * place they are defined), and what came of a reply ({@code Delivery}). Ports: {@code Messenger} (your chat platform; Telegram in kiebot),
 * {@code BotLinks} (the links into the bot users get; Telegram's by default), {@code FileSource} (a user's files) and
 * {@code PendingReplies} (the durable outbox every reply waits in, a chat
 * leased to one sender at a time; {@code releaseAll} for a process started as the only one). Rule: every reply of the shop leaves through
 * {@code dev.kiebot.core.shop.Outbox}.
 *
 * <p>For a partner: implement {@code Messenger} (send each {@code Reply} to your platform and say what came of it,
 * a {@code Delivery}: retry inside it, as the shop does not send a {@code Delivery.Failed} again; {@code Deferred}
 * when the platform cannot take it for longer than your retries, and the shop sends it again later (its
 * {@code Deferred.Cause} says whether the platform is in trouble or only asked a busy chat to wait); {@code Gone} for
 * media whose URL is no longer there, and a result's price goes back), {@code FileSource} and {@code PendingReplies}
 * (core-testing's {@code QueuesContract} checks it); {@code shop.outbox().send(reply)} queues a message of your own.
 */
package dev.kiebot.core.reply;
