package dev.kiebot.postgres;

import dev.kiebot.core.catalog.PausedModels;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Paused models in PostgreSQL: a row per model, so that racing pauses or resumes of one model decide once.
 *
 * <p>Made by {@link #PgPausedModels(Jdbi)} it reads the table at every {@link #all()}: correct whoever else writes
 * it, one statement each time. Made by {@link #PgPausedModels(Jdbi, Wakeups)} (what {@link PgStores#create} does)
 * it keeps the paused set in memory, since every menu and section screen asks for it and pauses are rare (an admin's
 * {@code /pause} when a provider's model fails; issue 13: two handlings in three read the table before): it reads
 * the table at the first {@link #all()}, again at the next one after any change it hears of, and at the next one once
 * {@link #REREAD} has passed since its last read, whatever it heard. It hears of
 * <ul>
 *   <li>its own pause or resume once its transaction commits (in process, at once: this instance never offers a
 *       model it has just paused; within the pausing transaction its reads go to the table, seeing its own
 *       uncommitted write and keeping nothing);</li>
 *   <li>another instance's, by the {@code NOTIFY} on {@link #CHANNEL} every committed pause or resume sends (made
 *       either way), through the listener ({@link PgNotifications}, which must listen on {@link #CHANNEL}); a
 *       listener that reconnects wakes every subscriber, so a pause made while it was away is read again too.</li>
 * </ul>
 * So another instance offers a model paused elsewhere for the notification's way (milliseconds) and, should the
 * notification be lost (a {@code NOTIFY} that failed, which is only logged), until its next read after
 * {@link #REREAD}: 60 s at the worst. An order it takes meanwhile is taken as one confirmed a moment before the pause:
 * its price is held and the job is submitted to the provider as usual (a pause stops new orders only); if the provider
 * fails it, it fails and the hold is released, as any failed job's (README, "Pausing a model").
 *
 * <p>A read refreshes the kept set only when no change was heard of while it ran, and only when made outside a
 * transaction or in a {@code READ COMMITTED} one (each statement sees every commit before it, as in those
 * {@link PgTransactions} opens): a {@code REPEATABLE READ} transaction's snapshot may be older than a change heard of
 * before the read, so its read is answered, not kept (the statement tells the isolation: no round trip more).
 *
 * <p>Every store on one {@link Wakeups} counts the changes heard of with one subscriber ({@link Wakeups#heard}):
 * the stores made and dropped (a test's, each {@link PgStores#create}) leave none behind.
 */
public final class PgPausedModels implements PausedModels {
    /** Every committed pause or resume is announced here: listening instances read the paused models again. */
    public static final String CHANNEL = "kiebot_paused_models";
    /** The longest a kept paused set is answered without a read, should a notification have been lost. */
    public static final Duration REREAD = Duration.ofSeconds(60);
    private static final String ALL = "SELECT model_id, paused_at FROM paused_models ORDER BY paused_at, model_id";
    /**
     * {@link #ALL} and the transaction's isolation ({@code read committed}, {@code repeatable read}...) in one
     * statement: a row with no model when none is paused.
     */
    private static final String ALL_AND_ISOLATION = "SELECT i.isolation, p.model_id, p.paused_at FROM "
            + "(SELECT current_setting('transaction_isolation') AS isolation) i LEFT JOIN paused_models p ON true "
            + "ORDER BY p.paused_at, p.model_id";

    private final Jdbi jdbi;
    private final PgNotifier notifier;
    /** Empty: every read goes to the table. */
    private final Optional<Kept> kept;

    /**
     * Reads the table at every call (one statement per {@link #all()}); its changes still notify other instances.
     *
     * @param jdbi the database
     */
    public PgPausedModels(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.notifier = new PgNotifier(jdbi, CHANNEL);
        this.kept = Optional.empty();
    }

    /**
     * Keeps the paused set in memory, read again on every change heard of on {@code wakeups}' {@link #CHANNEL} and
     * after {@link #REREAD} at the longest.
     *
     * @param jdbi    the database
     * @param wakeups the instance's wake-ups: its own changes, and the listener's notifications of the others'
     */
    public PgPausedModels(Jdbi jdbi, Wakeups wakeups) {
        this(jdbi, wakeups, REREAD, System::nanoTime);
    }

    /** {@link #PgPausedModels(Jdbi, Wakeups)} read again after {@code reread} by {@code nanoTime} (tests). */
    PgPausedModels(Jdbi jdbi, Wakeups wakeups, Duration reread, LongSupplier nanoTime) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.notifier = new PgNotifier(jdbi, CHANNEL, wakeups);
        this.kept = Optional.of(new Kept(reread.toNanos(), nanoTime, wakeups.heard(CHANNEL)));
    }

    @Override
    public Map<String, Instant> all() {
        if (kept.isEmpty()) {
            return read();
        }
        Kept k = kept.get();
        Optional<Handle> tx = PgTransactions.current(jdbi);
        if (tx.isPresent() && tx.get() == k.writing.get()) {
            return read(); // this transaction paused or resumed: its own writes, not committed yet, are not kept
        }
        Optional<Map<String, Instant>> fresh = k.fresh();
        if (fresh.isPresent()) {
            return fresh.get();
        }
        long heard = k.changes.getAsLong();
        long readNanos = k.nanoTime.getAsLong();
        if (tx.isEmpty()) {
            Map<String, Instant> read = read();
            k.keep(read, heard, readNanos);
            return read;
        }
        // in a transaction, the statement says which: a REPEATABLE READ one's snapshot may be older than a change
        // heard of before this read, and kept it would answer that older set until the next change or REREAD
        List<IsolatedRow> rows = jdbi.withHandle(h -> h.createQuery(ALL_AND_ISOLATION).map((rs, ctx) ->
                new IsolatedRow(rs.getString("isolation"), rs.getString("model_id") == null ? Optional.empty()
                        : Optional.of(Map.entry(rs.getString("model_id"), Sql.instant(rs, "paused_at"))))).list());
        Map<String, Instant> paused = new LinkedHashMap<>();
        rows.forEach(r -> r.paused().ifPresent(e -> paused.put(e.getKey(), e.getValue())));
        Map<String, Instant> read = Collections.unmodifiableMap(paused);
        // read committed, or read uncommitted (the same in PostgreSQL)
        if (rows.get(0).isolation().startsWith("read ")) {
            k.keep(read, heard, readNanos);
        }
        return read;
    }

    private Map<String, Instant> read() {
        Map<String, Instant> paused = new LinkedHashMap<>();
        jdbi.withHandle(h -> h.createQuery(ALL)
                .map((rs, ctx) -> Map.entry(rs.getString("model_id"), Sql.instant(rs, "paused_at")))
                .list()).forEach(e -> paused.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(paused);
    }

    @Override
    public boolean pause(String modelId, Instant at) {
        boolean paused = jdbi.withHandle(h -> h.createUpdate("INSERT INTO paused_models (model_id, paused_at) "
                        + "VALUES (:id, :at) ON CONFLICT (model_id) DO NOTHING")
                .bind("id", modelId)
                .bind("at", Sql.ts(at))
                .execute()) == 1;
        if (paused) {
            changed();
        }
        return paused;
    }

    @Override
    public boolean resume(String modelId) {
        boolean resumed = jdbi.withHandle(h -> h.createUpdate("DELETE FROM paused_models WHERE model_id = :id")
                .bind("id", modelId)
                .execute()) == 1;
        if (resumed) {
            changed();
        }
        return resumed;
    }

    /** This thread changed the table: its transaction reads it, and at its commit everybody hears of the change. */
    private void changed() {
        kept.ifPresent(k -> PgTransactions.current(jdbi).ifPresent(h -> {
            k.writing.set(h);
            h.afterCommit(k.writing::remove);
            h.afterRollback(k.writing::remove);
        }));
        notifier.afterCommit();
    }

    /** The paused set as last read, and what makes it stale. */
    private static final class Kept {
        private final long rereadNanos;
        private final LongSupplier nanoTime;
        /**
         * Changes heard of (committed here, or notified): a set read before the last one is stale. The wake-ups'
         * count, shared by every store on them ({@link Wakeups#heard}).
         */
        private final LongSupplier changes;
        /** The transaction of this thread that paused or resumed, until it ends. */
        private final ThreadLocal<Handle> writing = new ThreadLocal<>();
        private volatile Optional<Snapshot> last = Optional.empty();

        Kept(long rereadNanos, LongSupplier nanoTime, LongSupplier changes) {
            this.rereadNanos = rereadNanos;
            this.nanoTime = nanoTime;
            this.changes = changes;
        }

        Optional<Map<String, Instant>> fresh() {
            return last.filter(s -> s.changes() == changes.getAsLong()
                            && nanoTime.getAsLong() - s.readNanos() < rereadNanos)
                    .map(Snapshot::paused);
        }

        /**
         * Keeps a set read after {@code heard} changes, unless another was heard of meanwhile: that one's commit may
         * have come after the read's statement.
         */
        void keep(Map<String, Instant> paused, long heard, long readNanos) {
            if (changes.getAsLong() == heard) {
                last = Optional.of(new Snapshot(paused, heard, readNanos));
            }
        }
    }

    /** A row of {@link #ALL_AND_ISOLATION}: the transaction's isolation, and a paused model unless none is. */
    private record IsolatedRow(String isolation, Optional<Map.Entry<String, Instant>> paused) {
    }

    private record Snapshot(Map<String, Instant> paused, long changes, long readNanos) {
    }
}
