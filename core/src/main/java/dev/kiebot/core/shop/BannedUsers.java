package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.LongText;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.User;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a user an admin banned ({@code /ban}) may still do: what concerns money he already paid. A payment Telegram
 * reports is credited and its refund recorded (the money moved at Telegram whatever the bot thinks of him), his
 * leaving the bot is recorded (so nothing is sent to him meanwhile), {@code /paysupport} with the ticket he then
 * writes reaches the admins (his balance is still his), and a card / SBP request of his still open can be reported
 * paid («Я оплатил», then the receipt photo): the money left his bank already, and the admins decide. Anything else
 * is answered that the bot is closed to him — a button press in its pop-up, a long text Telegram sent as several
 * messages once, under its first part — and a payment he starts is declined at
 * Telegram's pre-checkout, so that no new money comes in that he could not spend. An admin is never refused: one
 * banned before his id was added to the admins' is served as an admin.
 */
final class BannedUsers {
    private final Texts texts;
    private final ChatSessions sessions;
    private final ManualTopUps manualTopUps;
    private final Set<Long> admins;

    BannedUsers(Texts texts, ChatSessions sessions, ManualTopUps manualTopUps, Set<Long> admins) {
        this.texts = texts;
        this.sessions = sessions;
        this.manualTopUps = manualTopUps;
        this.admins = admins;
    }

    /**
     * @return the only replies to send, when the user is banned and the action is not one he may still take: none for
     *         the next part of a long text whose first part got the notice
     */
    Optional<List<Reply>> refuse(User user, long chatId, Event event) {
        if (user.ban().isEmpty() || admins.contains(user.id())) {
            return Optional.empty();
        }
        Optional<ChatSession> session = sessions.load(chatId);
        if (stillServed(user, session, event)) {
            return Optional.empty();
        }
        String lang = user.language();
        String closed = texts.get(lang, Msg.BAN_ALERT);
        Reply answer;
        if (event instanceof Event.PreCheckout p) {
            answer = new Reply.AnswerPreCheckout(chatId, p.queryId(), false, Optional.of(closed));
        } else if (event instanceof Event.Callback cb) {
            answer = new Reply.AnswerCallback(chatId, cb.queryId(), Optional.of(closed), true);
        } else {
            answer = new Reply.SendText(chatId, notice(texts, lang, user.ban().get()), Keyboard.NONE);
        }
        return Optional.of(rememberNoticedText(chatId, session, event) ? List.of() : List.of(answer));
    }

    /**
     * Keeps in the chat's stored session what the next event needs to tell a long text's next part, as the
     * conversation keeps it for a screen's hint ({@link LongText.Use#NOT_ASKED}): a long text Telegram split gets the
     * notice once, under its first part, not once per part. No timer and no memory of the process: another instance,
     * or the bot after a restart, takes the next part the same. Kept for the next event only: a refused event of any
     * kind ends it. A text the conversation kept for a hint counts too, so a paste answered with the menu's hint just
     * before the ban is not answered again part by part.
     *
     * @return whether {@code event} is the next part of a long text whose first part was answered so: no reply
     */
    private boolean rememberNoticedText(long chatId, Optional<ChatSession> stored, Event event) {
        ChatSession session = stored.orElseGet(ChatSession::initial);
        Optional<LongText> before = session.longText();
        Optional<LongText> after = Optional.empty();
        boolean rest = false;
        if (event instanceof Event.Text text) {
            rest = before.filter(t -> t.use() == LongText.Use.NOT_ASKED && t.continuedBy(text)).isPresent();
            after = rest ? before.get().notAskedThen(text) : LongText.notAsked(text);
        }
        if (!after.equals(before)) {
            sessions.save(chatId, session.withLongText(after));
        }
        return rest;
    }

    /** What a banned user is told: at the ban, and when he writes. */
    static String notice(Texts texts, String lang, Ban ban) {
        return texts.get(lang, Msg.BAN_NOTICE, ban.reason().map(r -> texts.get(lang, Msg.BAN_REASON, r)).orElse(""));
    }

    private boolean stillServed(User user, Optional<ChatSession> session, Event event) {
        if (event instanceof Event.SuccessfulPayment || event instanceof Event.RefundedPayment) {
            return true;
        }
        if (event instanceof Event.MembershipChanged m) {
            return m.blocked(); // leaving is recorded; coming back is answered with the notice, not the menu
        }
        if (event instanceof Event.Command c) {
            return c.name().equals("paysupport");
        }
        if (event instanceof Event.Callback cb) {
            // «Я оплатил» of his own request, still open: not a made-up or an old one's, which would open the way for
            // the next message to pass as its receipt
            return CallbackData.parse(cb.data())
                    .filter(d -> d.named().filter(a -> a == CallbackAction.MANUAL_PAID).isPresent())
                    .filter(d -> d.arg().matches("\\d{1,18}") && ownOpenRequest(user, Long.parseLong(d.arg())))
                    .isPresent();
        }
        Optional<ChatState> state = session.map(ChatSession::state);
        if (event instanceof Event.Media media) {
            // the receipt after «Я оплатил», and the rest of the album it came in
            return state.filter(s -> s instanceof ChatState.ManualReceipt r && ownOpenRequest(user, r.requestId()))
                    .isPresent() || session.flatMap(ChatSession::receiptAlbum).filter(a -> a.has(media))
                    .filter(a -> a.requestId().isPresent() && ownOpenRequest(user, a.requestId().getAsLong()))
                    .isPresent();
        }
        // the ticket he writes after /paysupport (a text while a receipt is awaited could be taken for a job's id), and
        // the next part of a long one it opened with its first part, which he is told did not go in
        return event instanceof Event.Text text && (state.filter(s -> s instanceof ChatState.WritingTicket).isPresent()
                || session.flatMap(ChatSession::longText)
                        .filter(t -> t.use() == LongText.Use.TICKET && t.continuedBy(text)).isPresent());
    }

    private boolean ownOpenRequest(User user, long requestId) {
        return manualTopUps.find(requestId).filter(r -> r.userId() == user.id() && r.state().open()).isPresent();
    }
}
