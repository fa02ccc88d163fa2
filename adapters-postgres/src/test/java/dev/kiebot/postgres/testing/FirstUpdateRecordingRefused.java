package dev.kiebot.postgres.testing;

import org.jdbi.v3.core.Jdbi;

/**
 * The test database refuses the first update recorded in {@code processed_updates} from now on, as if it were
 * briefly down, and counts the attempts; closing it puts the database back as it was.
 *
 * <pre>{@code
 * try (FirstUpdateRecordingRefused refused = FirstUpdateRecordingRefused.install()) {
 *     // deliver an update: its first recording fails, a later one succeeds
 *     assertThat(refused.attempts()).isEqualTo(2);
 * }
 * }</pre>
 */
public final class FirstUpdateRecordingRefused implements AutoCloseable {
    private final Jdbi db;

    private FirstUpdateRecordingRefused(Jdbi db) {
        this.db = db;
    }

    /** From now on, on the shared test database. */
    public static FirstUpdateRecordingRefused install() {
        Jdbi db = TestDatabase.jdbi();
        db.useHandle(h -> {
            h.execute("CREATE SEQUENCE test_record_attempts");
            h.execute("CREATE FUNCTION test_fail_first_record() RETURNS trigger AS $$ BEGIN "
                    + "IF nextval('test_record_attempts') = 1 THEN RAISE EXCEPTION 'injected: database down'; END IF; "
                    + "RETURN NEW; END $$ LANGUAGE plpgsql");
            h.execute("CREATE TRIGGER test_fail_first_record BEFORE INSERT ON processed_updates "
                    + "FOR EACH ROW EXECUTE FUNCTION test_fail_first_record()");
        });
        return new FirstUpdateRecordingRefused(db);
    }

    /** How many times an update was recorded or tried to be, the refused first one included. */
    public long attempts() {
        return db.withHandle(h -> h.createQuery("SELECT last_value FROM test_record_attempts").mapTo(Long.class).one());
    }

    @Override
    public void close() {
        db.useHandle(h -> {
            h.execute("DROP TRIGGER IF EXISTS test_fail_first_record ON processed_updates");
            h.execute("DROP FUNCTION IF EXISTS test_fail_first_record()");
            h.execute("DROP SEQUENCE IF EXISTS test_record_attempts");
        });
    }
}
