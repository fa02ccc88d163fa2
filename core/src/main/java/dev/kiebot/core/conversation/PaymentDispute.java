package dev.kiebot.core.conversation;

import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.text.Msg;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

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
     * The problem as written; empty (or of characters that show nothing, as a description) or too long is asked
     * again. Its length is told in characters as the user sees them (a flag or a family emoji is one), and checked in
     * code points, as the store keeps it (PostgreSQL's {@code length}): a text of 1,600 flags was told «3200 символов»,
     * twice what its writer counted on the screen.
     *
     * @return whether the ticket was opened
     */
    private boolean written(Turn turn, String raw, TypedLength length, Optional<Event.Media> file, Instant at) {
        String text = raw.strip();
        if (InputCollection.invisible(text)) {
            open(turn, go.t(turn, Msg.INPUT_EMPTY));
        } else if (length.seen() > SupportTicket.TEXT_MAX) {
            open(turn, go.t(turn, Msg.INPUT_TOO_LONG, length.seen(), SupportTicket.TEXT_MAX));
        } else if (length.counted() > SupportTicket.TEXT_MAX) {
            // short enough to the eye, too long as kept: the limit stands, and the user learns why
            open(turn, go.t(turn, Msg.TICKET_TOO_LONG_EMOJI, length.seen(), length.counted(), SupportTicket.TEXT_MAX));
        } else {
            turn.moveTo(new ChatState.Menu());
            turn.effect(new Effect.OpenTicket(text, file));
            // an album's first file, captioned, is the ticket: the ticket's answer speaks for the album's other files
            turn.ticket(Optional.of(new TicketJustOpened(at, file.flatMap(Event.Media::album))));
            return true;
        }
        return false;
    }

    /**
     * Message {@code typed} as the problem: {@link #written}. One long enough to be the first part of a longer text
     * ({@link LongText}) is remembered with what became of it: a text Telegram sent in parts is longer than one message,
     * so it never fits a ticket whole, and its next part is not taken as the ticket ({@link #continued}).
     */
    void typed(Turn turn, Event.Text typed, Instant at) {
        TypedLength length = TypedLength.of(typed.text().strip());
        boolean opened = written(turn, typed.text(), length, Optional.empty(), at);
        LongText.first(typed, opened ? LongText.Use.TICKET : LongText.Use.TICKET_REFUSED, "", length.seen())
                .ifPresent(turn::remember);
    }

    /**
     * The next part ({@code tail}) of a long text written for a ticket ({@code before}). Refused (too long already), it
     * is refused too, with the whole's length, and the problem asked for again: it used to become the ticket on its
     * own, the beginning lost. Taken (a ticket opened with the first part, cut by Telegram where it chose), the user
     * learns that the rest is not in it and how to add what matters: it used to be answered «use the menu».
     *
     * @return false when the chat is no longer where the text went (the problem no longer asked)
     */
    boolean continued(Turn turn, LongText before, Event.Text tail) {
        int added = TypedLength.of(tail.text().strip()).seen();
        if (before.use() == LongText.Use.TICKET) {
            go.say(turn, Msg.LONG_TICKET_CUT, added, SupportTicket.TEXT_MAX);
            if (LongText.mayBeFirstPart(tail.text())) {
                turn.remember(before.then(tail.messageId().orElseThrow(), tail.sentAt().orElseThrow(), tail.text(),
                        LongText.Use.TICKET, before.total() + added));
            }
            return true;
        }
        if (!(turn.state() instanceof ChatState.WritingTicket)) {
            return false;
        }
        int total = before.total() + added;
        open(turn, go.t(turn, Msg.LONG_TOO_LONG, total, SupportTicket.TEXT_MAX));
        if (LongText.mayBeFirstPart(tail.text())) {
            turn.remember(before.then(tail.messageId().orElseThrow(), tail.sentAt().orElseThrow(), tail.text(),
                    LongText.Use.TICKET_REFUSED, total));
        }
        return true;
    }

    /**
     * A file instead of text: its caption is the problem, and the file goes to the admins with it (a screenshot of
     * the payment: the user was told his ticket was sent and believed it was, while the admins saw the caption
     * only); without a caption the prompt comes again, which asks for the file again after the text.
     */
    void file(Turn turn, Event.Media media, Instant at) {
        if (media.caption().isPresent()) {
            String caption = media.caption().get();
            written(turn, caption, TypedLength.of(caption.strip()), Optional.of(media), at);
        } else {
            // a sticker or a voice message is no file to the user: «Здесь нужен текст, а не файл» read as a riddle. A
            // screenshot or a file sent first was dropped and never asked for again: the user learns to send it once
            // more after the text, when it goes to the ticket ({@link #fileAfter})
            open(turn, go.t(turn, attachable(media) ? Msg.NEED_TICKET_TEXT_FILE : Msg.NEED_TICKET_TEXT));
            // an album's files after its first are let go, the one answer speaking for them (three screenshots got
            // the same request three times)
            media.album().ifPresent(album -> turn.remember(new ReceiptAlbum(album, OptionalLong.empty())));
        }
    }

    /** Whether the admins can be sent {@code media} with a ticket: a photo, a file, a video or an audio. */
    private static boolean attachable(Event.Media media) {
        return switch (media.type()) {
            case PHOTO, DOCUMENT, VIDEO, AUDIO -> true;
            case VOICE, VIDEO_NOTE, STICKER, ANIMATION -> false;
        };
    }

    /**
     * A photo, a file, a video or an audio sent where the screen asks for none soon after the ticket ({@code written}):
     * the ticket's, sent on to the admins under its number (a screenshot of the problem just described). It was taken
     * for a card / SBP request's receipt, which reached the admins as one, away from the ticket it explains. An
     * album's files after its first go there without a word.
     *
     * @return false when the file is none the admins can be sent (a sticker, a voice message): answered as elsewhere
     */
    boolean fileAfter(Turn turn, TicketJustOpened written, Event.Media media) {
        if (!attachable(media)) {
            return false;
        }
        turn.effect(new Effect.AddToTicket(media, written.answeredAlbum(media)));
        media.album().ifPresent(album -> turn.ticket(Optional.of(new TicketJustOpened(written.at(),
                Optional.of(album)))));
        return true;
    }
}
