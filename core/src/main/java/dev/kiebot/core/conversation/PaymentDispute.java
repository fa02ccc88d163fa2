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

    /**
     * The problem as written; empty or too long is asked again. Its length is told in characters as the user sees
     * them (a flag or a family emoji is one), and checked in code points, as the store keeps it (PostgreSQL's
     * {@code length}): a text of 1,600 flags was told «3200 символов», twice what its writer counted on the screen.
     */
    void written(Turn turn, String raw) {
        String text = raw.strip();
        TypedLength length = TypedLength.of(text);
        if (text.isEmpty()) {
            open(turn, go.t(turn, Msg.INPUT_EMPTY));
        } else if (length.seen() > SupportTicket.TEXT_MAX) {
            open(turn, go.t(turn, Msg.INPUT_TOO_LONG, length.seen(), SupportTicket.TEXT_MAX));
        } else if (length.counted() > SupportTicket.TEXT_MAX) {
            // short enough to the eye, too long as kept: the limit stands, and the user learns why
            open(turn, go.t(turn, Msg.TICKET_TOO_LONG_EMOJI, length.seen(), length.counted(), SupportTicket.TEXT_MAX));
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
