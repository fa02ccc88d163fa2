package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention with a controllable clock: handled updates 7 days, audit events 30 days. */
class CleanupTest {
    private static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");
    private MutableClock clock;
    private Cleanup cleanup;
    private PgProcessedUpdates updates;
    private PgAudit audit;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        clock = new MutableClock(T0);
        cleanup = new Cleanup(TestDatabase.jdbi(), clock);
        updates = new PgProcessedUpdates(TestDatabase.jdbi());
        audit = new PgAudit(TestDatabase.jdbi());
    }

    @Test
    void deletesOnlyWhatIsPastItsRetention() {
        updates.record(1, 10, "old, handled", T0);
        updates.done(1, T0);
        updates.record(2, 11, "old, never handled", T0);
        updates.record(3, 12, "newer, handled", T0.plus(Duration.ofDays(3)));
        updates.done(3, T0.plus(Duration.ofDays(3)));
        audit.record(new AuditEvent(T0, "system", "old", "", Optional.empty()));
        audit.record(new AuditEvent(T0.plus(Duration.ofDays(10)), "system", "newer", "", Optional.of("gen_1")));
        new PgFreeUsage(TestDatabase.jdbi()).tryUse(5, LocalDate.of(2026, 11, 1), 5, "gen_9");

        clock.set(T0.plus(Duration.ofDays(6)));
        assertThat(cleanup.run()).isEqualTo(new Cleanup.Result(0, 0, 0));

        clock.set(T0.plus(Duration.ofDays(7)).plusSeconds(1));
        assertThat(cleanup.run()).isEqualTo(new Cleanup.Result(1, 0, 0));

        clock.set(T0.plus(Duration.ofDays(10)).plusSeconds(1));
        assertThat(cleanup.run()).isEqualTo(new Cleanup.Result(1, 0, 0));

        clock.set(T0.plus(Duration.ofDays(30)).plusSeconds(1));
        assertThat(cleanup.run()).isEqualTo(new Cleanup.Result(0, 1, 0));

        clock.set(T0.plus(Duration.ofDays(31)).plusSeconds(1));
        assertThat(cleanup.run()).isEqualTo(new Cleanup.Result(0, 0, 1));
        // the unhandled update is never purged; the newer audit event is kept until its own 30 days
        assertThat(new PgTransactions(TestDatabase.jdbi()).inOne(updates::claimNext).orElseThrow().updateId())
                .isEqualTo(2);
        assertThat(audit.recent(10)).extracting(AuditEvent::action).containsExactly("newer");
        clock.set(T0.plus(Duration.ofDays(41)));
        assertThat(cleanup.run().auditEvents()).isEqualTo(1);
    }
}
