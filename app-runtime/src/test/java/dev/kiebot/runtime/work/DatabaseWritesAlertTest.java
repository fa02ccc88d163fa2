package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.text.Texts;
import dev.kiebot.postgres.PgSingletonLock;
import dev.kiebot.postgres.WriteRefusals;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The admins learn of a database refusing writes from a message sent straight through the messenger, once a spell and
 * only after a few minutes, and once more when writes are taken again: the outbox, through which every other admin
 * alert goes, is a table the database refuses to write (review R1).
 */
class DatabaseWritesAlertTest {
    private final AtomicReference<Optional<WriteRefusals.Refusal>> refusing = new AtomicReference<>(Optional.empty());
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final DatabaseWritesAlert alert = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L, 8L),
            admin -> admin == 7 ? "ru" : "en", new Texts());

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
                .anySatisfy(r -> assertThat(r.text()).contains("База данных не принимает записи уже 3 мин.", "53100"))
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
        Supplier<DatabaseWritesAlert.TellingRight> rights = () -> new DatabaseWritesAlert.TellingRight() {
            @Override
            public Optional<Boolean> take() {
                return Optional.of(holder.compareAndSet(null, this) || holder.get() == this);
            }

            @Override
            public void close() {
                holder.compareAndSet(this, null);
            }
        };
        DatabaseWritesAlert first = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L, 8L),
                admin -> "en", new Texts(), rights);
        DatabaseWritesAlert second = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L, 8L),
                admin -> "en", new Texts(), rights);
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
        assertThat(holder.get()).as("the right given up with the spell").isNull();

        DatabaseWritesAlert unasked = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L), admin -> "en",
                new Texts(), () -> new DatabaseWritesAlert.TellingRight() {
                    @Override
                    public Optional<Boolean> take() {
                        return Optional.empty();
                    }

                    @Override
                    public void close() {
                    }
                });
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
        DatabaseWritesAlert first = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L), admin -> "en",
                new Texts(), rights);
        DatabaseWritesAlert second = new DatabaseWritesAlert(refusing::get, messenger, Set.of(7L), admin -> "en",
                new Texts(), rights);
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
        assertThat(messenger.drain()).as("the next spell: the lock was given up, the other instance tells it")
                .hasSize(1);
        refusing.set(Optional.empty());
        second.run();
        first.run();
    }

    private void refused(Duration lasted) {
        refusing.set(Optional.of(new WriteRefusals.Refusal("53100", lasted)));
    }
}
