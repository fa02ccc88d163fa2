package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract cannot read through the ports: the bodies of a user's handled updates and of his dead letters
 * are forgotten; an update still to be handled keeps its body, and another chat's rows are left alone.
 */
class PgPersonalDataTest {
    private static final long U = 42;
    private static final long OTHER = 43;
    private static final String BODY = "{\"message\":{\"from\":{\"first_name\":\"Ivan\"},\"text\":\"call me\"}}";
    private final Jdbi jdbi = TestDatabase.jdbi();

    @BeforeEach
    void empty() {
        TestDatabase.truncateAll();
    }

    private void update(long id, long chat, boolean done) {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO processed_updates (update_id, chat_id, payload, recorded_at, "
                + "done_at) VALUES (:id, :chat, :body, :at, CASE WHEN :done THEN :at END)").bind("id", id)
                .bind("chat", chat).bind("body", BODY).bind("at", Sql.ts(now)).bind("done", done).execute());
    }

    private void deadLetter(long id, long chat) {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO outbox_dead_letters (id, chat_id, body, kind, queued_at, "
                + "moved_at) VALUES (:id, :chat, CAST(:body AS jsonb), 'unreadable', :at, :at)").bind("id", id)
                .bind("chat", chat).bind("body", BODY).bind("at", Sql.ts(now)).execute());
    }

    private List<String> payloads(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private void job(long id, String state, Instant at, boolean withResult) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO jobs (id, user_id, chat_id, language, model_id, sku_id, "
                        + "input_values, input_files, price, free, state, result_urls, result_kind, created_at, "
                        + "deadline, next_check_at) VALUES (:id, :u, :u, 'ru', 'm', 's', "
                        + "CAST('{\"prompt\":\"a fox\"}' AS jsonb), CAST('{\"image\":[\"file-1\"]}' AS jsonb), 100, "
                        + "false, :state, CASE WHEN :result THEN ARRAY['https://files/out.png'] END, "
                        + "CASE WHEN :result THEN 'PHOTO' END, :at, :at, :at)")
                .bind("id", id).bind("u", U).bind("state", state).bind("result", withResult).bind("at", Sql.ts(at))
                .execute());
    }

    /**
     * The retention's statements ({@code forgetOlder}): a failed job with no result keeps none (the result's URLs and
     * kind go together, V2's check), a delivered one keeps an empty list; a job still running is left whatever its
     * age; each statement takes at most the limit and only jobs not blanked yet, so a pass after the last finds none.
     */
    @Test
    void oldFinishedJobsAreBlankedALimitAtATimeAndOnceAndARunningOneIsLeft() {
        Instant old = Instant.parse("2026-10-01T10:00:00Z");
        job(1, "FAILED", old, false);
        job(2, "DELIVERED", old, true);
        job(3, "RUNNING", old, false);
        Instant cutoff = Instant.parse("2026-11-01T00:00:00Z");
        PgPersonalData data = new PgPersonalData(jdbi);

        assertThat(data.forgetOlder(cutoff, 1)).isEqualTo(1);
        assertThat(data.forgetOlder(cutoff, 10)).isEqualTo(1);
        assertThat(data.forgetOlder(cutoff, 10)).isZero();

        assertThat(payloads("SELECT id || ' ' || input_values::text || ' ' || input_files::text || ' ' "
                + "|| coalesce(array_length(result_urls, 1)::text, CASE WHEN result_urls IS NULL THEN 'none' "
                + "ELSE '0' END) FROM jobs ORDER BY id")).containsExactly("1 {} {} none", "2 {} {} 0",
                "3 {\"prompt\": \"a fox\"} {\"image\": [\"file-1\"]} none");
    }

    @Test
    void theBodiesOfHisHandledUpdatesAndDeadLettersAreForgottenAndAnUpdateToHandleKeepsItsBody() {
        update(1, U, true);
        update(2, U, false);
        update(3, OTHER, true);
        deadLetter(10, U);
        deadLetter(11, OTHER);

        new PgPersonalData(jdbi).forget(U);

        assertThat(payloads("SELECT payload FROM processed_updates ORDER BY update_id")).containsExactly("{}", BODY,
                BODY);
        assertThat(payloads("SELECT body::text FROM outbox_dead_letters ORDER BY id")).first().isEqualTo("{}");
        assertThat(payloads("SELECT body::text FROM outbox_dead_letters ORDER BY id")).element(1).asString()
                .contains("Ivan");
    }
}
