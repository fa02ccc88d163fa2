package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.conversation.Event;
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
 * writes reaches the admins (his balance is still his), and a card / SBP request he made before the ban can still be
 * reported paid («Я оплатил», then the receipt): the money left his bank already, and the admins decide. Anything else is answered that the bot is closed to him — a
 * button press in its pop-up — and a payment he starts is declined at Telegram's pre-checkout, so that no new money
 * comes in that he could not spend. An admin is never refused: one banned before his id was added to the admins' is
 * served as an admin.
 */
final class BannedUsers {
    private final Texts texts;
    private final ChatStates chatStates;
    private final Set<Long> admins;

    BannedUsers(Texts texts, ChatStates chatStates, Set<Long> admins) {
        this.texts = texts;
        this.chatStates = chatStates;
        this.admins = admins;
    }

    /** @return the only replies to send, when the user is banned and the action is not one he may still take */
    Optional<List<Reply>> refuse(User user, long chatId, Event event) {
        if (user.ban().isEmpty() || admins.contains(user.id()) || stillServed(chatId, event)) {
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
        return Optional.of(List.of(answer));
    }

    /** What a banned user is told: at the ban, and when he writes. */
    static String notice(Texts texts, String lang, Ban ban) {
        return texts.get(lang, Msg.BAN_NOTICE, ban.reason().map(r -> texts.get(lang, Msg.BAN_REASON, r)).orElse(""));
    }

    private boolean stillServed(long chatId, Event event) {
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
            return CallbackData.parse(cb.data())
                    .filter(d -> d.action().equals(CallbackAction.MANUAL_PAID.code())).isPresent();
        }
        if (!(event instanceof Event.Text) && !(event instanceof Event.Media)) {
            return false;
        }
        // the ticket he writes after /paysupport; the receipt after «Я оплатил» (a text there is asked for the photo)
        Optional<ChatState> state = chatStates.load(chatId).map(ChatSession::state);
        return state.filter(s -> s instanceof ChatState.ManualReceipt).isPresent()
                || event instanceof Event.Text && state.filter(s -> s instanceof ChatState.WritingTicket).isPresent();
    }
}
