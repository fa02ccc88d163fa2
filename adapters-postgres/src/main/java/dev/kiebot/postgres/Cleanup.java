package dev.kiebot.postgres;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (ARCHITECTURE §4, cleanup worker): handled updates older than 7 days, audit events older than 30
 * days and free-allowance rows of days more than 30 days ago. The ledger and jobs are never deleted.
 */
public final class Cleanup {
    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);
    public static final Duration UPDATES_RETENTION = Duration.ofDays(7);
    public static final Duration AUDIT_RETENTION = Duration.ofDays(30);
    public static final Duration FREE_USES_RETENTION = Duration.ofDays(30);

    /** What one run deleted. */
    public record Result(int updates, int auditEvents, int freeUses) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public Cleanup(Jdbi jdbi, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Result run() {
        Instant now = clock.instant();
        int updates = new PgProcessedUpdates(jdbi).purge(now.minus(UPDATES_RETENTION));
        int audit = new PgAudit(jdbi).purge(now.minus(AUDIT_RETENTION));
        LocalDate oldestDay = now.minus(FREE_USES_RETENTION).atOffset(ZoneOffset.UTC).toLocalDate();
        int free = jdbi.withHandle(h -> {
            int n = h.createUpdate("DELETE FROM free_uses WHERE day < :d").bind("d", oldestDay).execute();
            h.createUpdate("DELETE FROM free_use_days WHERE day < :d").bind("d", oldestDay).execute();
            return n;
        });
        Result r = new Result(updates, audit, free);
        if (updates + audit + free > 0) {
            LOG.info("cleanup deleted {} handled updates, {} audit events, {} free uses", updates, audit, free);
        }
        return r;
    }
}
