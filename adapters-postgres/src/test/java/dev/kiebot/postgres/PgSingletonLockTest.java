package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.testing.Patience;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The polling runner's lock, with real connections: one holder; the next takes over when the holder dies. */
class PgSingletonLockTest {

    private static long randomKey() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** Backends holding the session advisory lock {@code key} (bigint form: classid high, objid low 32 bits). */
    private static List<Integer> holders(long key) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT pid FROM pg_locks WHERE locktype = "
                        + "'advisory' AND granted AND objsubid = 1 AND classid::bigint = :hi AND objid::bigint = :lo")
                .bind("hi", key >>> 32)
                .bind("lo", key & 0xffffffffL)
                .mapTo(Integer.class)
                .list());
    }

    @Test
    void onlyOneInstanceHoldsTheLockAndClosingHandsItOver() {
        long key = randomKey();
        PgSingletonLock a = new PgSingletonLock(TestDatabase.get(), key, Duration.ofSeconds(5));
        try (PgSingletonLock b = new PgSingletonLock(TestDatabase.get(), key, Duration.ofSeconds(5))) {
            assertThat(a.tryAcquire()).isTrue();
            assertThat(a.tryAcquire()).as("re-entrant for its holder").isTrue();
            assertThat(a.isHeld()).isTrue();
            assertThat(b.tryAcquire()).isFalse();
            assertThat(b.isHeld()).isFalse();
            assertThat(holders(key)).hasSize(1);
            a.close();
            assertThat(a.isHeld()).isFalse();
            assertThat(b.tryAcquire()).isTrue();
            assertThat(a.tryAcquire()).as("a closed lock stays closed").isFalse();
        } finally {
            a.close();
        }
    }

    @Test
    void whenTheHoldersConnectionDiesAnotherInstanceTakesOverWithin30Seconds() throws Exception {
        long key = randomKey();
        try (PgSingletonLock a = new PgSingletonLock(TestDatabase.get(), key, Duration.ofMillis(300));
             PgSingletonLock b = new PgSingletonLock(TestDatabase.get(), key, Duration.ofMillis(300))) {
            assertThat(a.tryAcquire()).isTrue();
            assertThat(b.tryAcquire()).isFalse();
            List<Integer> pids = holders(key);
            assertThat(pids).hasSize(1);
            // the holder's session dies (crash, network cut, failover): terminate its backend from elsewhere
            TestDatabase.jdbi().useHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)")
                    .bind("pid", pids.get(0)).mapTo(Boolean.class).one());
            // within 30 s less the JVM's stalls: on a loaded CI box the clock alone counts seconds the test never ran
            Patience.await("the second instance taking over within 30 s", Duration.ofSeconds(30), b::tryAcquire);
            // the old holder notices through its keep-alive
            Patience.await("the old holder noticing", Duration.ofSeconds(10), () -> !a.isHeld());
            assertThat(a.isHeld()).isFalse();
            assertThat(b.isHeld()).isTrue();
            assertThat(holders(key)).hasSize(1);
        }
    }

    @Test
    void keysAreStablePerName() {
        assertThat(PgSingletonLock.keyFor("kiebot-polling:123")).isEqualTo(PgSingletonLock.keyFor("kiebot-polling:123"))
                .isNotEqualTo(PgSingletonLock.keyFor("kiebot-polling:124"));
    }
}
