package dev.kiebot.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN/NOTIFY} as wake-ups from other instances: one connection listens on the channels and
 * wakes this instance's {@link Wakeups} subscribers when another instance on the same database committed work
 * (this instance's own notifications are skipped: its threads were woken in process already). On a database that
 * is this instance's alone ({@link Wakeups#ownDatabase()}) nothing listens and no connection is taken. Waiting
 * costs nothing while idle: the listener blocks in the driver. A connection that died without a word (a NAT or
 * proxy forgot it: no reset ever arrives, and waiting for notifications only ever times out) is found by a
 * {@code SELECT 1} every {@link #PING} of quiet, which fails within the connection's socket timeout. If the
 * connection breaks (a database restart, or that ping), it reconnects with backoff and wakes every subscriber once,
 * since notifications sent meanwhile are lost. Only the first failure of an outage is a warning; the rest are
 * logged at debug level. A {@code LISTEN} refused as a write (a replica after a failover answers {@code 25006}) is told
 * to the database's {@link WriteRefusals}, as the pooled statements' are, and its success ends it there.
 */
public final class PgNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);
    /** How long one wait for notifications blocks before the listener checks it should still run. */
    static final int WAIT_MILLIS = 1_000;
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(10);
    /**
     * Quiet this long, the listener checks its connection is alive: with the dedicated connection's 30 s socket
     * timeout, a dead one is replaced (and every subscriber woken) within a minute.
     */
    static final Duration PING = Duration.ofSeconds(30);
    /** What {@link WriteRefusals} keys the listener's statements by (the channels are fixed, one spell). */
    private static final String LISTEN = "LISTEN (the listener's channels)";

    /** Opens the listening connection. */
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final Wakeups wakeups;
    private final List<String> channels;
    private final Duration ping;
    private final Optional<WriteRefusals> refusals;
    private final Thread listener;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

    private PgNotifications(Connector connector, Wakeups wakeups, List<String> channels, Duration ping,
                            Optional<WriteRefusals> refusals) {
        this.connector = connector;
        this.wakeups = wakeups;
        this.channels = channels;
        this.ping = ping;
        this.refusals = refusals;
        this.listener = new Thread(this::listen, "pg-listen");
        this.listener.setDaemon(true);
    }

    /**
     * Listens on {@code channels} (fixed at start: LISTEN names must be known up front) when the database is
     * shared, on a connection of its own outside the pool (a pooled one would be taken from the work for good, and
     * would go back to the pool still listening after a failure); on the instance's own database it only hands out
     * the subscriptions.
     */
    public static PgNotifications start(Database database, List<String> channels) {
        return start(() -> database.openDedicatedConnection("kiebot-listener"), database.wakeups(), channels, PING,
                Optional.of(database.writeRefusals()));
    }

    /** Listens on a connection of {@code dataSource} (tests). */
    static PgNotifications start(DataSource dataSource, Wakeups wakeups, List<String> channels) {
        return start(dataSource::getConnection, wakeups, channels, PING);
    }

    /** Listens on connections {@code connector} opens, checking one alive after {@code ping} of quiet (tests). */
    static PgNotifications start(Connector connector, Wakeups wakeups, List<String> channels, Duration ping) {
        return start(connector, wakeups, channels, ping, Optional.empty());
    }

    /** {@link #start(Connector, Wakeups, List, Duration)}, a refused {@code LISTEN} told to {@code refusals}. */
    static PgNotifications start(Connector connector, Wakeups wakeups, List<String> channels, Duration ping,
                                 Optional<WriteRefusals> refusals) {
        PgNotifications n = new PgNotifications(connector, wakeups, List.copyOf(channels), ping, refusals);
        if (wakeups.shared()) {
            n.listener.start();
        } else {
            n.listening.countDown();
        }
        return n;
    }

    /** @return true once the listener listens, at once when none is needed (tests, a runner that wants to know) */
    public boolean awaitListening(Duration timeout) throws InterruptedException {
        return listening.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs {@code wake} whenever work on {@code channel} was committed, here or elsewhere: keep it short. */
    public void on(String channel, Runnable wake) {
        if (!channels.contains(channel)) {
            throw new IllegalArgumentException("not listening on " + channel);
        }
        wakeups.on(channel, wake);
    }

    private void listen() {
        Duration delay = Duration.ofMillis(250);
        boolean failing = false;
        while (running) {
            try (Connection c = connector.open()) {
                c.setAutoCommit(true);
                listen(c);
                wakeups.wakeAll(); // whatever was announced while we were not listening
                listening.countDown();
                delay = Duration.ofMillis(250);
                if (failing) {
                    failing = false;
                    LOG.info("listening for database notifications again");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                long heardAt = System.nanoTime();
                while (running) {
                    PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
                    if (got != null && got.length > 0) {
                        heardAt = System.nanoTime();
                        wake(got);
                    } else if (System.nanoTime() - heardAt >= ping.toNanos()) {
                        checkAlive(c);
                        heardAt = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (failing) {
                    LOG.debug("listening for database notifications failed again ({}); again in {} ms",
                            e.getClass().getSimpleName(), delay.toMillis());
                } else {
                    failing = true;
                    LOG.warn("listening for database notifications failed ({}); again in {} ms, quietly until it "
                            + "works", e.getClass().getSimpleName(), delay.toMillis());
                }
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(RECONNECT_DELAY_MAX) > 0 ? RECONNECT_DELAY_MAX
                        : delay.multipliedBy(2);
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String channel : channels) {
                s.execute("LISTEN " + channel);
            }
        } catch (SQLException e) {
            refusals.ifPresent(r -> r.refused(LISTEN, e));
            throw e;
        }
        refusals.ifPresent(r -> r.worked(LISTEN));
    }

    private void wake(PGNotification[] got) {
        for (PGNotification n : got) {
            if (!wakeups.instanceId().equals(n.getParameter())) {
                wakeups.wake(n.getName());
            }
        }
    }

    /** Throws when the connection is dead: the socket timeout ends a wait for an answer that will never come. */
    private static void checkAlive(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (!listener.isAlive()) {
            return;
        }
        listener.interrupt();
        try {
            listener.join(WAIT_MILLIS + 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
