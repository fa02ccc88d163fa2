package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The state change, replies and effects being collected while one event is handled. */
final class Turn {
    final long chatId;
    /** The language replies are written in; switching the language mid-turn answers in the new one. */
    String language;
    /** The message a pressed button belongs to: navigation screens replace it in place. */
    private Optional<Long> editable;
    private ChatSession session;
    private final List<Reply> replies = new ArrayList<>();
    private final List<Effect> effects = new ArrayList<>();
    /** Where this turn's answer to a button press is, while it may still change. */
    private int answer = -1;
    /** This turn's count of the files taken so far ({@link #tally}), while a later one may replace it. */
    private Optional<Reply> tally = Optional.empty();
    /**
     * The chat's last text, when it may be the first part of a longer one: this event may be the next part. It is kept
     * for one event only: the session goes on without it unless this turn {@linkplain #remember remembers} another.
     */
    private final Optional<LongText> longText;
    /** The album whose first file the last event took as a receipt ({@link ReceiptAlbum}): kept for one event only. */
    private final Optional<ReceiptAlbum> receiptAlbum;
    /** The return welcomed back, when that was the chat's last event ({@link ChatSession#welcomedBack}); one event only. */
    private final Optional<Instant> welcomedBack;

    Turn(long chatId, String language, ChatSession session, Optional<Long> editable) {
        this.chatId = chatId;
        this.language = language;
        this.longText = session.longText();
        this.receiptAlbum = session.receiptAlbum();
        this.welcomedBack = session.welcomedBack();
        this.session = session.withLongText(Optional.empty()).withReceiptAlbum(Optional.empty())
                .withWelcomedBack(Optional.empty());
        this.editable = editable;
    }

    /** The chat's last text, when it may be the first part of a longer one (see {@link LongText}). */
    Optional<LongText> longText() {
        return longText;
    }

    /** {@code text} may be the first part of a longer one: the next event may go on with it. */
    void remember(LongText text) {
        session = session.withLongText(Optional.of(text));
    }

    /** The album whose first file the last event answered as a receipt (see {@link ReceiptAlbum}). */
    Optional<ReceiptAlbum> receiptAlbum() {
        return receiptAlbum;
    }

    /** {@code album}'s first file was answered as a receipt: the next event may be its next file. */
    void remember(ReceiptAlbum album) {
        session = session.withReceiptAlbum(Optional.of(album));
    }

    /** When the user came back and was welcomed back, when that was the chat's last event. */
    Optional<Instant> welcomedBack() {
        return welcomedBack;
    }

    /** The user came back at {@code at} and is welcomed back now: the next event may be the same return's /start. */
    void welcomedBack(Instant at) {
        session = session.withWelcomedBack(Optional.of(at));
    }

    /** The /paysupport ticket written in this chat a moment ago ({@link TicketJustOpened}), if any. */
    Optional<TicketJustOpened> ticket() {
        return session.ticket();
    }

    /** Keeps {@code written} as the ticket just written, or forgets it (empty): a file then is no longer its. */
    void ticket(Optional<TicketJustOpened> written) {
        session = session.withTicket(written);
    }

    ChatState state() {
        return session.state();
    }

    long version() {
        return session.version();
    }

    /** Moves to {@code state}; buttons shown from now on carry the new version. @return that version */
    long moveTo(ChatState state) {
        session = session.next(state);
        return session.version();
    }

    /** Changes the state with no new buttons: those shown stay good (a mark the state keeps, nothing asked anew). */
    void stay(ChatState state) {
        session = session.withState(state);
    }

    Optional<ChatState.Confirming> waitingOrder() {
        return session.waitingOrder();
    }

    /** Keeps {@code order} (or none) for the top-up the user goes to make: {@link ChatSession#waitingOrder()}. */
    void keepWaitingOrder(Optional<ChatState.Confirming> order) {
        session = session.withWaitingOrder(order);
    }

    /**
     * Drops an admin's credit or debit waiting for his press ({@link ChatSession#money()}): its buttons are then
     * answered as gone. @return the one dropped, if one waited
     */
    Optional<MoneyConfirmation> dropMoney() {
        Optional<MoneyConfirmation> waiting = session.money();
        session = session.withMoney(Optional.empty());
        return waiting;
    }

