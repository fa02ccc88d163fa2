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
import java.util.function.LongFunction;
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
 * for, if that is at most {@link #RETRY_WAIT_MAX} (resilience4j); any other failure is logged, not retried.
 *
 * <p>On a shared database one instance tells a spell: the one that takes the {@link TellingRight} (a session advisory
 * lock, which a database refusing writes still grants, being held in memory) and holds it until it told the spell's
 * end. An instance that finds another holding it tells nothing of that spell. One that cannot ask the database for it
 * tells all the same (one message from each instance, as before: better twice than never).
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
    /** Whether the spell going on was dealt with: told here, or found told by another instance. One thread only. */
    private boolean dealt;
    /** The right to tell, held from the spell's telling here to its end's. */
    private Optional<TellingRight> held = Optional.empty();

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

    @Override
    public void run() {
        Optional<WriteRefusals.Refusal> now = refusing.get();
        if (now.isPresent() && !dealt && now.get().lasted().compareTo(TOLD_AFTER) >= 0) {
            dealt = true;
            TellingRight right = rights.get();
            Optional<Boolean> mine = take(right);
            if (mine.isPresent() && !mine.get()) {
                right.close();
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
        } else if (now.isEmpty() && dealt) {
            dealt = false;
            if (held.isPresent()) {
                LOG.info("the database takes writes again: telling the admins");
                tell(Msg.ADMIN_DB_WRITES_TAKEN);
                held.get().close();
                held = Optional.empty();
            }
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
