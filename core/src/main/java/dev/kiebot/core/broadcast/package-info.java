/**
 * Broadcasts: an admin's message to every active user as durable background work. The {@code Broadcasts}
 * port keeps drafts, the recipients fixed at confirmation and each recipient's outcome; the rule that a
 * recipient is messaged at most once lives in the store's claim. The sending itself is
 * {@code dev.kiebot.core.shop.ShopWork}'s, in batches.
 */
package dev.kiebot.core.broadcast;
