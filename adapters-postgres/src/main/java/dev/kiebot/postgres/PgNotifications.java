package dev.kiebot.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN/NOTIFY} as wake-ups: one connection listens on the channels subscribers asked for
 * and runs their callbacks when a notification arrives (from this instance or any other on the same
 * database). Waiting costs nothing while idle: the listener blocks in the driver. If the connection breaks
 * (a database restart), it reconnects with backoff and wakes every subscriber once, since notifications
 * sent meanwhile are lost. Only the first failure of an outage is a warning; the rest are logged at debug level.
 */
public final class PgNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);
    /** How long one wait for notifications blocks before the listener checks it should still run. */
    static final int WAIT_MILLIS = 1_000;
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
    private final Thread listener;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

    private PgNotifications(DataSource dataSource, List<String> channels) {
        this.dataSource = dataSource;
        channels.forEach(c -> subscribers.put(c, new CopyOnWriteArrayList<>()));
        this.listener = new Thread(this::listen, "pg-listen");
        this.listener.setDaemon(true);
    }

    /** Listens on {@code channels} (fixed at start: LISTEN names must be known up front). */
    public static PgNotifications start(Database database, List<String> channels) {
        PgNotifications n = new PgNotifications(database.dataSource(), List.copyOf(channels));
        n.listener.start();
        return n;
    }

    /** @return true once the listener listens (tests, and a runner that wants to know) */
    public boolean awaitListening(Duration timeout) throws InterruptedException {
        return listening.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs {@code wake} for every notification on {@code channel}, on the listener's thread: keep it short. */
    public void on(String channel, Runnable wake) {
        Objects.requireNonNull(subscribers.get(channel), "not listening on " + channel).add(wake);
    }

    private void listen() {
        Duration delay = Duration.ofMillis(250);
        boolean failing = false;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    for (String channel : subscribers.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                wakeAll(); // whatever was announced while we were not listening
                listening.countDown();
                delay = Duration.ofMillis(250);
                if (failing) {
                    failing = false;
                    LOG.info("listening for database notifications again");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
                    if (got != null) {
                        for (PGNotification n : got) {
                            wake(n.getName());
                        }
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

    private void wake(String channel) {
        for (Runnable r : subscribers.getOrDefault(channel, List.of())) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("a wake-up for {} failed: {}", channel, e.toString());
            }
        }
    }

    private void wakeAll() {
        subscribers.keySet().forEach(this::wake);
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
        listener.interrupt();
        try {
            listener.join(WAIT_MILLIS + 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
