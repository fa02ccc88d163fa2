package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.postgres.testing.TwoInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An occasion (an admin alert) asked for by two instances at once is recorded, and so told, by one: the second waits
 * for the first's transaction, then sees its event. Without the lock each looked before the other committed, and
 * the admins got the alert from both.
 */
class PgAuditTwoInstancesTest extends TwoInstances {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private static AuditEvent alert(String detail) {
        return new AuditEvent(T0, "system", "alert.credits_low", detail, Optional.of("alert:credits"));
    }

    @Test
    void anOccasionTwoInstancesReachAtOnceIsRecordedByOne() throws Exception {
        PgAudit auditA = new PgAudit(instanceA.jdbi());
        PgAudit auditB = new PgAudit(instanceB.jdbi());
        CountDownLatch aRecorded = new CountDownLatch(1);
        CountDownLatch aMayCommit = new CountDownLatch(1);
        CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> new PgTransactions(instanceA.jdbi())
                .inOne(() -> {
                    boolean first = auditA.recordFirst(alert("A"), T0.minus(Duration.ofHours(6)));
                    aRecorded.countDown();
                    try {
                        aMayCommit.await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return first; // the alert's messages would be queued here, in the same transaction
                }));
        assertThat(aRecorded.await(1, TimeUnit.MINUTES)).isTrue();
        CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(
                () -> auditB.recordFirst(alert("B"), T0.minus(Duration.ofHours(6))));
        // B is either done already (it did not wait) or waiting for A's lock: only then does A commit
        while (!b.isDone() && !someoneWaitsForALock()) {
            Thread.onSpinWait();
        }
        aMayCommit.countDown();
        assertThat(a.get(1, TimeUnit.MINUTES)).isTrue();
        assertThat(b.get(1, TimeUnit.MINUTES)).as("the second instance's alert").isFalse();
        assertThat(auditA.byCorrelation("alert:credits")).extracting(AuditEvent::detail).containsExactly("A");
    }

    private boolean someoneWaitsForALock() {
        return instanceA.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_locks WHERE NOT granted "
                + "AND locktype = 'advisory'").mapTo(Integer.class).one()) > 0;
    }
}
