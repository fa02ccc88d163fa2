package dev.kiebot.postgres;

import dev.kiebot.core.conversation.ChatStates;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/** Each chat's session text, kept as core wrote it in a text column. */
public final class PgChatStates implements ChatStates {
    /**
     * The write, as a CTE: {@link #SAVE} alone, or in the done mark's statement
     * ({@link PgProcessedUpdates#doneWith}).
     */
    static final String SAVE_STEP = "saved AS (INSERT INTO chat_states (chat_id, state) VALUES (:stateChat, :state) "
            + "ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = now() RETURNING 1)";
    /** The write alone: an update, as before {@link HeldWrites}, with no row to map. */
    private static final String SAVE = "INSERT INTO chat_states (chat_id, state) VALUES (:stateChat, :state) "
            + "ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = now()";

    private final Jdbi jdbi;
    private final HeldWrites held;

    /**
     * Chat states whose {@code save} never waits for a done mark: it is written at once ({@link HeldWrites#AT_ONCE}).
     * A {@code load} still reads a state the stores {@link PgStores#create} makes hold in the thread's transaction.
     */
    public PgChatStates(Jdbi jdbi) {
        this(jdbi, HeldWrites.AT_ONCE);
    }

    /** A handling's write may wait in {@code held} for its done mark ({@link PgStores#create}: {@code HOLDING}). */
    PgChatStates(Jdbi jdbi, HeldWrites held) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.held = Objects.requireNonNull(held, "held");
    }

    @Override
    public Optional<String> load(long chatId) {
        held.send(jdbi); // a state this transaction wrote and holds is read back as written
        return jdbi.withHandle(h -> h.createQuery("SELECT state FROM chat_states WHERE chat_id = :c")
                .bind("c", chatId)
                .mapTo(String.class)
                .findOne());
    }

    /** In a handling transaction it waits for the update's done mark and goes in its statement ({@link HeldWrites}). */
    @Override
    public void save(long chatId, String state) {
        HeldWrites.ChatState write = new HeldWrites.ChatState(chatId, Objects.requireNonNull(state, "state"));
        if (!held.hold(jdbi, write)) {
            jdbi.useHandle(h -> saveNow(h, write));
        }
    }

    /** {@link #SAVE} of {@code write} on {@code h}, now. */
    static void saveNow(Handle h, HeldWrites.ChatState write) {
        bound(h.createUpdate(SAVE), write).execute();
    }

    /** {@link #SAVE_STEP}'s binds. */
    static <T extends SqlStatement<T>> T bound(T statement, HeldWrites.ChatState write) {
        return statement.bind("stateChat", write.chatId()).bind("state", write.state());
    }
}
