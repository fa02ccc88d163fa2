/**
 * Pacing rules as pure values: {@code TokenBucket} (the state a store keeps), {@code ChatPacing} (how fast one
 * chat may receive messages) and {@code BotPacing} (how fast the whole bot may send: Telegram's global rate, kept in
 * memory per process, so give each of N processes 1/N of it). {@code dev.kiebot.core.intake.AdmissionPolicy} uses
 * the same bucket for the per-user inbound limit.
 *
 * <p>For a partner: {@code Shop.Builder.chatPacing} and {@code botPacing} when your platform is not Telegram
 * (the defaults are Telegram's); your {@code Messenger} does not pace again. {@code TokenBucket} is what a
 * {@code PendingReplies} or {@code Admissions} store keeps for a chat or a user.
 */
package dev.kiebot.core.pacing;
