package dev.kiebot.runtime.work;

import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.postgres.PgSingletonLock;
import dev.kiebot.postgres.WriteRefusals;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the admins, once a spell, that the database has refused writes for {@link #TOLD_AFTER} (a full disk, a
 * read-only database: {@code WriteRefusals}), and once more when it takes them again. Sent straight through the
 * messenger, not the outbox: the outbox is a table, and its rows are writes the database refuses, so an alert queued
 * there (as every other admin alert is) went out only after the trouble it told of was over. The price is the outbox's
 * guarantees, which two messages a spell per admin mostly do without: a send Telegram puts off (its 429, its 5xx or
 * no answer, past the messenger's own retries: {@code Delivery.Deferred}) is tried once more after the wait it asked
 * for, if that is at most {@link #RETRY_WAIT_MAX} (resilience4j); any other failure is logged, not retried. The sends
 * and their retries run on a thread of their own, in order: on the watch's, a retry's wait (up to 10 s an admin) held
 * up the handlers' stall watch that runs after it.
 *
 * <p>On a shared database one instance tells a spell: the one that takes the {@link TellingRight} (a session advisory
 * lock, which a database refusing writes still grants, being held in memory) and holds it until it told the spell's
 * end. An instance that finds another holding it tells nothing of that spell. One that cannot ask the database for it
 * tells all the same (one message from each instance, as before: better twice than never). An instance that found
 * the right taken tries it again each beat while its spell lasts, and once at its end: it is free only when the
 * instance that told the spell is gone (its session ended, PostgreSQL let go of its lock), and the one that takes it
 * then tells the end, which nobody told when the teller died mid-spell. The teller keeps the right {@link
 * #KEPT_AFTER_END} after it told the end, so that another instance whose own spell ends a little later (its refused
 * statements run again later, or its spell waits out {@code WriteRefusals.QUIET}) does not take it for free and tell
 * the end a second time. A right held is asked again before each telling: its lock is lost with its connection (the
 * outage this alert tells of may drop it), and another instance may have taken it over meanwhile.
 *
 * <p>Run on one thread, once a beat (the background work's watch, with the handlers' stall watch), so the alert comes
 * between {@link #TOLD_AFTER} and a beat later (and a retry's wait).
 */
public final class DatabaseWritesAlert implements Runnable {
    /**
     * How long writes are refused before the admins are told: past a moment's trouble (a lock, a burst out of memory),
     * well before a full disk costs Telegram's patience with the webhook (it keeps updates a day, button presses 150 s).
     */
    public static final Duration TOLD_AFTER = Duration.ofMinutes(3);
    /**
     * The longest wait a retry waits for: the alert runs on the background work's watch, which waits with it. A longer
     * {@code retry_after} (Telegram's flood wait) is not waited for.
     */
    static final Duration RETRY_WAIT_MAX = Duration.ofSeconds(10);
    /** The shortest: a send put off with no wait named (a 5xx) is not tried again at once. */
    static final Duration RETRY_WAIT_MIN = Duration.ofSeconds(1);
    /**
     * How long the teller keeps the right after telling the end: past {@code WriteRefusals.QUIET}, the longest another
     * instance's spell outlasts this one's, and a beat or two.
     */
    static final Duration KEPT_AFTER_END = WriteRefusals.QUIET.plusMinutes(2);
    /** Tellings waiting for the sending thread at most: two a spell go out, each within a minute. */
    static final int SENDS_QUEUED_MAX = 8;
    /** The {@link TellingRight}'s lock, on a shared database. */
    public static final String TELLING_LOCK = "kiebot-database-writes-alert";
    /** Used when an admin's language cannot be read. */
    static final String LANGUAGE_UNREAD = "ru";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWritesAlert.class);

    private final Supplier<Optional<WriteRefusals.Refusal>> refusing;
    private final Messenger messenger;
    private final Set<Long> admins;
    private final LongFunction<String> languageOf;
    private final Texts texts;
    private final Supplier<TellingRight> rights;
    private final Retry retry;
    /** Where the messages go out from: not the watch's thread, which a retry's wait would hold up. */
    private final Executor sending;
    private final LongSupplier nanoTime;
    /** Whether the spell going on was dealt with: told here, or found told by another instance. One thread only. */
    private boolean dealt;
    /** Whether another instance took the right to tell the spell going on: taken over if it lets go (it died). */
    private boolean toldElsewhere;
    /**
     * The right to tell, held from the spell's telling here (or its taking over) to {@link #KEPT_AFTER_END} after its
     * end's.
     */
    private Optional<TellingRight> held = Optional.empty();
    /**
     * The right tried each beat while another instance holds it ({@link #takeOver}): one for the spell, not a new one a
     * beat, so that a lock whose own connection cannot be opened through an outage warns once, then tries quietly.
     */
    private Optional<TellingRight> tried = Optional.empty();
    /** With the end told and the right still held: the {@link #nanoTime} it is given up at. */
    private Optional<Long> keptUntil = Optional.empty();

    /**
     * The right to tell the admins of a spell: one instance's at a time on a shared database.
     */
    public interface TellingRight extends AutoCloseable {
        /** @return whether this instance has it now; empty when the database could not be asked */
        Optional<Boolean> take();

        /** Gives it up. */
        @Override
        void close();
    }

    /**
     * The right held as {@code lock} (on a shared database a session advisory lock, which a database refusing writes
     * grants: it is held in memory). A lock not had for want of the database's answer is {@code take}n as unknown.
     */
    public static TellingRight rightOf(SingletonLock lock) {
        return new TellingRight() {
            @Override
            public Optional<Boolean> take() {
                if (lock.tryAcquire()) {
                    return Optional.of(true);
                }
                return lock instanceof PgSingletonLock pg && !pg.lastTryAnswered() ? Optional.empty()
                        : Optional.of(false);
            }

            @Override
            public void close() {
                lock.close();
            }
        };
    }

    /**
     * For an instance alone on its database: the right is always its own.
     *
     * @see #DatabaseWritesAlert(Supplier, Messenger, Set, LongFunction, Texts, Supplier)
     */
    public DatabaseWritesAlert(Supplier<Optional<WriteRefusals.Refusal>> refusing, Messenger messenger,
                               Set<Long> admins, LongFunction<String> languageOf, Texts texts) {
        this(refusing, messenger, admins, languageOf, texts, () -> new TellingRight() {
            @Override
            public Optional<Boolean> take() {
                return Optional.of(true);
            }

            @Override
            public void close() {
            }
        });
    }

    /**
     * @param refusing   the database's spell of refused writes, if one is on ({@code WriteRefusals.refusing})
     * @param messenger  the messenger itself, not the outbox
     * @param languageOf an admin's language (the users' store: a read, which a full or read-only database answers)
     * @param rights     a new right to tell, one a spell (on a shared database the lock {@link #TELLING_LOCK})
     */
    public DatabaseWritesAlert(Supplier<Optional<WriteRefusals.Refusal>> refusing, Messenger messenger,
                               Set<Long> admins, LongFunction<String> languageOf, Texts texts,
                               Supplier<TellingRight> rights) {
        this(refusing, messenger, admins, languageOf, texts, rights, sendingThread(), System::nanoTime);
    }

    DatabaseWritesAlert(Supplier<Optional<WriteRefusals.Refusal>> refusing, Messenger messenger, Set<Long> admins,
                        LongFunction<String> languageOf, Texts texts, Supplier<TellingRight> rights, Executor sending,
                        LongSupplier nanoTime) {
        this.sending = sending;
        this.nanoTime = nanoTime;
        this.refusing = refusing;
        this.messenger = messenger;
        this.admins = Set.copyOf(admins);
        this.languageOf = languageOf;
        this.texts = texts;
        this.rights = rights;
        this.retry = Retry.of("database-writes-alert", RetryConfig.<Delivery>custom()
                .maxAttempts(2)
                .retryOnResult(d -> d instanceof Delivery.Deferred deferred
                        && deferred.retryIn().compareTo(RETRY_WAIT_MAX) <= 0)
                .intervalBiFunction((attempt, outcome) -> outcome.isRight()
                        && outcome.get() instanceof Delivery.Deferred deferred
                        && deferred.retryIn().compareTo(RETRY_WAIT_MIN) > 0
                        ? deferred.retryIn().toMillis() : RETRY_WAIT_MIN.toMillis())
                .build());
    }

    /**
     * One daemon thread, started at a send and gone a minute after the last: the alert sends twice a spell. A full queue
     * drops its oldest telling, not the newest: the newest tells the state the database is in now (the all-clear after
     * stale refusals), and an admin left with a refusal as the last word believes writes still fail.
     */
    static Executor sendingThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(SENDS_QUEUED_MAX),
                task -> {
                    Thread t = new Thread(task, "database-writes-alert");
                    t.setDaemon(true);
                    return t;
                }, (task, full) -> {
                    if (full.isShutdown()) {
                        return;
                    }
                    full.getQueue().poll();
                    LOG.warn("the oldest database alert waiting for Telegram was dropped for a newer one ({} wait); its "
                            + "log line is the record", SENDS_QUEUED_MAX);
                    full.execute(task);
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Override
    public void run() {
        Optional<WriteRefusals.Refusal> now = refusing.get();
        if (now.isPresent() && !dealt && now.get().lasted().compareTo(TOLD_AFTER) >= 0) {
            dealt = true;
            // a right still kept from the last spell's end is asked again: its lock may have been lost meanwhile (its
            // connection dropped) and taken by another instance
            TellingRight right = held.orElseGet(rights);
            keptUntil = Optional.empty();
            Optional<Boolean> mine = take(right);
            if (mine.isPresent() && !mine.get()) {
                right.close();
                held = Optional.empty();
                toldElsewhere = true;
                LOG.info("the database has refused writes for {} min: another instance tells the admins",
                        now.get().lasted().toMinutes());
                return;
            }
            held = Optional.of(right);
            long minutes = now.get().lasted().toMinutes();
            LOG.warn("the database has refused writes for {} min (SQLState {}): telling {} admin(s) straight through "
                    + "the messenger, as the outbox cannot be written{}", minutes, now.get().sqlState(), admins.size(),
                    mine.isEmpty() ? " (whether another instance tells them could not be asked)" : "");
            tell(Msg.ADMIN_DB_WRITES_REFUSED, minutes, now.get().sqlState());
        } else if (now.isPresent() && toldElsewhere) {
            takeOver();
        } else if (now.isEmpty() && dealt) {
            dealt = false;
            if (toldElsewhere) {
                takeOver(); // the teller, alive, keeps the right past its own end: free, it is gone
                toldElsewhere = false;
                tried.ifPresent(TellingRight::close);
                tried = Optional.empty();
            }
            if (held.isPresent() && !take(held.get()).orElse(true)) {
                // its lock was lost while this instance lived (its connection dropped), and the instance that took it
                // over tells the end
                held.get().close();
                held = Optional.empty();
            }
            if (held.isPresent()) {
                LOG.info("the database takes writes again: telling the admins");
                tell(Msg.ADMIN_DB_WRITES_TAKEN);
                keptUntil = Optional.of(nanoTime.getAsLong() + KEPT_AFTER_END.toNanos());
            }
        } else if (!dealt && keptUntil.isPresent() && nanoTime.getAsLong() - keptUntil.get() >= 0) {
            held.ifPresent(TellingRight::close);
            held = Optional.empty();
            keptUntil = Optional.empty();
        }
    }

    /** The right another instance held, if it let go of it: that instance is gone, and this one tells the end. */
    private void takeOver() {
        TellingRight right = tried.orElseGet(rights);
        if (take(right).orElse(false)) {
            held = Optional.of(right);
            tried = Optional.empty();
            toldElsewhere = false;
            LOG.info("the instance that told the admins of the database refusing writes is gone: this one tells them "
                    + "when writes are taken again");
        } else {
            tried = Optional.of(right);
        }
    }

    private static Optional<Boolean> take(TellingRight right) {
        try {
            return right.take();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void tell(Msg msg, Object... args) {
        try {
            sending.execute(() -> send(msg, args));
        } catch (RejectedExecutionException e) {
            LOG.warn("the database alert was not sent: {} earlier ones still wait for Telegram; the log line above is "
                    + "the record", SENDS_QUEUED_MAX);
        }
    }

    private void send(Msg msg, Object... args) {
        for (long admin : admins) {
            Reply text = new Reply.SendText(admin, texts.get(language(admin), msg, args), Keyboard.NONE);
            Delivery delivery = retry.executeSupplier(() -> send(text));
            if (!(delivery instanceof Delivery.Sent)) {
                LOG.warn("the database alert did not reach an admin ({}); the log line above is the record",
                        delivery.getClass().getSimpleName());
            }
        }
    }

    private Delivery send(Reply reply) {
        try {
            return messenger.send(reply);
        } catch (RuntimeException e) {
            return new Delivery.Failed(e.getClass().getSimpleName());
        }
    }

    private String language(long admin) {
        try {
            return languageOf.apply(admin);
        } catch (RuntimeException e) {
            return LANGUAGE_UNREAD;
        }
    }
}
