/**
 * Telegram Bot API adapter (pengrad java-telegram-bot-api 10.1.0).
 *
 * <ul>
 *   <li>{@link dev.kiebot.telegram.TelegramBots}: builds the pengrad bot for a token and {@code TELEGRAM_API_URL}.</li>
 *   <li>{@link dev.kiebot.telegram.UpdateTranslator}: Telegram updates (objects or raw JSON) to core {@code Incoming} events.</li>
 *   <li>{@link dev.kiebot.telegram.TelegramMessenger}: the core {@code Messenger} port (rate limits, 429, 403, media fallbacks).
 *       A media URL Telegram cannot fetch is downloaded only from the internet, unless the builder is told where the
 *       URLs come from ({@code mediaUrlsFrom}: a provider on this machine or the private network may name URLs
 *       there); otherwise its link is sent.</li>
 *   <li>{@link dev.kiebot.telegram.TelegramFileSource}: the core {@code FileSource} port (20 MB limit).</li>
 *   <li>{@link dev.kiebot.telegram.WebhookRegistration}: setWebhook/deleteWebhook/getWebhookInfo/getMe.</li>
 *   <li>{@link dev.kiebot.telegram.TokenRefusal}: the one rule for Telegram's refusal of the bot token, which the
 *       runtime's own long polling reads too.</li>
 *   <li>{@link dev.kiebot.telegram.RedirectGuard}: where a download may lead: its first URL no further inward than
 *       the place it came from ({@code forUrlsFrom}, or {@code forUrlsFromTheInternet} when that is not known), its
 *       redirects no further than the first URL (also the runtime's smoke test's download).</li>
 * </ul>
 *
 * The bot token never appears in logs, exception messages or {@code Delivery.Failed} reasons; user and chat
 * ids are logged masked to their last four digits.
 */
package dev.kiebot.telegram;
