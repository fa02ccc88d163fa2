/**
 * Test fixtures published in this module's test-jar: {@link dev.kiebot.telegram.fake.FakeTelegramServer}, a
 * Bot API server on 127.0.0.1 speaking the real wire format, and {@link dev.kiebot.telegram.fake.FakeUpdates},
 * realistic update JSON for webhooks and getUpdates.
 *
 * <pre>{@code
 * try (FakeTelegramServer tg = FakeTelegramServer.start()) {
 *     // point the app at it: TELEGRAM_API_URL = tg.apiUrl(), BOT_TOKEN = tg.token()
 *     tg.enqueue(tg.updates().command(42, "start", ""));                  // polling runner
 *     // or: tg.deliverToWebhook(tg.updates().command(42, "start", ""));  // webhook runner
 *     Call menu = tg.awaitCall("sendMessage", c -> c.chatId() == 42, Duration.ofSeconds(5));
 *     tg.enqueue(tg.updates().callback(42, menu.messageId().orElseThrow(), menu.callbackData("Images").orElseThrow()));
 *     tg.awaitCall("answerCallbackQuery", c -> true, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
package dev.kiebot.telegram.fake;
