package dev.kiebot.postgres;

import dev.kiebot.core.conversation.ChatStates;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Each chat's session text, kept as core wrote it in a text column. */
public final class PgChatStates implements ChatStates {
    private final Jdbi jdbi;

    public PgChatStates(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Optional<String> load(long chatId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state FROM chat_states WHERE chat_id = :c")
                .bind("c", chatId)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void save(long chatId, String state) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO chat_states (chat_id, state) VALUES (:c, :s) "
                        + "ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = now()")
                .bind("c", chatId)
                .bind("s", state)
                .execute());
    }
}
