package dev.kiebot.postgres;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the threads waiting for work on one channel that there is new work, once the work is committed: this
 * instance's at once ({@link Wakeups}), and, when the database is shared, every other instance's listener
 * ({@link PgNotifications}) by a {@code NOTIFY} carrying this instance's id. The NOTIFYs are coalesced: while
 * one is on its way, further signals become one more NOTIFY after it, not one each. The NOTIFY goes out on a
 * thread of its own, so no handler, sender or webhook request ever waits for it (nor keeps sending for others
 * while signals keep coming); the thread ends after a second without signals and starts again with the next one.
 *
 * <p>Why not {@code pg_notify} inside the writing statement: PostgreSQL serialises the commits of all transactions
 * that notified (a global lock held through the commit's WAL flush), so with a NOTIFY in every handling transaction
 * and every recorded update the bot's commits queued behind each other. Here only the small notifying transactions
 * take that lock, at most one per channel at a time, and without waiting for the disk ({@code synchronous_commit}
 * off for that transaction alone: a notification lost in a crash costs nothing, the listeners' safety poll finds
 * the work). A NOTIFY that fails is only logged (debug): the same safety poll covers it.
 */
final class PgNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(PgNotifier.class);
    private static final String NOTIFY = "SELECT set_config('synchronous_commit', 'off', true), "
            + "pg_notify(:channel, :instance)";
    /** How long the notifying thread waits for the next signal before it ends. */
    static final long IDLE_THREAD_SECONDS = 1;
    /** One round running and one waiting is all the coalescing ever asks for. */
    private static final int ROUNDS_WAITING_MAX = 2;

    private final Jdbi jdbi;
    private final String channel;
    private final Wakeups wakeups;
    /** A signal arrived that no NOTIFY sent since has covered. */
    private final AtomicBoolean pending = new AtomicBoolean();
    /** A round of NOTIFYs is running or about to. */
    private final AtomicBoolean sending = new AtomicBoolean();
    private final ThreadPoolExecutor thread;

    /** Notifies other instances only (no subscriber here): a store used on its own, e.g. in tests. */
    PgNotifier(Jdbi jdbi, String channel) {
        this(jdbi, channel, Wakeups.sharedDatabase());
    }

    PgNotifier(Jdbi jdbi, String channel, Wakeups wakeups) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.wakeups = Objects.requireNonNull(wakeups, "wakeups");
        this.thread = new ThreadPoolExecutor(0, 1, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(ROUNDS_WAITING_MAX), r -> {
                    Thread t = new Thread(r, "pg-notify-" + channel);
                    t.setDaemon(true);
                    return t;
                });
    }

    /** New work was written on this thread: notify when its transaction commits (at once when it is in none). */
    void afterCommit() {
        Optional<Handle> tx = PgTransactions.current(jdbi);
        if (tx.isPresent()) {
            tx.get().afterCommit(this::now);
        } else {
            now();
        }
    }

    /**
     * Committed work waits: this instance's threads are woken now; a NOTIFY for the others goes out soon, on the
     * notifying thread; the caller goes on at once.
     */
    void now() {
        wakeups.wake(channel);
        if (!wakeups.shared()) {
            return;
        }
        pending.set(true);
        if (sending.compareAndSet(false, true)) {
            try {
                thread.execute(this::round);
            } catch (RejectedExecutionException e) {
                // cannot happen with one round in flight; if it did, the safety poll finds the work
                sending.set(false);
            }
        }
    }

    /** Sends while signals are pending; one arriving mid-way is covered by the next NOTIFY. */
    private void round() {
        do {
            try {
                while (pending.getAndSet(false)) {
                    send();
                }
            } finally {
                sending.set(false);
            }
        } while (pending.get() && sending.compareAndSet(false, true));
    }

    private void send() {
        try {
            jdbi.useHandle(h -> h.createQuery(NOTIFY).bind("channel", channel)
                    .bind("instance", wakeups.instanceId()).mapToMap().one());
        } catch (RuntimeException e) {
            LOG.debug("NOTIFY {} failed ({}); listeners find the work by their safety poll", channel,
                    e.getClass().getSimpleName());
        }
    }
}
