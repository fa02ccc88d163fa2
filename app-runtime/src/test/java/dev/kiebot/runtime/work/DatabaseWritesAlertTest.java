package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.text.Texts;
import dev.kiebot.postgres.WriteRefusals;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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

    private void refused(Duration lasted) {
        refusing.set(Optional.of(new WriteRefusals.Refusal("53100", lasted)));
    }
}