    /**
     * Takes the admin's confirmation waiting under {@code nonce} off the session, for the press to settle it: gone
     * whatever comes of the press. Any other nonce (an older one, a forged one) leaves the one waiting as it is.
     * @return the one taken, if this chat kept it
     */
    Optional<MoneyConfirmation> takeMoney(String nonce) {
        Optional<MoneyConfirmation> waiting = session.money().filter(m -> m.nonce().equals(nonce));
        if (waiting.isPresent()) {
            session = session.withMoney(Optional.empty());
        }
        return waiting;
    }

    void send(String text, Keyboard keyboard) {
        replies.add(new Reply.SendText(chatId, text, keyboard));
    }

    void send(Screen screen) {
        send(screen.text(), screen.keyboard());
    }

    /**
     * Sends {@code screen}, the count of the files taken so far («Принято: 2 фото»), in place of the count this turn
     * sent before: an album's files taken in one turn (held till its description came) are one count, not one each.
     */
    void tally(Screen screen) {
        tally.ifPresent(this::drop);
        send(screen);
        tally = Optional.of(replies.get(replies.size() - 1));
    }

    /** Drops this turn's count of files when a message came after it: the order moved on past that count. */
    void dropStaleTally() {
        if (tally.isPresent() && replies.get(replies.size() - 1) != tally.get()) {
            drop(tally.get());
        }
    }

    private void drop(Reply reply) {
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i) == reply) {
                replies.remove(i);
                if (answer > i) {
                    answer--;
                }
                break;
            }
        }
        tally = Optional.empty();
    }

    /** Replaces the pressed message when there is one, else sends a new message. */
    void show(Screen screen) {
        if (editable.isPresent()) {
            replies.add(new Reply.EditText(chatId, editable.get(), screen.text(), screen.keyboard()));
        } else {
            send(screen);
        }
    }

    /** Later screens are new messages (the pressed one stays as it is). */
    void stopEditing() {
        editable = Optional.empty();
    }

    Optional<Long> editable() {
        return editable;
    }

    /** Answers the button press now, so its spinner stops whatever comes next. */
    void answer(String queryId, Optional<String> text) {
        answer = replies.size();
        replies.add(new Reply.AnswerCallback(chatId, queryId, text, false));
    }

    /** Changes the text of this turn's answer (e.g. "starting…" for a confirmation). */
    void answerWith(String text) {
        Reply.AnswerCallback a = (Reply.AnswerCallback) replies.get(answer);
        replies.set(answer, new Reply.AnswerCallback(chatId, a.queryId(), Optional.of(text), false));
    }

    /** Takes back this turn's answer: the press turned out stale and gets another. */
    void withdrawAnswer() {
        replies.remove(answer);
        answer = -1;
    }

    /** Adds {@code line} to the end of this turn's first message, so one answer says everything. */
    void mention(String line) {
        for (int i = 0; i < replies.size(); i++) {
            Reply r = replies.get(i);
            if (r instanceof Reply.SendText t) {
                replies.set(i, new Reply.SendText(t.chatId(), t.text() + "\n\n" + line, t.keyboard(), t.topic()));
                return;
            }
            if (r instanceof Reply.EditText e) {
                replies.set(i, new Reply.EditText(e.chatId(), e.messageId(), e.text() + "\n\n" + line, e.keyboard()));
                return;
            }
        }
        send(line, Keyboard.NONE);
    }

    /**
     * Adds {@code aside} to this turn's last message, so one answer says both: its text under that message's, its
     * buttons over that message's, as the menu's answer has them ({@link Navigation#menu(Turn, String, Screen)}). With
     * no message yet, it is sent as one.
     */
    void addAside(Screen aside) {
        for (int i = replies.size() - 1; i >= 0; i--) {
            Reply r = replies.get(i);
            if (r instanceof Reply.SendText t) {
                replies.set(i, new Reply.SendText(t.chatId(), t.text() + "\n\n" + aside.text(),
                        over(aside.keyboard(), t.keyboard()), t.topic()));
                return;
            }
            if (r instanceof Reply.EditText e) {
                replies.set(i, new Reply.EditText(e.chatId(), e.messageId(), e.text() + "\n\n" + aside.text(),
                        over(aside.keyboard(), e.keyboard())));
                return;
            }
        }
        send(aside);
    }

    private static Keyboard over(Keyboard top, Keyboard below) {
        List<List<Button>> rows = new ArrayList<>(top.rows());
        rows.addAll(below.rows());
        return new Keyboard(rows);
    }

    void effect(Effect e) {
        effects.add(e);
    }

    Step step() {
        return new Step(session, replies, effects);
    }
}
