package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kiebot.postgres.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed statement's exception — and so every log line that prints it with its causes — carries neither the
 * values bound to the statement (Jdbi's default message lists them) nor the row values PostgreSQL quotes in its
 * "Detail:" (a duplicate key): those are users' prompts, names and payloads.
 */
class QuietStatementErrorsTest {
    private static final String PRIVATE = "мой секретный промпт 4242";

    @AfterEach
    void empty() {
        TestDatabase.truncateAll();
    }

    @Test
    void aDuplicateKeyNamesNeitherTheBoundValuesNorTheRow() {
        TestDatabase.jdbi().useHandle(h -> h.execute("INSERT INTO processed_updates (update_id, chat_id, payload, "
                + "recorded_at) VALUES (4242, 1, '{}', now())"));
        Throwable failure = catchThrowable(() -> TestDatabase.jdbi().useHandle(h -> h.createUpdate(
                        "INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at) "
                                + "VALUES (:id, 1, :payload, now())")
                .bind("id", 4242L)
                .bind("payload", PRIVATE)
                .execute()));
        assertThat(failure).isNotNull();
        String everything = withCauses(failure);
        assertThat(everything).contains("processed_updates").contains("duplicate key");
        assertThat(everything).doesNotContain(PRIVATE).doesNotContain("4242");
    }

    private static String withCauses(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
