package dev.kiebot.postgres;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is woken when work is committed on a channel: this instance's waiting threads at once, in process, and —
 * only when other instances may share the database — the others through {@code NOTIFY} ({@link PgNotifier}) and
 * their listeners ({@link PgNotifications}). A bot on its own embedded database is the only instance there can be
 * (the data directory is locked), so it needs neither the listening connection (a PostgreSQL backend of 10-20 MB
 * resident) nor a notifying transaction per burst of work.
 */
public final class Wakeups {
    private static final Logger LOG = LoggerFactory.getLogger(Wakeups.class);

    private final boolean shared;
    /** Sent as the NOTIFY payload, so a listener can tell its own instance's notifications (already acted on). */
    private final String instanceId = UUID.randomUUID().toString();
    private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
    /** Per channel, the wake-ups {@link #heard} counts: one subscriber each, however many ask. */
    private final Map<String, AtomicLong> heard = new ConcurrentHashMap<>();

    private Wakeups(boolean shared) {
        this.shared = shared;
    }

    /** Other instances may use the same database: they are notified, and notify us. */
    public static Wakeups sharedDatabase() {
        return new Wakeups(true);
    }

    /** This instance is the database's only user (its own embedded server): in-process wake-ups only. */
    public static Wakeups ownDatabase() {
        return new Wakeups(false);
    }

    /** Runs {@code wake} whenever work on {@code channel} was committed, here or elsewhere: keep it short. */
    public void on(String channel, Runnable wake) {
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(wake);
    }

    /**
     * How many times work on {@code channel} was committed or announced since the first call for it. Every call for
     * a channel reads one counter, one subscriber of the channel: a subscriber per caller (each {@link PgStores#create}
     * made one for its paused models, never removed) piled up with every store made on the database, a test's
     * hundreds each counted at every wake-up.
     */
    LongSupplier heard(String channel) {
        AtomicLong count = heard.computeIfAbsent(channel, c -> {
            AtomicLong n = new AtomicLong();
            on(c, n::incrementAndGet);
            return n;
        });
        return count::get;
    }

    /** How many subscribers {@code channel} has. */
    int subscribers(String channel) {
        return subscribers.getOrDefault(channel, List.of()).size();
    }

    /** Whether other instances must be told (by NOTIFY) and listened to. */
    public boolean shared() {
        return shared;
    }

    String instanceId() {
        return instanceId;
    }

    /** Work on {@code channel} is committed or was announced: wake this instance's subscribers. */
    void wake(String channel) {
        for (Runnable r : subscribers.getOrDefault(channel, List.of())) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("a wake-up for {} failed: {}", channel, e.toString());
            }
        }
    }

    void wakeAll() {
        subscribers.keySet().forEach(this::wake);
    }
}
