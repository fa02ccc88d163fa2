package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.text.Texts;
import dev.kiebot.postgres.PgSingletonLock;
import dev.kiebot.postgres.WriteRefusals;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.LogCapture;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The admins learn of a database refusing writes from a message sent straight through the messenger, once a spell and
 * only after a few minutes, and once more when writes are taken again: the outbox, through which every other admin
 * alert goes, is a table the database refuses to write (review R1).
 */
class DatabaseWritesAlertTest {
    private final AtomicReference<Optional<WriteRefusals.Refusal>> refusing = new AtomicReference<>(Optional.empty());
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final AtomicLong nanos = new AtomicLong();
    private final DatabaseWritesAlert alert = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L, 8L),
            admin -> admin == 7 ? "ru" : "en", new Texts(), DatabaseWritesAlertTest::own, Runnable::run, nanos::get);

    /** The right of an instance alone on its database: always its own. */
    private static DatabaseWritesAlert.TellingRight own() {
        return new DatabaseWritesAlert.TellingRight() {
            @Override
            public Optional<Boolean> take() {
                return Optional.of(true);
            }

            @Override
            public void close() {
            }
        };
    }

    /** An instance on the database the rights are taken from, its messages sent on the caller's thread. */
    private DatabaseWritesAlert instance(Set<Long> admins, Supplier<DatabaseWritesAlert.TellingRight> rights) {
        return new DatabaseWritesAlert(refusing::get, messenger, admins, admin -> "en", new Texts(), rights,
                Runnable::run, nanos::get);
    }

    /** Rights to tell of which one is had at a time, as a session advisory lock's. */
    private static Supplier<DatabaseWritesAlert.TellingRight> oneAtATime(AtomicReference<Object> holder) {
        return () -> new DatabaseWritesAlert.TellingRight() {
            @Override
            public Optional<Boolean> take() {
                return Optional.of(holder.compareAndSet(null, this) || holder.get() == this);
            }

            @Override
            public void close() {
                holder.compareAndSet(this, null);
            }
        };
    }

    @Test
    void theAdminsAreToldOnceASpellAfterAFewMinutesAndOnceWhenItIsOver() {
        alert.run();
        refused(Duration.ofMinutes(1));
        alert.run();
        assertThat(messenger.drain()).as("a moment's trouble is not told").isEmpty();

        refused(DatabaseWritesAlert.TOLD_AFTER);
        alert.run();
        assertThat(messenger.drain()).extracting(r -> (Reply.SendText) r)
                .anySatisfy(r -> assertThat(r.chatId()).isEqualTo(7L))
                .anySatisfy(r -> assertThat(r.text()).contains("База данных не принимает записи уже 3\u00A0минуты", "53100"))
                .anySatisfy(r -> assertThat(r.text()).contains("The database has refused writes for 3 min"))
                .hasSize(2);
        refused(DatabaseWritesAlert.TOLD_AFTER.plusMinutes(10));
        alert.run();
        assertThat(messenger.drain()).as("once a spell").isEmpty();

        refusing.set(Optional.empty());
        alert.run();
        alert.run();
        assertThat(messenger.drain()).extracting(r -> ((Reply.SendText) r).text())
                .containsExactlyInAnyOrder(
                        "✅ База данных снова принимает записи: ожидавшие оплаты, заказы и ответы обрабатываются.",
                        "✅ The database takes writes again: the payments, orders and replies that waited go through now.");

        refused(DatabaseWritesAlert.TOLD_AFTER);
        alert.run();
        assertThat(messenger.drain()).as("a new spell is told again").hasSize(2);
    }

    /**
     * The alert goes straight through the messenger, without the outbox's retries (review): a send Telegram puts off
     * (a 429 with a short retry_after, a 5xx past the messenger's own retries) is tried once more after its wait; a
     * longer wait than the watch can spare, or a failure that is no wait, is not.
     */
    @Test
    void aSendPutOffBrieflyIsTriedOnceMore() {
        refused(DatabaseWritesAlert.TOLD_AFTER);
        messenger.thenAnswer(Delivery.Deferred.pacedByPlatform(Duration.ofMillis(200), "429"));
        alert.run();
        assertThat(messenger.drain()).as("both admins told, the one put off on the second try").hasSize(2);

        refusing.set(Optional.empty());
        messenger.thenAnswer(new Delivery.Deferred(Duration.ZERO, "502"), new Delivery.Deferred(Duration.ZERO, "502"),
                new Delivery.Deferred(Duration.ZERO, "502"));
        alert.run();
        assertThat(messenger.drain()).as("one try more, not two: the first admin's all-clear is lost after two, the "
                + "second's goes on its second").hasSize(1);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        messenger.thenAnswer(Delivery.Deferred.pacedByPlatform(DatabaseWritesAlert.RETRY_WAIT_MAX.plusSeconds(1),
                "429"), new Delivery.Failed("400"));
        alert.run();
        assertThat(messenger.drain()).as("a wait past the bound and a refusal are not tried again").isEmpty();
    }

    /**
     * Two instances on one database each sent their own alert (review): the one that takes the right to tell tells the
     * spell and its end; the other, finding it taken, tells nothing. One that cannot ask for it tells all the same.
     */
    @Test
    void ofTwoInstancesOneTellsTheSpellAndItsEnd() {
        AtomicReference<Object> holder = new AtomicReference<>();
        Supplier<DatabaseWritesAlert.TellingRight> rights = oneAtATime(holder);
        DatabaseWritesAlert first = instance(Set.of(7L, 8L), rights);
        DatabaseWritesAlert second = instance(Set.of(7L, 8L), rights);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        first.run();
        second.run();
        first.run();
        second.run();
        assertThat(messenger.drain()).as("one message to each admin").hasSize(2);
        refusing.set(Optional.empty());
        second.run();
        first.run();
        assertThat(messenger.drain()).as("one all-clear to each admin").hasSize(2);
        assertThat(holder.get()).as("kept a while after the end").isNotNull();
        nanos.addAndGet(DatabaseWritesAlert.KEPT_AFTER_END.toNanos());
        second.run();
        first.run();
        assertThat(messenger.drain()).isEmpty();
        assertThat(holder.get()).as("then given up").isNull();

        DatabaseWritesAlert unasked = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L), admin -> "en",
                new Texts(), () -> new DatabaseWritesAlert.TellingRight() {
                    @Override
                    public Optional<Boolean> take() {
                        return Optional.empty();
                    }

                    @Override
                    public void close() {
                    }
                }, Runnable::run, nanos::get);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        unasked.run();
        assertThat(messenger.drain()).as("the database could not be asked: told all the same").hasSize(1);
    }

    /** The same with the right a PostgreSQL session advisory lock, as the bot takes it on a shared database. */
    @Test
    void ofTwoInstancesOnOnePostgresOneTellsTheSpell() {
        Supplier<DatabaseWritesAlert.TellingRight> rights = () -> DatabaseWritesAlert.rightOf(
                new PgSingletonLock(TestDatabase.get(), PgSingletonLock.keyFor(DatabaseWritesAlert.TELLING_LOCK),
                        Duration.ofSeconds(5)));
        DatabaseWritesAlert first = instance(Set.of(7L), rights);
        DatabaseWritesAlert second = instance(Set.of(7L), rights);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        first.run();
        second.run();
        assertThat(messenger.drain()).as("one message").hasSize(1);
        refusing.set(Optional.empty());
        first.run();
        second.run();
        assertThat(messenger.drain()).as("one all-clear").hasSize(1);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        second.run();
        first.run();
        assertThat(messenger.drain()).as("the next spell, told once").hasSize(1);
        refusing.set(Optional.empty());
        second.run();
        first.run();
        assertThat(messenger.drain()).as("one all-clear").hasSize(1);
        nanos.addAndGet(DatabaseWritesAlert.KEPT_AFTER_END.toNanos());
        second.run();
        first.run(); // gives the lock up
    }

    /**
     * The instance that told the spell dies before its end (review): its lock goes with its session, the other
     * instance, which found it taken, takes it then and tells the end, which nobody told. An instance whose spell merely
     * ends later than the teller's (its refused statements ran again later) finds the lock still kept and tells no
     * second all-clear.
     */
    @Test
    void theEndOfASpellWhoseTellerDiedIsToldByTheOtherInstance() {
        AtomicReference<Object> holder = new AtomicReference<>();
        DatabaseWritesAlert first = instance(Set.of(7L), oneAtATime(holder));
        DatabaseWritesAlert second = instance(Set.of(7L), oneAtATime(holder));
        refused(DatabaseWritesAlert.TOLD_AFTER);
        first.run();
        second.run();
        assertThat(messenger.drain()).as("told once").hasSize(1);

        holder.set(null); // the first instance dies: PostgreSQL ends its session and its lock
        refused(DatabaseWritesAlert.TOLD_AFTER.plusMinutes(5));
        second.run();
        refusing.set(Optional.empty());
        second.run();
        assertThat(messenger.drain()).extracting(r -> ((Reply.SendText) r).text()).as("the end told all the same")
                .containsExactly("✅ The database takes writes again: the payments, orders and replies that waited go "
                        + "through now.");

        // two instances alive, the later's spell outlasting the teller's by minutes
        nanos.addAndGet(DatabaseWritesAlert.KEPT_AFTER_END.toNanos());
        second.run(); // gives the lock up
        assertThat(holder.get()).isNull();
        AtomicReference<Optional<WriteRefusals.Refusal>> laterSees = new AtomicReference<>(Optional.empty());
        DatabaseWritesAlert teller = instance(Set.of(7L), oneAtATime(holder));
        DatabaseWritesAlert later = new DatabaseWritesAlert(laterSees::get, messenger, Set.of(7L), admin -> "en",
                new Texts(), oneAtATime(holder), Runnable::run, nanos::get);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        laterSees.set(refusing.get());
        teller.run();
        later.run();
        refusing.set(Optional.empty());
        teller.run();
        nanos.addAndGet(WriteRefusals.QUIET.toNanos());
        teller.run();
        later.run();
        laterSees.set(Optional.empty());
        later.run();
        assertThat(messenger.drain()).as("one message and one all-clear").hasSize(2);
    }

    /**
     * The limit README's Health and operations states: the teller dies mid-spell while the other instance has no spell
     * of its own (its statements were not refused: it was idle, or the full disk refused only what the teller wrote),
     * and nobody tells the end. The other instance never looked at the right, having nothing to tell, and the teller's
     * session advisory lock, the one thing of it a database refusing writes keeps, went with its session; a row naming
     * the told spell could not be written while writes were refused (a read-only database refuses every one). The
     * admins' last word is the refusal: the end shows on {@code dbWrites} and {@code kiebot_database_writes_failing}.
     */
    @Test
    void theEndIsNotToldWhenTheTellerDiesAndTheOtherInstanceHadNoSpell() {
        AtomicReference<DatabaseWritesAlert.TellingRight> tellers = new AtomicReference<>();
        Supplier<DatabaseWritesAlert.TellingRight> rights = () -> DatabaseWritesAlert.rightOf(
                new PgSingletonLock(TestDatabase.get(), PgSingletonLock.keyFor(DatabaseWritesAlert.TELLING_LOCK),
                        Duration.ofSeconds(5)));
        DatabaseWritesAlert teller = instance(Set.of(7L), () -> {
            tellers.set(rights.get());
            return tellers.get();
        });
        AtomicReference<Optional<WriteRefusals.Refusal>> otherSees = new AtomicReference<>(Optional.empty());
        DatabaseWritesAlert other = new DatabaseWritesAlert(otherSees::get, messenger, Set.of(7L), admin -> "en",
                new Texts(), rights, Runnable::run, nanos::get);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        teller.run();
        other.run();
        assertThat(messenger.drain()).as("told once").hasSize(1);

        tellers.get().close(); // the teller dies: PostgreSQL ends its session and lets go of its lock
        for (int beat = 0; beat < 5; beat++) {
            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
            other.run();
        }
        assertThat(messenger.drain()).as("no all-clear: nobody knows the spell was told").isEmpty();
    }

    /**
     * An instance that found the right taken tries it each beat while the spell lasts; when the lock's own connection
     * cannot be opened (the outage the alert is about), it warns once and tries again quietly. A new lock each beat
     * warned each beat, a minute apart, all through the outage (review Q8).
     */
    @Test
    void aLockThatCannotBeTriedThroughAnOutageWarnsOnce() {
        // NOLOGIN on the tests' own role: only on this JVM's embedded PostgreSQL, never on a TEST_DATABASE_URL
        // server the other test forks share (their new connections would be refused meanwhile)
        assumeTrue(TestDatabase.isEmbedded() && TestDatabase.superuser(),
                "refusing the tests' user new connections needs this JVM's own embedded PostgreSQL");
        Supplier<DatabaseWritesAlert.TellingRight> rights = () -> DatabaseWritesAlert.rightOf(
                new PgSingletonLock(TestDatabase.get(), PgSingletonLock.keyFor(DatabaseWritesAlert.TELLING_LOCK),
                        Duration.ofSeconds(5)));
        DatabaseWritesAlert first = instance(Set.of(7L), rights);
        DatabaseWritesAlert second = instance(Set.of(7L), rights);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        first.run();
        second.run(); // finds the right taken
        assertThat(messenger.drain()).hasSize(1);
        LogCapture logs = LogCapture.attach();
        try (Handle admin = TestDatabase.jdbi().open()) {
            // the lock's own connection cannot be opened, the sessions open (the teller's lock, this one) live on
            String user = admin.createQuery("SELECT quote_ident(current_user)").mapTo(String.class).one();
            admin.execute("ALTER ROLE " + user + " NOLOGIN");
            try {
                for (int beat = 0; beat < 4; beat++) {
                    second.run();
                }
            } finally {
                admin.execute("ALTER ROLE " + user + " LOGIN");
            }
            assertThat(logs.warnings()).filteredOn(w -> w.contains("could not try to acquire"))
                    .as("one warning through the outage, not one a beat").hasSize(1);
        } finally {
            logs.detach();
            refusing.set(Optional.empty());
            first.run();
            second.run();
            nanos.addAndGet(DatabaseWritesAlert.KEPT_AFTER_END.toNanos());
            first.run(); // gives the lock up
        }
        assertThat(messenger.drain()).as("one all-clear").hasSize(1);
    }

    /**
     * The teller's lock is lost while it lives (its connection dropped, as in the failover or the restart this alert is
     * about: PostgreSQL let go of it) and the other instance, trying it each beat, takes it over: the end is told once,
     * by the instance that holds the right then. The teller took its right for held without asking again, and both told
     * the end (review Q8 of d5ec37f2).
     */
    @Test
    void aTellerWhoseLockWasLostMeanwhileTellsNoSecondEnd() {
        AtomicReference<Object> holder = new AtomicReference<>();
        DatabaseWritesAlert first = instance(Set.of(7L), oneAtATime(holder));
        DatabaseWritesAlert second = instance(Set.of(7L), oneAtATime(holder));
        refused(DatabaseWritesAlert.TOLD_AFTER);
        first.run();
        second.run();
        assertThat(messenger.drain()).as("told once").hasSize(1);

        holder.set(null); // the first's lock connection dropped: PostgreSQL let go of its lock, the instance lives on
        refused(DatabaseWritesAlert.TOLD_AFTER.plusMinutes(1));
        second.run(); // takes it over
        refusing.set(Optional.empty());
        first.run();
        second.run();
        assertThat(messenger.drain()).as("one all-clear").hasSize(1);

        // a right kept past the end it told is lost likewise, and the next spell is told by the one that took it
        DatabaseWritesAlert teller = instance(Set.of(7L), oneAtATime(holder));
        DatabaseWritesAlert other = instance(Set.of(7L), oneAtATime(holder));
        nanos.addAndGet(DatabaseWritesAlert.KEPT_AFTER_END.toNanos());
        second.run(); // gives up the right it kept
        refused(DatabaseWritesAlert.TOLD_AFTER);
        teller.run();
        refusing.set(Optional.empty());
        teller.run(); // told the end, keeps the right
        assertThat(messenger.drain()).hasSize(2);
        holder.set(null);
        refused(DatabaseWritesAlert.TOLD_AFTER);
        other.run();
        teller.run();
        assertThat(messenger.drain()).as("the next spell told once").hasSize(1);
    }

    /**
     * The sends and their retries (up to {@link DatabaseWritesAlert#RETRY_WAIT_MAX} an admin) run on a thread of their
     * own: on the watch's, they held up the handlers' stall watch that runs after the alert.
     */
    @Test
    void theWatchDoesNotWaitForTheSends() throws Exception {
        CountDownLatch telegramAnswers = new CountDownLatch(1);
        RecordingMessenger slow = new RecordingMessenger();
        Messenger waitingForTelegram = reply -> {
            try {
                telegramAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return slow.send(reply);
        };
        DatabaseWritesAlert bot = new DatabaseWritesAlert(refusing::get, waitingForTelegram, Set.of(7L, 8L), admin -> "en",
                new Texts());
        ExecutorService watch = Executors.newSingleThreadExecutor();
        try {
            refused(DatabaseWritesAlert.TOLD_AFTER);
            Future<?> beat = watch.submit(bot);
            beat.get(30, TimeUnit.SECONDS); // the watch's beat is over while Telegram has not answered
            assertThat(slow.drain()).isEmpty();
        } finally {
            telegramAnswers.countDown();
            watch.shutdownNow();
        }
        for (int i = 0; i < 600 && slow.all().size() < 2; i++) {
            Thread.sleep(50);
        }
        assertThat(slow.drain()).as("then sent").hasSize(2);
    }

    /**
     * Telegram holds up the sending thread while spells come and go: the queue fills, and the telling that finds it full
     * is the all-clear. It is the one that goes out last; a full queue dropped the newest, and the admins' last word
     * was a stale refusal: they believed writes still failed (review Q8).
     */
    @Test
    void aFullQueueDropsTheOldestTellingNotTheAllClear() throws Exception {
        CountDownLatch telegramAnswers = new CountDownLatch(1);
        RecordingMessenger slow = new RecordingMessenger();
        Messenger waitingForTelegram = reply -> {
            try {
                telegramAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return slow.send(reply);
        };
        DatabaseWritesAlert bot = new DatabaseWritesAlert(refusing::get, waitingForTelegram, Set.of(7L),
                admin -> "en", new Texts(), DatabaseWritesAlertTest::own, DatabaseWritesAlert.sendingThread(), nanos::get);
        int tellings = 1 + DatabaseWritesAlert.SENDS_QUEUED_MAX + 1; // one sending, a full queue, one more
        try {
            for (int i = 0; i < tellings; i++) {
                if (i % 2 == 0) {
                    refused(DatabaseWritesAlert.TOLD_AFTER);
                } else {
                    refusing.set(Optional.empty());
                }
                bot.run();
            }
            assertThat(refusing.get()).as("the last telling is the all-clear").isEmpty();
        } finally {
            telegramAnswers.countDown();
        }
        for (int i = 0; i < 600 && slow.all().size() < tellings - 1; i++) {
            Thread.sleep(50);
        }
        assertThat(slow.drain()).extracting(r -> ((Reply.SendText) r).text()).as("one dropped, the all-clear sent last")
                .hasSize(tellings - 1)
                .last().asString().startsWith("✅ The database takes writes again");
    }

    private void refused(Duration lasted) {
        refusing.set(Optional.of(new WriteRefusals.Refusal("53100", lasted)));
    }
}
