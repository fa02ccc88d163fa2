/**
 * Broadcasts: an admin's message to every active user as durable background work. The {@code Broadcasts}
 * port keeps drafts, the recipients fixed at confirmation and each recipient's outcome; the rule that a
 * recipient is messaged at most once lives in the store's claim. The sending itself is
 * {@code dev.kiebot.core.shop.ShopWork}'s, in batches.
 *
 * <p>For a partner: implement {@code Broadcasts} in your {@code Stores} (core-testing's {@code StoresContract}
 * checks it); the other types are its values. Admins start a broadcast with {@code /broadcast}.
 */
package dev.kiebot.core.broadcast;
