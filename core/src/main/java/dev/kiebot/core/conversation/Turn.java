package dev.kiebot.core.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The replies and effects being collected while one event is handled. */
final class Turn {
    final long chatId;
    final String language;
    /** The message a pressed button belongs to: navigation screens replace it in place. */
    final Optional<Integer> editable;
    ChatSession session;
    final List<Reply> replies = new ArrayList<>();
    final List<Effect> effects = new ArrayList<>();

    Turn(long chatId, String language, ChatSession session, Optional<Integer> editable) {
        this.chatId = chatId;
        this.language = language;
        this.session = session;
        this.editable = editable;
    }

    /** Moves to {@code state}; new buttons get the new version. */
    long moveTo(ChatState state) {
        session = session.next(state);
        return session.version();
    }

    void send(String text, Keyboard keyboard) {
        replies.add(new Reply.SendText(chatId, text, keyboard));
    }

    /** Replaces the pressed message when there is one, else sends a new message. */
    void show(String text, Keyboard keyboard) {
        if (editable.isPresent()) {
            replies.add(new Reply.EditText(chatId, editable.get(), text, keyboard));
        } else {
            send(text, keyboard);
        }
    }

    void effect(Effect e) {
        effects.add(e);
    }

    Step step() {
        return new Step(session, replies, effects);
    }
}
