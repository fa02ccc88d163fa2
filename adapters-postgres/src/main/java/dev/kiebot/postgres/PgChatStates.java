package dev.kiebot.postgres;

import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatStateCodec;
import dev.kiebot.core.conversation.ChatStates;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Chat sessions as {@link ChatStateCodec} text; unreadable text loads as empty (the chat starts over). */
public final class PgChatStates implements ChatStates {
    private final Jdbi jdbi;

    public PgChatStates(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Optional<ChatSession> load(long chatId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state FROM chat_states WHERE chat_id = :c")
                .bind("c", chatId)
                .mapTo(String.class)
                .findOne())
                .flatMap(ChatStateCodec::decode);
    }

    @Override
    public void save(long chatId, ChatSession session) {
        String text = ChatStateCodec.encode(session);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO chat_states (chat_id, version, state) VALUES (:c, :v, :s) "
                        + "ON CONFLICT (chat_id) DO UPDATE SET version = excluded.version, state = excluded.state, "
                        + "updated_at = now()")
                .bind("c", chatId)
                .bind("v", session.version())
                .bind("s", text)
                .execute());
    }
}
