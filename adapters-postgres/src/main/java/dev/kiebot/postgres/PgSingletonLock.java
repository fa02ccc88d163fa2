package dev.kiebot.postgres;

import dev.kiebot.core.intake.SingletonLock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session advisory lock ({@code pg_try_advisory_lock}) held on a dedicated connection outside the
 * pool, so only one instance long-polls Telegram. The lock lives exactly as long as that connection: when the
 * holder dies (or its connection does), PostgreSQL releases it and another instance's next {@link #tryAcquire()}
 * succeeds. A daemon keep-alive runs {@code SELECT 1} on the connection every {@code keepAlive}; when it fails
 * the lock counts as lost ({@link #isHeld()} false) and the connection is closed. While the database cannot be
 * reached, only the first failed attempt is logged as a warning (the rest at debug level), and its return once.
 */
public final class PgSingletonLock implements SingletonLock {
    private static final Logger LOG = LoggerFactory.getLogger(PgSingletonLock.class);
    /** The default keep-alive period. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

    private final Database database;
    private final long key;
    private final Duration keepAlive;
    private final ScheduledExecutorService scheduler;
    private Connection connection;
    private ScheduledFuture<?> keepAliveTask;
    private volatile boolean held;
    private boolean closed;
    /** The last attempt could not reach the database: further failures are not worth a warning each. */
    private volatile boolean unreachable;

    public PgSingletonLock(Database database, long key, Duration keepAlive) {
        this.database = Objects.requireNonNull(database, "database");
        this.key = key;
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive");
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiebot-singleton-lock-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    /** A lock named {@code name} (e.g. {@code "kiebot-polling:<bot id>"}) with the default keep-alive. */
    public PgSingletonLock(Database database, String name) {
        this(database, keyFor(name), DEFAULT_KEEP_ALIVE);
    }

    /** A stable 64-bit advisory lock key for a name (first 8 bytes of its SHA-256). */
    public static long keyFor(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long key() {
        return key;
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (closed) {
            return false;
        }
        if (held) {
            return true;
        }
        dropConnection();
        try {
            connection = database.openDedicatedConnection("kiebot-singleton-lock");
            connection.setAutoCommit(true);
            boolean got;
            try (Statement st = connection.createStatement()) {
                st.setQueryTimeout(10);
                try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
                    rs.next();
                    got = rs.getBoolean(1);
                }
            }
            if (unreachable) {
                unreachable = false;
                LOG.info("singleton lock {}: the database answers again", key);
            }
            if (!got) {
                dropConnection();
                return false;
            }
            held = true;
            long period = keepAlive.toMillis();
            keepAliveTask = scheduler.scheduleWithFixedDelay(this::ping, period, period, TimeUnit.MILLISECONDS);
            LOG.info("singleton lock {} acquired", key);
            return true;
        } catch (SQLException | RuntimeException e) {
            if (unreachable) {
                LOG.debug("singleton lock {}: still could not try to acquire: {}", key, e.toString());
            } else {
                unreachable = true;
                LOG.warn("singleton lock {}: could not try to acquire: {}; trying again quietly", key, e.toString());
            }
            dropConnection();
            return false;
        }
    }

    private synchronized void ping() {
        if (!held || connection == null) {
            return;
        }
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, Math.min(30, keepAlive.toSeconds() * 2)));
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("singleton lock {} lost: its connection failed ({})", key, e.getClass().getSimpleName());
            held = false;
            dropConnection();
        }
    }

    /**
     * Whether the last {@link #tryAcquire()} had the database's answer: a false one then means another session holds
     * the lock, not that the database could not be asked.
     */
    public boolean lastTryAnswered() {
        return !unreachable;
    }

    @Override
    public boolean isHeld() {
        return held;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (held && connection != null) {
            try (Statement st = connection.createStatement()) {
                st.setQueryTimeout(5);
                st.execute("SELECT pg_advisory_unlock(" + key + ")");
            } catch (SQLException | RuntimeException e) {
                LOG.debug("singleton lock {}: unlock failed ({}); closing the connection releases it", key,
                        e.toString());
            }
        }
        held = false;
        dropConnection();
        scheduler.shutdownNow();
    }

    private void dropConnection() {
        if (keepAliveTask != null) {
            keepAliveTask.cancel(false);
            keepAliveTask = null;
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the lock connection: {}", e.toString());
            }
            connection = null;
        }
    }
}
