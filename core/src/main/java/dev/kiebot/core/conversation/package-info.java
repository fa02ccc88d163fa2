/**
 * The conversation as a pure function: {@code Conversation} takes a chat's {@code ChatSession}, an
 * {@code Incoming} event and read-only facts ({@code Context}) and returns a {@code Step}: the next session,
 * the replies and the {@code Effect}s for the storefront to carry out. It alone decides the next state
 * ({@code Navigation}, {@code ButtonPress}, {@code InputCollection}, {@code CardPayment} and
 * {@code PaymentDispute} are its parts); {@code Screens} and {@code PaymentScreens} only render. Port: {@code ChatStates} (persisted sessions; {@code ChatStateCodec} is their text form). Rule:
 * every state × every event gets an answer (zero silence); a press on an older screen is stale.
 */
package dev.kiebot.core.conversation;
