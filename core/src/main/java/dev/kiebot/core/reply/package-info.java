/**
 * What the bot says and how it reaches the user: {@code Reply} (send, edit, answer a button, media, invoice),
 * {@code Keyboard} and {@code Button}, {@code CallbackData} with the {@code CallbackAction} codes (the one
 * place they are defined), and what came of a reply ({@code Delivery}). Ports: {@code Messenger} (Telegram)
 * and {@code FileSource} (a user's files). Rule: every reply of the shop leaves through
 * {@code dev.kiebot.core.shop.Outbox}.
 */
package dev.kiebot.core.reply;
