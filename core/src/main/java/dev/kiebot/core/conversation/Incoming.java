package dev.kiebot.core.conversation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One update from the messaging platform (Telegram's, or your own platform's) as the core sees it.
 *
 * @param updateId   the platform's id of the update (Telegram's {@code update_id}): the same on every re-delivery of
 *                   it, and never given to another update, of this user or of any other: unique across the bot, as
 *                   Telegram's are. The inbox records it alone ({@code ProcessedUpdates}, not with its chat), so a
 *                   second update under a used id, whatever its chat, is dropped as a re-delivery and never answered;
 *                   and a chat's updates are handled in the order of their ids. A platform whose ids count per
 *                   conversation or per user (a message's number in its chat) maps them to ids of its own before
 *                   {@code Inbox.record}: a sequence of yours (a database sequence), taken when your door first sees
 *                   the platform's id and kept with it (a table unique on the platform's chat and id), so that a
 *                   re-delivery gets the id it got the first time. What an update does once is keyed by it with its
 *                   user's id too (an admin's {@code /topup_user} and {@code /debit_user} in the ledger, a card
 *                   request, a ticket). A platform without ids of its own needs ones that survive a restart (the
 *                   example's console uses the clock's milliseconds)
 * @param actor      who sent it, and the chat to answer in
 * @param event      what it says, translated from the platform's format ({@link Event.Unknown} for anything else)
 * @param receivedAt when it came in, when known: answers to button presses older than Telegram's window are skipped
 * @param chatKind   the kind of chat it came from, when the adapter said; absent counts as private for a user's
 *                   own chat (see {@link #chat()})
 * @param topic      the forum topic of a supergroup it was written in (Telegram's {@code message_thread_id} of a
 *                   topic message), when there is one: an answer to it belongs there, not in the General topic
 */
public record Incoming(long updateId, Actor actor, Event event, Optional<Instant> receivedAt,
                       Optional<ChatKind> chatKind, Optional<Long> topic) {
    /**
     * A missing part is the adapter's mistake, said here: found later, deep in the handling, it became an apology to
     * the user for every message they sent.
     *
     * @param updateId   the platform's id of the update, unique across the bot (not per user or chat) and the same
     *                   on re-delivery
     * @param actor      never null
     * @param event      never null
     * @param receivedAt {@code Optional.empty()} when not known
     * @param chatKind   {@code Optional.empty()} when not known
     * @param topic      {@code Optional.empty()} outside a forum topic
     * @throws NullPointerException naming the part left null, and what to give instead
     */
    public Incoming {
        Objects.requireNonNull(actor, "actor: who sent the update (an Actor)");
        Objects.requireNonNull(event, "event: what the update says (an Event; Event.Unknown for anything else)");
        Objects.requireNonNull(receivedAt, "receivedAt: Optional.empty() when not known");
        Objects.requireNonNull(chatKind, "chatKind: Optional.empty() when not known");
        Objects.requireNonNull(topic, "topic: Optional.empty() outside a forum topic");
    }

    /**
     * An update with nothing else known: a private chat's (see {@link #chat()}), time of arrival unknown.
     *
     * @param updateId the platform's id of the update, unique across the bot (not per user or chat) and the same on
     *                 re-delivery
     * @param actor    who sent it
     * @param event    what it says
     */
    public Incoming(long updateId, Actor actor, Event event) {
        this(updateId, actor, event, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * An update from no forum topic (the form before topics were carried; kept for adapters written then).
     *
     * @param updateId   the platform's id of the update
     * @param actor      who sent it
     * @param event      what it says
     * @param receivedAt {@code Optional.empty()} when not known
     * @param chatKind   {@code Optional.empty()} when not known
     */
    public Incoming(long updateId, Actor actor, Event event, Optional<Instant> receivedAt,
                    Optional<ChatKind> chatKind) {
        this(updateId, actor, event, receivedAt, chatKind, Optional.empty());
    }

    /**
     * The same update, come in {@code at} (when your door recorded it: an old button press is then not answered).
     *
     * @param at when it came in, on the shop's clock
     * @return a new update; this one is unchanged
     * @throws NullPointerException for a null {@code at}, saying what to give
     */
    public Incoming receivedAt(Instant at) {
        return new Incoming(updateId, actor, event, Optional.of(Objects.requireNonNull(at, "Incoming.receivedAt: at, "
                + "when your door recorded the update (an Inbox's translation: pending.recordedAt()); leave the call "
                + "out when not known")), chatKind, topic);
    }

    /**
     * The same update, from a chat of this kind: what an adapter that knows the chat's type reports.
     *
     * @param kind the chat's type as the platform said
     * @return a new update; this one is unchanged
     * @throws NullPointerException for a null {@code kind}, saying what to give
     */
    public Incoming in(ChatKind kind) {
        return new Incoming(updateId, actor, event, receivedAt, Optional.of(Objects.requireNonNull(kind, "Incoming.in: "
                + "kind, the chat's type as your platform said (ChatKind.PRIVATE for a user's own chat with the bot); "
                + "leave the call out when not known")), topic);
    }

    /**
     * The same update, written in this forum topic of a supergroup.
     *
     * @param threadId the topic's id (Telegram's {@code message_thread_id})
     * @return a new update; this one is unchanged
     */
    public Incoming inTopic(long threadId) {
        return new Incoming(updateId, actor, event, receivedAt, chatKind, Optional.of(threadId));
    }

    /**
     * The kind of chat the update came from. A private chat is its user's own (a Telegram private chat's id is its
     * user's id): one said to be private, or of no kind said, with another id counts as a group. Telegram always sends
     * {@code chat.type}, but a partner's adapter (and old test fixtures) may build {@code Incoming} without it or get
     * it wrong, and a group served as private would share one conversation, and its Generate button, between its
     * members.
     *
     * @return the chat's kind as the shop treats it: {@link ChatKind#PRIVATE} only for the user's own chat
     */
    public ChatKind chat() {
        ChatKind said = chatKind.orElse(ChatKind.PRIVATE);
        // a "private" chat that is not its user's own is shared by somebody else: served as a group's
        return said == ChatKind.PRIVATE && actor.chatId() != actor.userId() ? ChatKind.GROUP : said;
    }
}
