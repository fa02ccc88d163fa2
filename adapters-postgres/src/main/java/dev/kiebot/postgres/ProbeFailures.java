package dev.kiebot.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness probe's failures to reach the database, told once a spell: one WARN at the first failed probe saying
 * why (the pool's connection not had: the server's refusal and its SQLState, a refused login, the pool exhausted), one
 * INFO when a probe works again. {@code /readyz} is asked every few seconds by each orchestrator and load balancer: a
 * line a probe would bury the log, and none at all (as before) left the on-call with {@code "db": false} and no reason.
 * The probe's connection is taken through {@link WriteRefusals#hearingConnections}, so a refusal for want of
 * connections (53300) is a write refusal as a handler's is ({@code dbWrites}, {@code kiebot_database_writes_failing},
 * the admins' alert); a request that waited the pool's whole timeout is counted by the pool itself
 * ({@code kiebot_database_connection_timeouts_total}). A probe that flaps (a pool at the server's connection limit
 * gets one probe a connection and not the next) starts a spell each time it fails again: a spell is told at most
 * once every {@link #TOLD_AT_MOST_EVERY}, one starting sooner at its first failed probe after that (and its end only
 * if it was told), so a flapping probe is one WARN and one INFO a minute at most, not a pair a probe. Thread-safe.
 */
final class ProbeFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeFailures.class);
    /** The least time between two spells' WARNs. */
    static final Duration TOLD_AT_MOST_EVERY = Duration.ofMinutes(1);

    private final LongSupplier nanoTime;
    private final String user;
    private final Object spell = new Object();
    private boolean failing; // guarded by spell
    private long failingSince; // guarded by spell
    private long failures; // guarded by spell
    private boolean told; // guarded by spell: this spell's WARN was logged
    private boolean toldBefore; // guarded by spell
    private long lastToldAt; // guarded by spell

    /** @param user the database user, never named in a line ({@link Database#withoutUser}) */
    ProbeFailures(String user, LongSupplier nanoTime) {
        this.user = user;
        this.nanoTime = nanoTime;
    }

    /** A probe failed with {@code e}: the spell's first is one WARN (see above for a flap's), the rest are counted. */
    void failed(Exception e) {
        synchronized (spell) {
            long now = nanoTime.getAsLong();
            failures++;
            if (!failing) {
                failing = true;
                failingSince = now;
                failures = 1;
                told = false;
            }
            if (told || (toldBefore && now - lastToldAt < TOLD_AT_MOST_EVERY.toNanos())) {
                return;
            }
            told = true;
            toldBefore = true;
            lastToldAt = now;
        }
        LOG.warn("the readiness probe cannot reach the database ({}{}: {}); /readyz reads \"db\": false until it can, "
                + "and this is logged once until then", e.getClass().getSimpleName(), sqlState(e),
                Database.withoutUser(Database.rootMessage(e), user));
    }

    /** A probe reached the database: the spell, if one was on, is over (one INFO). */
    void worked() {
        long count;
        Duration lasted;
        synchronized (spell) {
            if (!failing) {
                return;
            }
            failing = false;
            if (!told) {
                return; // a flap within a minute of the last spell told: not told, its end neither
            }
            count = failures;
            lasted = Duration.ofNanos(nanoTime.getAsLong() - failingSince);
        }
        LOG.info("the readiness probe reaches the database again, after {} failed probe(s) over {} s", count,
                lasted.toSeconds());
    }

    /** ", SQLState 53300" for the first SQLState in {@code e}'s causes; empty when none has one. */
    private static String sqlState(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return ", SQLState " + sql.getSQLState();
            }
        }
        return "";
    }
}
