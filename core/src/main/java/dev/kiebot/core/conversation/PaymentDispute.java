package dev.kiebot.core.conversation;

import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.text.Msg;

/** /paysupport as a conversation: the prompt, then the user's next message is the problem (a ticket). */
final class PaymentDispute {
    private final Navigation go;
    private final PaymentScreens screens;

    PaymentDispute(Navigation go, PaymentScreens screens) {
        this.go = go;
        this.screens = screens;
    }

    void open(Turn turn, String prefix) {
        long v = turn.moveTo(new ChatState.WritingTicket());
        turn.show(screens.ticket(turn.language, v, prefix));
    }

    /** The problem as written; empty or too long is asked again. */
    void written(Turn turn, String raw) {
        String text = raw.strip();
        int length = text.codePointCount(0, text.length());
        if (text.isEmpty()) {
            open(turn, go.t(turn, Msg.INPUT_EMPTY));
        } else if (length > SupportTicket.TEXT_MAX) {
            open(turn, go.t(turn, Msg.INPUT_TOO_LONG, length, SupportTicket.TEXT_MAX));
        } else {
            turn.moveTo(new ChatState.Menu());
            turn.effect(new Effect.OpenTicket(text));
        }
    }

    /** A file instead of text: its caption is the problem, without one the prompt comes again. */
    void file(Turn turn, Event.Media media) {
        if (media.caption().isPresent()) {
            written(turn, media.caption().get());
        } else {
            // a sticker or a voice message is no file to the user: «Здесь нужен текст, а не файл» read as a riddle
            open(turn, go.t(turn, Msg.NEED_TICKET_TEXT));
        }
    }
}
